import { describe, expect, it } from 'vitest';
import {
  Ready,
  Severity,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from '../../../functions/types.js';
import { TableFunction } from '../../../bench/table-function/server.js';
import { answer, recordEntry, tableKey } from '../../../bench/table-function/table.js';
import { runFunctionRequest, type Modifier, type RequestParts } from '../../support/requests.js';

// A UserProjectBinding in its final state: the membership takes the ids Keystone gave the Project
// and the User composites, which a later run gets anew.
const [PROJECT_ID, USER_ID] = ['0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'f9e8d7c6b5a4938271605f4e3d2c1b0a'];
const [NEW_PROJECT_ID, NEW_USER_ID] = [
  '11111111111111111111111111111111',
  '22222222222222222222222222222222',
];

const binding = (): KubeObject => ({
  apiVersion: 'reseller.stackplane.io/v1alpha1',
  kind: 'UserProjectBinding',
  metadata: { name: 'binding-0', namespace: 'bench-0' },
  spec: { user: 'user-0', project: 'project-0' },
});
const input = { apiVersion: 'fn.stackplane.io/v1alpha1', kind: 'ResellerBinding' };

const withCondition =
  (status: 'True' | 'False'): Modifier<KubeObject> =>
  (o) => {
    o['status'] = { ...(o['status'] as object), conditions: [{ type: 'Ready', status, reason: 'X' }] };
  };
const withStatus =
  (status: Record<string, unknown>): Modifier<KubeObject> =>
  (o) => {
    o['status'] = { ...(o['status'] as object), ...status };
  };
const withExternalName =
  (name: string): Modifier<KubeObject> =>
  (o) => {
    const meta = o['metadata'] as Record<string, unknown>;
    meta['annotations'] = { 'crossplane.io/external-name': name };
  };
const build = (object: KubeObject, ...modifiers: Modifier<KubeObject>[]) => {
  const o = structuredClone(object);
  for (const m of modifiers) m(o);
  return o;
};

const projectXR = (...m: Modifier<KubeObject>[]) =>
  build({ apiVersion: 'reseller.stackplane.io/v1alpha1', kind: 'Project', metadata: { name: 'project-0' }, spec: { region: 'region-one' } }, ...m); // prettier-ignore
const userXR = (...m: Modifier<KubeObject>[]) =>
  build({ apiVersion: 'reseller.stackplane.io/v1alpha1', kind: 'User', metadata: { name: 'user-0' }, spec: {} }, ...m); // prettier-ignore
const membership = (projectID: string, userID: string, ...m: Modifier<KubeObject>[]) =>
  build({ apiVersion: 'reseller.m.stackplane.io/v1alpha1', kind: 'ProjectMembership', metadata: { name: 'binding-0' }, spec: { forProvider: { projectID, userID, region: 'region-one' } } }, ...m); // prettier-ignore
const secret = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'binding-0-extra' },
});

/** The request function-stackplane answered in the recording run, and its answer. */
const recorded = {
  request: runFunctionRequest({
    xr: binding(),
    input,
    observed: {
      membership: membership(PROJECT_ID, USER_ID, withCondition('True'), withStatus({ atProvider: { id: 'membership-id-0001' } }), withExternalName('external-0001')),
      extra: secret(),
    },
    required: {
      project: [projectXR(withStatus({ projectID: PROJECT_ID, region: 'region-one' }))],
      user: [userXR(withStatus({ userIDs: { 'region-one': USER_ID } }))],
    },
  }), // prettier-ignore
  response: {
    meta: { tag: 'recorded', ttl: { seconds: 60, nanos: 0 } },
    desired: {
      composite: {
        resource: {
          ...binding(),
          status: { membershipID: 'membership-id-0001', externalName: 'external-0001', region: 'region-one' },
        },
        connectionDetails: {},
        ready: Ready.READY_UNSPECIFIED,
      },
      resources: {
        membership: {
          resource: membership(PROJECT_ID, USER_ID),
          connectionDetails: {},
          ready: Ready.READY_TRUE,
        },
        extra: { resource: secret(), connectionDetails: {}, ready: Ready.READY_TRUE },
      },
    },
    results: [],
    requirements: undefined,
    conditions: [],
  } satisfies RunFunctionResponse,
};
const entry = recordEntry(recorded.request, recorded.response);

/** A request of the later run: the same composite, the ids Keystone gives it this time. */
const later = (parts: Partial<RequestParts>): RunFunctionRequest => ({
  ...runFunctionRequest({ xr: binding(), input, ...parts }),
  meta: { tag: 'later', capabilities: [] },
});
const laterRequired = {
  project: [projectXR(withStatus({ projectID: NEW_PROJECT_ID }))],
  user: [userXR(withStatus({ userIDs: { 'region-one': NEW_USER_ID } }))],
};

