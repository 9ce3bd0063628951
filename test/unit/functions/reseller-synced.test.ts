import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../functions/handler.js';
import { steps } from '../../../functions/steps/index.js';
import { MAX_SYNC_MESSAGE } from '../../../functions/steps/reseller/synced.js';
import type { KubeObject } from '../../../functions/types.js';
import { runFunctionRequest, withSpec, type RequestParts } from '../../support/requests.js';
import {
  binding,
  input,
  observedMR,
  passwordSecret,
  project,
  readyProject,
  region,
  uniqueNameContext,
  user,
  withStatus,
} from '../../support/reseller.js';
import { summarize, type Summary } from '../../support/responses.js';

/** The refusal provider-stackplane reports on a Project whose name another namespace's took. */
const REFUSAL =
  'cannot adopt project "p500123-kkkfqd-team-a-app" (4f0c1e2d3a4b5c6d7e8f90a1b2c3d4e5): it carries the ' +
  'ownership marker of another managed resource; nothing was changed; the platform can allow namespace ' +
  '"default" to adopt it with an AdoptionGrant (m.stackplane.io/v1alpha1) of kind Project and ' +
  'externalName "kkkfqd-team-a-app"';
const USER_REFUSAL =
  'cannot adopt user "user-sample-default@kkkfqd.k8s" (9a8b7c6d): it carries no ownership marker, so ' +
  'another resource or a person created it; nothing was changed; the platform can allow namespace ' +
  '"default" to adopt it with an AdoptionGrant (m.stackplane.io/v1alpha1) of kind User and ' +
  'externalName "user-sample-default@kkkfqd.k8s"';

/** A provider managed resource reporting Synced as given (and Ready=False while it is not synced). */
const withSynced = (kind: string, name: string, synced: Record<string, unknown>): KubeObject => {
  const mr = observedMR(kind, name, synced['status'] === 'True');
  const status = mr.status as { conditions: unknown[] };
  status.conditions.push({ type: 'Synced', ...synced });
  return mr;
};
const refused = (message: string) => ({ status: 'False', reason: 'ReconcileError', message });
const SYNCED = { status: 'True', reason: 'ReconcileSuccess' };

const runProject = (observed: Record<string, KubeObject>) =>
  new StackplaneFunction(steps).RunFunction(
    runFunctionRequest({
      xr: project(),
      input: input('ResellerProject'),
      context: uniqueNameContext('kkkfqd-default-project-sample'),
      required: { regions: [region('prod1')], bindings: [] },
      observed,
    } satisfies RequestParts),
  );
const runUser = (observed: Record<string, KubeObject>) =>
  new StackplaneFunction(steps).RunFunction(
    runFunctionRequest({
      xr: user(),
      input: input('ResellerUser'),
      context: uniqueNameContext('user-sample-default@kkkfqd.k8s'),
      required: {
        regions: [region('prod1'), region('prod2')],
        bindings: [binding('to-web', 'user-sample', 'web'), binding('to-batch', 'user-sample', 'batch')],
        projects: [readyProject('web', 'prod1'), readyProject('batch', 'prod2')],
        'password-secret': [passwordSecret()],
        'existing-credentials-secret': [],
      },
      observed,
    } satisfies RequestParts),
  );

const runBinding = (observed: Record<string, KubeObject>) =>
  new StackplaneFunction(steps).RunFunction(
    runFunctionRequest({
      xr: binding(
        'userprojectbinding-sample',
        'user-sample',
        'project-sample',
        withSpec({ applicationCredential: true }),
      ),
      input: input('ResellerBinding'),
      required: {
        user: [
          user(
            'user-sample',
            withStatus({
              login: 'user-sample-default@kkkfqd.k8s',
              regions: ['prod1'],
              userIDs: { prod1: 'u1' },
            }),
          ),
        ],
        project: [readyProject('project-sample', 'prod1')],
      },
      observed,
    } satisfies RequestParts),
  );

const externalSynced = (s: Summary) => ({
  conditions: s.conditions.filter((c) => c.type === 'ExternalSynced'),
  warnings: s.results.filter((r) => r.severity === 'Warning'),
});

