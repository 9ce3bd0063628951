import { Ready } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../functions/handler.js';
import { regionalUserName } from '../../../functions/naming/openstack-names.js';
import { WAITING_TTL_SECONDS } from '../../../functions/requeue.js';
import { steps } from '../../../functions/steps/index.js';
import type { KubeObject } from '../../../functions/types.js';
import { runFunctionRequest, withSpec, type RequestParts } from '../../support/requests.js';
import {
  binding,
  input,
  observedMR,
  project,
  readyProject,
  user,
  withStatus,
} from '../../support/reseller.js';
import { desiredResources, desiredStatus, summarize, type Summary } from '../../support/responses.js';

const LOGIN = 'user-sample-default@kkkfqd.k8s';
const USER_ID = '9a8b7c6d5e4f30211203f4e5d6c7b8a9';
const boundUser = (...regions: string[]) =>
  user(
    'user-sample',
    withStatus({ login: LOGIN, regions, userIDs: Object.fromEntries(regions.map((r) => [r, USER_ID])) }),
  );

const run = (parts: RequestParts & { fetched?: Record<string, KubeObject[]> } = {}) =>
  new StackplaneFunction(steps).RunFunction(
    runFunctionRequest({
      xr: binding('userprojectbinding-sample', 'user-sample', 'project-sample'),
      input: input('ResellerBinding'),
      required: {
        user: [boundUser('prod1')],
        project: [readyProject('project-sample', 'prod1')],
        ...parts.fetched,
      },
      ...parts,
    }),
  );

const valid = { type: 'Valid', status: 'True', reason: 'ValidSpec' };
const projectReady = {
  type: 'ProjectReady',
  status: 'True',
  reason: 'Available',
  message:
    'Project default/project-sample is OpenStack project p500123-kkkfqd-default-project-sample in region prod1',
};
const userReady = {
  type: 'UserReady',
  status: 'True',
  reason: 'Available',
  message: `User default/user-sample is OpenStack user ${LOGIN} in region prod1`,
};
const meta = (name: string) => ({
  name,
  namespace: 'default',
  labels: { 'app.kubernetes.io/managed-by': 'stackplane' },
});
const ref = (kind: string, name: string) => ({
  apiVersion: 'reseller.m.stackplane.io/v1alpha1',
  kind,
  resourceRef: { name },
});
const prod1 = { kind: 'ClusterProviderConfig', name: 'prod1' };

describe('UserProjectBinding: says what it waits for, and composes nothing meanwhile', () => {
  const cases: Record<string, { reason: string; fetched: Record<string, KubeObject[]>; want: Summary }> = {
    'user and project missing': {
      reason: 'both are named by the spec',
      fetched: { user: [], project: [] },
      want: {
        results: [],
        conditions: [
          valid,
          {
            type: 'ProjectReady',
            status: 'False',
            reason: 'ProjectMissing',
            message:
              'waiting for Project default/project-sample: it does not exist; create it or fix spec.project',
          },
          {
            type: 'UserReady',
            status: 'False',
            reason: 'UserMissing',
            message: 'waiting for User default/user-sample: it does not exist; create it or fix spec.user',
          },
        ],
      },
    },
    'project not ready, user without an OpenStack user in the region': {
      reason: 'the User creates it once it sees the binding',
      fetched: { user: [boundUser()], project: [project()] },
      want: {
        results: [],
        conditions: [
          valid,
          {
            type: 'ProjectReady',
            status: 'False',
            reason: 'WaitingForProject',
            message:
              'waiting for Project default/project-sample to be ready: it has no OpenStack project id yet',
          },
          {
            type: 'UserReady',
            status: 'False',
            reason: 'WaitingForOpenStackUser',
            message:
              'waiting for User default/user-sample to have an OpenStack user in region prod1; the User creates it once it sees this binding',
          },
        ],
      },
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { fetched, want }) => {
    const rsp = await run({ fetched });
    expect(summarize(rsp)).toEqual(want);
    expect(desiredResources(rsp)).toEqual({});
    expect(rsp.desired?.composite?.ready).toBe(Ready.READY_FALSE);
    // The User and Project are other composites, which Crossplane does not watch for this binding.
    expect(rsp.meta?.ttl).toEqual({ seconds: WAITING_TTL_SECONDS, nanos: 0 });
  });
});