const summary = (rsp: RunFunctionResponse) => ({
  tag: rsp.meta?.tag,
  ttl: rsp.meta?.ttl?.seconds,
  status: (rsp.desired?.composite?.resource as { status?: unknown } | undefined)?.status,
  resources: Object.fromEntries(
    Object.entries(rsp.desired?.resources ?? {}).map(([name, r]) => [
      name,
      {
        ready: Ready[r.ready],
        forProvider: (r.resource as { spec?: { forProvider?: unknown } }).spec?.forProvider,
      },
    ]),
  ),
});

describe('the table function', () => {
  const cases: Record<
    string,
    { reason: string; request: RunFunctionRequest; want: ReturnType<typeof summary> }
  > = {
    'ids filled from the request': {
      reason: 'the membership takes the ids the Project and User composites report in this run',
      request: later({
        observed: {
          membership: membership(NEW_PROJECT_ID, NEW_USER_ID, withCondition('True'), withStatus({ atProvider: { id: 'membership-id-0002' } }), withExternalName('external-0002')),
          extra: secret(),
        },
        required: laterRequired,
      }), // prettier-ignore
      want: {
        tag: 'later',
        ttl: 60,
        status: { membershipID: 'membership-id-0002', externalName: 'external-0002', region: 'region-one' },
        resources: {
          membership: { ready: 'READY_TRUE', forProvider: { projectID: NEW_PROJECT_ID, userID: NEW_USER_ID, region: 'region-one' } },
          extra: { ready: 'READY_TRUE', forProvider: undefined },
        },
      }, // prettier-ignore
    },
    'ids not there yet': {
      reason:
        'a resource whose ids the required composites do not report yet is left out, and the table asks again in 5 s; the region, given in the Project spec, is no hole',
      request: later({ required: { project: [projectXR()], user: [userXR()] } }),
      want: {
        tag: 'later',
        ttl: 5,
        status: { region: 'region-one' },
        resources: { extra: { ready: 'READY_FALSE', forProvider: undefined } },
      },
    },
    'ids gone from an existing resource': {
      reason:
        'an observed resource whose ids cannot be filled is kept as observed and not ready, never deleted',
      request: later({
        observed: { membership: membership(PROJECT_ID, USER_ID, withCondition('True')), extra: secret() },
        required: { project: [projectXR()], user: [userXR()] },
      }),
      want: {
        tag: 'later',
        ttl: 5,
        status: { region: 'region-one' },
        resources: {
          membership: { ready: 'READY_FALSE', forProvider: { projectID: PROJECT_ID, userID: USER_ID, region: 'region-one' } },
          extra: { ready: 'READY_TRUE', forProvider: undefined },
        },
      }, // prettier-ignore
    },
    'created, not ready yet': {
      reason:
        'a managed resource recorded ready is ready by its Ready condition; a composite field from its status waits for a watch, not the 5 s TTL',
      request: later({
        observed: {
          membership: membership(NEW_PROJECT_ID, NEW_USER_ID, withCondition('False')),
          extra: secret(),
        },
        required: laterRequired,
      }),
      want: {
        tag: 'later',
        ttl: 60,
        status: { region: 'region-one' },
        resources: {
          membership: { ready: 'READY_FALSE', forProvider: { projectID: NEW_PROJECT_ID, userID: NEW_USER_ID, region: 'region-one' } },
          extra: { ready: 'READY_TRUE', forProvider: undefined },
        },
      }, // prettier-ignore
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { request, want }) => {
    expect(summary(answer(entry, request))).toEqual(want);
  });

  it('records where each hole is filled from (a status field, an external name) and how each resource is ready', () => {
    expect({ holes: entry.holes, readiness: entry.readiness }).toEqual({
      holes: [
        { target: { composite: true }, path: ['status', 'membershipID'], from: { observed: 'membership', path: ['status', 'atProvider', 'id'] } },
        { target: { composite: true }, path: ['status', 'externalName'], from: { observed: 'membership', path: ['metadata', 'annotations', 'crossplane.io/external-name'] } },
        { target: { resource: 'membership' }, path: ['spec', 'forProvider', 'projectID'], from: { required: 'project', item: 0, path: ['status', 'projectID'] } },
        { target: { resource: 'membership' }, path: ['spec', 'forProvider', 'userID'], from: { required: 'user', item: 0, path: ['status', 'userIDs', 'region-one'] } },
      ],
      readiness: { membership: 'condition', extra: 'exists' },
    }); // prettier-ignore
  });

  it('keys a request by composite and step, and answers one it does not hold with a fatal result', async () => {
    const other = later({ xr: { ...binding(), metadata: { name: 'binding-9', namespace: 'bench-0' } } });
    const key = 'reseller.stackplane.io/v1alpha1|UserProjectBinding|bench-0|binding-0|ResellerBinding';
    expect(tableKey(recorded.request)).toBe(key);
    const rsp = await new TableFunction(new Map([[key, entry]])).RunFunction(other);
    expect(rsp.results.map((r) => [Severity[r.severity], r.message])).toEqual([
      [
        'SEVERITY_FATAL',
        'cannot answer from the table: no entry for reseller.stackplane.io/v1alpha1|UserProjectBinding|bench-0|binding-9|ResellerBinding',
      ],
    ]);
  });
});
