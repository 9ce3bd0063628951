import { describe, expect, it } from 'vitest';
import { StorageClassesInput } from '../../../apis/functions/storage-classes-input.js';
import { StorageTenant } from '../../../apis/storage/storagetenant.js';
import { StackplaneFunction } from '../../../functions/handler.js';
import { steps } from '../../../functions/steps/index.js';
import { defineStep } from '../../../functions/types.js';
import { fetched, runFunctionRequest, storageClassesInput, storageTenant } from '../../support/requests.js';
import { summarize, type Summary } from '../../support/responses.js';

const fatal = (reason: string, message: string): Summary => ({
  results: [{ severity: 'Fatal', reason, message }],
  conditions: [],
});

describe('StackplaneFunction selects and guards the step', () => {
  const cases: Record<
    string,
    { reason: string; args: Parameters<typeof runFunctionRequest>[0]; want: Summary }
  > = {
    'missing input': {
      reason: 'a pipeline step without input cannot pick its logic',
      args: { input: undefined },
      want: fatal(
        'MissingInput',
        'cannot select step: the pipeline step has no input.kind; set input.apiVersion fn.stackplane.io/v1alpha1 and input.kind to one of: BuildingBlock, DataService, DataSnapshot, PlacementAPI, ResellerBinding, ResellerProject, ResellerUser, StorageClasses, UniqueName',
      ),
    },
    'unknown input kind': {
      reason: 'an input kind no step handles is named with the known ones',
      args: { input: { apiVersion: 'fn.stackplane.io/v1alpha1', kind: 'Nope' } },
      want: fatal(
        'UnknownInputKind',
        'cannot select step: unknown input kind "Nope"; expected one of: BuildingBlock, DataService, DataSnapshot, PlacementAPI, ResellerBinding, ResellerProject, ResellerUser, StorageClasses, UniqueName',
      ),
    },
    'wrong input apiVersion': {
      reason: 'the input version must be the one the schema describes',
      args: { input: { apiVersion: 'fn.stackplane.io/v2', kind: 'StorageClasses' } },
      want: fatal(
        'UnknownInputKind',
        'cannot select step: input.apiVersion of kind StorageClasses is "fn.stackplane.io/v2"; set it to fn.stackplane.io/v1alpha1',
      ),
    },
    'invalid input field': {
      reason: 'step input is validated with its zod schema and the field path is named',
      args: { input: storageClassesInput({ credentialsSecret: { name: '' }, provisioner: 7 }) },
      want: fatal(
        'InvalidInput',
        'invalid step input: input.provisioner: Invalid input: expected string, received number; input.credentialsSecret.name: Too small: expected string to have >=1 characters; input.credentialsSecret.namespace: is required (expected string)',
      ),
    },
    'wrong composite kind': {
      reason: 'a Composition wired to the wrong XR kind is named as such',
      args: {
        xr: {
          apiVersion: 'data.stackplane.io/v1alpha1',
          kind: 'Postgres',
          metadata: { name: 'db', namespace: 'team' },
        },
      },
      want: fatal(
        'WrongCompositeKind',
        "cannot run step StorageClasses: it composes StorageTenant (storage.stackplane.io/v1alpha1), not Postgres (data.stackplane.io/v1alpha1); check the Composition's compositeTypeRef",
      ),
    },
  };

  it.each(Object.entries(cases))('%s', async (_name, { args, want }) => {
    const rsp = await new StackplaneFunction(steps).RunFunction(runFunctionRequest(args));
    expect(summarize(rsp)).toEqual(want);
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });

  it('turns an exception inside a step into a fatal result instead of crashing', async () => {
    const exploding = defineStep({
      input: StorageClassesInput,
      composite: StorageTenant,
      run() {
        throw new Error('boom');
      },
    });
    const rsp = await new StackplaneFunction([exploding]).RunFunction(
      runFunctionRequest({ xr: storageTenant() }),
    );
    expect(summarize(rsp)).toEqual(fatal('InternalError', 'cannot run step: boom'));
  });

  it('answers a composite revision it has seen as it answered it the first time', async () => {
    const fn = new StackplaneFunction(steps);
    const request = (resourceVersion?: string) =>
      runFunctionRequest({
        xr: storageTenant((xr) => {
          xr['metadata'] = { ...(xr['metadata'] as object), ...(resourceVersion ? { resourceVersion } : {}) };
        }),
        required: fetched(),
      });
    const answer = async (resourceVersion?: string) => {
      const rsp = await fn.RunFunction(request(resourceVersion));
      return { resources: rsp.desired?.resources, conditions: rsp.conditions, results: rsp.results };
    };
    const unversioned = await answer();
    expect(Object.keys(unversioned.resources ?? {}).length).toBeGreaterThan(3);
    expect(await answer('7')).toStrictEqual(unversioned);
    expect(await answer('7')).toStrictEqual(unversioned);
  });

  it('leaves the request desired state untouched', async () => {
    const req = runFunctionRequest({
      desired: { earlier: { apiVersion: 'v1', kind: 'ConfigMap' } },
      required: {},
    });
    const before = structuredClone(req.desired);
    await new StackplaneFunction(steps).RunFunction(req);
    expect(req.desired).toEqual(before);
  });
});