describe('UserProjectBinding: the membership', () => {
  it('with Usages that keep the provider Project and User while it exists', async () => {
    const rsp = await run();
    expect(summarize(rsp)).toEqual({ results: [], conditions: [valid, projectReady, userReady] });
    // Only its own membership is left to wait for, and Crossplane watches that: the normal TTL.
    expect(rsp.meta?.ttl).toEqual({ seconds: 60, nanos: 0 });
    const by = ref('ProjectMembership', 'userprojectbinding-sample');
    expect(desiredResources(rsp)).toEqual({
      membership: {
        apiVersion: 'reseller.m.stackplane.io/v1alpha1',
        kind: 'ProjectMembership',
        metadata: meta('userprojectbinding-sample'),
        spec: {
          forProvider: { projectID: 'project-sample-id', userID: USER_ID },
          providerConfigRef: prod1,
        },
      },
      'usage-project': {
        apiVersion: 'protection.crossplane.io/v1beta1',
        kind: 'Usage',
        metadata: meta('userprojectbinding-sample-project'),
        spec: { of: ref('Project', 'project-sample'), by, replayDeletion: true },
      },
      'usage-user': {
        apiVersion: 'protection.crossplane.io/v1beta1',
        kind: 'Usage',
        metadata: meta('userprojectbinding-sample-user'),
        spec: { of: ref('User', 'user-sample-prod1'), by, replayDeletion: true },
      },
    });
    expect(desiredStatus(rsp)).toEqual({ region: 'prod1' });
  });

  it('keeps the regional user by the name the User gives it, also for a region with "-"', async () => {
    const rsp = await run({
      fetched: { user: [boundUser('de-north')], project: [readyProject('project-sample', 'de-north')] },
    });
    const spec = desiredResources(rsp)['usage-user']?.['spec'] as { of: { resourceRef: { name: string } } };
    expect(spec.of.resourceRef.name).toBe(regionalUserName('user-sample', 'de-north'));
    expect(spec.of.resourceRef.name).not.toBe('user-sample-de-north');
  });

  it('keeps an existing membership when its project is being deleted, so the deletion waits', async () => {
    const observed = {
      membership: {
        ...observedMR('ProjectMembership', 'userprojectbinding-sample', true),
        spec: { forProvider: { projectID: 'project-sample-id', userID: USER_ID }, providerConfigRef: prod1 },
      },
    };
    const rsp = await run({ observed, fetched: { user: [boundUser('prod1')], project: [] } });
    expect(desiredResources(rsp)).toEqual({
      membership: {
        apiVersion: 'reseller.m.stackplane.io/v1alpha1',
        kind: 'ProjectMembership',
        metadata: meta('userprojectbinding-sample'),
        spec: observed.membership.spec,
      },
    });
  });
});

describe('UserProjectBinding: the application credential', () => {
  const membershipReady = { membership: observedMR('ProjectMembership', 'userprojectbinding-sample', true) };
  const withAppCred = binding(
    'userprojectbinding-sample',
    'user-sample',
    'project-sample',
    withSpec({ applicationCredential: true }),
  );

  it('waits for the membership, and says so', async () => {
    const rsp = await run({ xr: withAppCred });
    expect(Object.keys(desiredResources(rsp)).sort()).toEqual(['membership', 'usage-project', 'usage-user']);
    expect(summarize(rsp).conditions).toContainEqual({
      type: 'ApplicationCredentialReady',
      status: 'False',
      reason: 'WaitingForMembership',
      message: 'waiting for the membership before creating the application credential',
    });
  });

  it('is named <full project name>-<login> and written to <binding>-appcred', async () => {
    const rsp = await run({ xr: withAppCred, observed: membershipReady });
    const resources = desiredResources(rsp);
    expect(resources['application-credential']).toEqual({
      apiVersion: 'reseller.m.stackplane.io/v1alpha1',
      kind: 'ApplicationCredential',
      metadata: meta('userprojectbinding-sample'),
      spec: {
        forProvider: {
          userID: USER_ID,
          projectID: 'project-sample-id',
          name: `p500123-kkkfqd-default-project-sample-${LOGIN}`,
          description: 'UserProjectBinding default/userprojectbinding-sample',
          passwordSecretRef: { name: 'user-sample-openstack-password', key: 'password' },
        },
        writeConnectionSecretToRef: { name: 'userprojectbinding-sample-appcred' },
        providerConfigRef: prod1,
      },
    });
    expect(resources['usage-application-credential']?.['spec']).toEqual({
      of: ref('User', 'user-sample-prod1'),
      by: ref('ApplicationCredential', 'userprojectbinding-sample'),
      replayDeletion: true,
    });
    // The membership goes after the credential: its deletion as the user needs the user's role.
    expect(resources['usage-membership']?.['spec']).toEqual({
      of: ref('ProjectMembership', 'userprojectbinding-sample'),
      by: ref('ApplicationCredential', 'userprojectbinding-sample'),
      replayDeletion: true,
    });
    expect(desiredStatus(rsp)).toEqual({
      region: 'prod1',
      applicationCredentialSecret: 'userprojectbinding-sample-appcred',
    });
  });

  it('is removed, with its Usages, when set to false', async () => {
    const rsp = await run({
      observed: {
        ...membershipReady,
        'application-credential': observedMR('ApplicationCredential', 'userprojectbinding-sample', true),
        'usage-application-credential': observedMR('Usage', 'userprojectbinding-sample-appcred', true),
        'usage-membership': observedMR('Usage', 'userprojectbinding-sample-membership', true),
      },
    });
    expect(Object.keys(desiredResources(rsp)).sort()).toEqual(['membership', 'usage-project', 'usage-user']);
  });
});
