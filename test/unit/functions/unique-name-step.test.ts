import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../functions/handler.js';
import { stableHash } from '../../../functions/naming/unique-name.js';
import { steps } from '../../../functions/steps/index.js';
import { runFunctionRequest, storageTenant, type RequestParts } from '../../support/requests.js';
import {
  DERIVED_ID,
  environmentConfig,
  inNamespace,
  input,
  kubeSystem,
  project,
  user,
  withStatus,
} from '../../support/reseller.js';
import { desiredStatus, summarize } from '../../support/responses.js';

const projectInput = (fields: Record<string, unknown> = {}) =>
  input('UniqueName', {
    format: 'openstack-project',
    statusField: 'openstackName',
    environmentConfig: { name: 'stackplane-reseller' },
    ...fields,
  });
const loginInput = () =>
  input('UniqueName', {
    format: 'openstack-login',
    statusField: 'login',
    environmentConfig: { name: 'stackplane-reseller' },
  });
const fetched = (config?: Record<string, unknown>) => ({
  'kube-system-namespace': [kubeSystem()],
  'controller-id-config': config ? [environmentConfig(config)] : [],
});

const run = (parts: RequestParts) => new StackplaneFunction(steps).RunFunction(runFunctionRequest(parts));

describe('UniqueName: derives, pins and keeps names', () => {
  const cases: Record<string, { reason: string; parts: RequestParts; status: Record<string, unknown> }> = {
    'project name from the cluster': {
      reason: 'no pin: 6 letters from the kube-system UID',
      parts: { xr: project(), input: projectInput(), required: fetched() },
      status: { openstackName: `${DERIVED_ID}-default-project-sample` },
    },
    'login from the cluster': {
      reason: 'the original login scheme',
      parts: { xr: user(), input: loginInput(), required: fetched() },
      status: { login: `user-sample-default@${DERIVED_ID}.k8s` },
    },
    'pinned by the platform': {
      reason: "a migrating cluster pins its operator's id",
      parts: { xr: project(), input: projectInput(), required: fetched({ controllerID: 'qxmrtb' }) },
      status: { openstackName: 'qxmrtb-default-project-sample' },
    },
    'pinned by the input over the platform': {
      reason: 'the Composition input wins',
      parts: {
        xr: project(),
        input: projectInput({ controllerID: 'abcdef' }),
        required: fetched({ controllerID: 'qxmrtb' }),
      },
      status: { openstackName: 'abcdef-default-project-sample' },
    },
    'collision-free by default for a namespace with "-"': {
      reason: '<id>-team-a-web could also be namespace team, name a-web',
      parts: { xr: project('web', inNamespace('team-a')), input: projectInput(), required: fetched() },
      status: { openstackName: `${DERIVED_ID}-team-a-web-${stableHash(`${DERIVED_ID}/team-a/web`)}` },
    },
    'original naming from the platform': {
      reason: 'migration keeps the original names exactly',
      parts: {
        xr: project('web', inNamespace('team-a')),
        input: projectInput(),
        required: fetched({ controllerID: 'qxmrtb', naming: 'original' }),
      },
      status: { openstackName: 'qxmrtb-team-a-web' },
    },
    'upgrade: a plain name recorded before names ending like a hash were hashed stays': {
      reason: 'today <id>-default-production would be hashed; an XR observed with it keeps it',
      parts: {
        xr: project('production', withStatus({ openstackName: `${DERIVED_ID}-default-production` })),
        input: projectInput(),
        required: fetched(),
      },
      status: { openstackName: `${DERIVED_ID}-default-production` },
    },
    'a plain name that would end like a hash is hashed': {
      reason: 'team/a-web-<hash> must not take the hashed name of team-a/web',
      parts: {
        xr: project(`a-web-${stableHash(`${DERIVED_ID}/team-a/web`)}`, inNamespace('team')),
        input: projectInput(),
        required: fetched(),
      },
      status: {
        openstackName: `${DERIVED_ID}-team-a-web-${stableHash(`${DERIVED_ID}/team-a/web`)}-${stableHash(
          `${DERIVED_ID}/team/a-web-${stableHash(`${DERIVED_ID}/team-a/web`)}`,
        )}`,
      },
    },
    'sticky: status wins over a changed id': {
      reason: 'renaming an external object is never a side effect',
      parts: {
        xr: project('project-sample', withStatus({ openstackName: 'oldid1-default-project-sample' })),
        input: projectInput(),
        required: fetched({ controllerID: 'qxmrtb' }),
      },
      status: { openstackName: 'oldid1-default-project-sample' },
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { parts, status }) => {
    const rsp = await run(parts);
    expect(summarize(rsp)).toEqual({
      results: [],
      conditions: [{ type: 'Valid', status: 'True', reason: 'ValidSpec' }],
    });
    expect(desiredStatus(rsp)).toEqual(status);
    const name = Object.values(status)[0];
    expect(rsp.context).toEqual({ 'stackplane.io/unique-name': { name } });
  });

  it.each([
    [
      'a bad pinned id',
      { controllerID: 'Not-OK' },
      'cannot derive a unique name for default/project-sample: EnvironmentConfig "stackplane-reseller" data.controllerID must be 1-16 lowercase letters or digits, got "Not-OK"',
    ],
    [
      'an unknown naming mode',
      { naming: 'legacy' },
      'cannot derive a unique name for default/project-sample: EnvironmentConfig "stackplane-reseller" data.naming must be unique or original, got "legacy"',
    ],
  ])('refuses %s', async (_name, data, message) => {
    const rsp = await run({ xr: project(), input: projectInput(), required: fetched(data) });
    expect(summarize(rsp)).toEqual({
      results: [{ severity: 'Fatal', reason: 'NoControllerID', message }],
      // The spec is fine; the platform configuration is not.
      conditions: [{ type: 'Valid', status: 'True', reason: 'ValidSpec' }],
    });
  });

  it('serves only the kinds it lists', async () => {
    const rsp = await run({ xr: storageTenant(), input: projectInput(), required: fetched() });
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Fatal',
        reason: 'WrongCompositeKind',
        message:
          "cannot run step UniqueName: it composes Project (reseller.stackplane.io/v1alpha1), User (reseller.stackplane.io/v1alpha1), not StorageTenant (storage.stackplane.io/v1alpha1); check the Composition's compositeTypeRef",
      },
    ]);
  });

  it('asks for the kube-system Namespace and the EnvironmentConfig first', async () => {
    const rsp = await run({ xr: project(), input: projectInput() });
    expect(Object.keys(rsp.requirements?.resources ?? {}).sort()).toEqual([
      'controller-id-config',
      'kube-system-namespace',
    ]);
    expect(desiredStatus(rsp)).toBeUndefined();
  });
});