describe('the tenant reads on its composite why provider-stackplane does not sync what it composed', () => {
  it.each([
    {
      name: 'Project: the provider refuses to adopt another namespace’s project',
      run: () => runProject({ project: withSynced('Project', 'project-sample', refused(REFUSAL)) }),
      want: {
        conditions: [
          {
            type: 'ExternalSynced',
            status: 'False',
            reason: 'ReconcileError',
            message: `project: ${REFUSAL}`,
          },
        ],
        warnings: [
          {
            severity: 'Warning',
            reason: 'ReconcileError',
            message: `Project default/project-sample: project: ${REFUSAL}`,
          },
        ],
      },
    },
    {
      name: 'Project: synced',
      run: () => runProject({ project: withSynced('Project', 'project-sample', SYNCED) }),
      want: {
        conditions: [
          {
            type: 'ExternalSynced',
            status: 'True',
            reason: 'ReconcileSuccess',
            message: 'provider-stackplane synced project',
          },
        ],
        warnings: [],
      },
    },
    {
      name: 'Project: not observed yet, or the provider has not reported Synced: nothing said',
      run: () => runProject({ project: observedMR('Project', 'project-sample', false) }),
      want: { conditions: [], warnings: [] },
    },
    {
      name: 'User: one region refused, the other synced',
      run: () =>
        runUser({
          'user-prod1': withSynced('User', 'user-sample-prod1', SYNCED),
          'user-prod2': withSynced('User', 'user-sample-prod2', refused(USER_REFUSAL)),
        }),
      want: {
        conditions: [
          {
            type: 'ExternalSynced',
            status: 'False',
            reason: 'ReconcileError',
            message: `user-prod2: ${USER_REFUSAL}`,
          },
        ],
        warnings: [
          {
            severity: 'Warning',
            reason: 'ReconcileError',
            message: `User default/user-sample: user-prod2: ${USER_REFUSAL}`,
          },
        ],
      },
    },
    {
      name: 'User: both regions refused, each named',
      run: () =>
        runUser({
          'user-prod1': withSynced('User', 'user-sample-prod1', refused(USER_REFUSAL)),
          'user-prod2': withSynced('User', 'user-sample-prod2', refused('cannot update user: 403 Forbidden')),
        }),
      want: {
        conditions: [
          {
            type: 'ExternalSynced',
            status: 'False',
            reason: 'ReconcileError',
            message: `user-prod1: ${USER_REFUSAL}; user-prod2: cannot update user: 403 Forbidden`,
          },
        ],
        warnings: [
          {
            severity: 'Warning',
            reason: 'ReconcileError',
            message: `User default/user-sample: user-prod1: ${USER_REFUSAL}`,
          },
          {
            severity: 'Warning',
            reason: 'ReconcileError',
            message: 'User default/user-sample: user-prod2: cannot update user: 403 Forbidden',
          },
        ],
      },
    },
    {
      name: 'User: both regions synced',
      run: () =>
        runUser({
          'user-prod1': withSynced('User', 'user-sample-prod1', SYNCED),
          'user-prod2': withSynced('User', 'user-sample-prod2', SYNCED),
        }),
      want: {
        conditions: [
          {
            type: 'ExternalSynced',
            status: 'True',
            reason: 'ReconcileSuccess',
            message: 'provider-stackplane synced user-prod1, user-prod2',
          },
        ],
        warnings: [],
      },
    },
    {
      name: 'UserProjectBinding: the membership synced, the application credential refused',
      run: () =>
        runBinding({
          membership: withSynced('ProjectMembership', 'userprojectbinding-sample', SYNCED),
          'application-credential': withSynced(
            'ApplicationCredential',
            'userprojectbinding-sample',
            refused('cannot create application credential: 409 Conflict'),
          ),
        }),
      want: {
        conditions: [
          {
            type: 'ExternalSynced',
            status: 'False',
            reason: 'ReconcileError',
            message: 'application-credential: cannot create application credential: 409 Conflict',
          },
        ],
        warnings: [
          {
            severity: 'Warning',
            reason: 'ReconcileError',
            message:
              'UserProjectBinding default/userprojectbinding-sample: application-credential: cannot create application credential: 409 Conflict',
          },
        ],
      },
    },
  ])('$name', async ({ run, want }) => {
    expect(externalSynced(summarize(await run()))).toEqual(want);
  });

  it('bounds the message and replaces a reason that is not one', async () => {
    const long = `cannot adopt project: ${'x'.repeat(3 * MAX_SYNC_MESSAGE)}`;
    const rsp = await runProject({
      project: withSynced('Project', 'project-sample', {
        status: 'False',
        reason: 'no reason!',
        message: long,
      }),
    });
    const { conditions, warnings } = externalSynced(summarize(rsp));
    expect(conditions).toEqual([
      {
        type: 'ExternalSynced',
        status: 'False',
        reason: 'ReconcileError',
        message: `project: ${long}`.slice(0, MAX_SYNC_MESSAGE - 1) + '…',
      },
    ]);
    expect(warnings.map((w) => w.message.length)).toEqual([
      'Project default/project-sample: '.length + MAX_SYNC_MESSAGE,
    ]);
  });
});
