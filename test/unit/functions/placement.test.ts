import { describe, expect, it } from 'vitest';
import { DEFAULT_PLACEMENT_IMAGE } from '../../../apis/openstack/placementapi.js';
import { placementInputSchema } from '../../../apis/functions/placement-input.js';
import { placementAPISpecSchema } from '../../../apis/openstack/placementapi.js';
import { StackplaneFunction } from '../../../functions/handler.js';
import { WAITING_TTL_SECONDS } from '../../../functions/requeue.js';
import { steps } from '../../../functions/steps/index.js';
import { endpointURL } from '../../../functions/steps/placement/endpoints.js';
import { keystoneResources, keystoneWarnings } from '../../../functions/steps/placement/keystone.js';
import { networksAnnotation } from '../../../functions/steps/placement/network.js';
import type { Placement } from '../../../functions/steps/placement/names.js';
import type { KubeObject } from '../../../functions/types.js';
import {
  SERVICE_PASSWORD_VALUE,
  passwordSecret,
  placementAPI,
  placementInput,
  runFunctionRequest,
  withSpec,
  type RequestParts,
} from '../../support/requests.js';
import { desiredResources, desiredStatus, summarize, type Summary } from '../../support/responses.js';

const run = (parts: RequestParts) =>
  new StackplaneFunction(steps).RunFunction(
    runFunctionRequest({
      input: placementInput(),
      required: { 'password-secret': [passwordSecret()] },
      ...parts,
    }),
  );

const invalid = (field: string, problem: string): Summary => {
  const message = `invalid PlacementAPI openstack/placement: ${field}: ${problem}`;
  return {
    results: [{ severity: 'Fatal', reason: 'InvalidSpec', message }],
    conditions: [{ type: 'Valid', status: 'False', reason: 'InvalidSpec', message }],
  };
};

/** A parsed Placement for the pure modules, from spec and input fields. */
const placement = (spec: Record<string, unknown> = {}, input: Record<string, unknown> = {}): Placement => ({
  name: 'placement',
  namespace: 'openstack',
  spec: placementAPISpecSchema.parse({ databaseInstance: 'openstack', secret: 'osp-secret', ...spec }),
  input: placementInputSchema.parse(input),
});

type Deployment = {
  spec: {
    replicas: number;
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        containers: Array<{ name: string; image: string; readinessProbe: { httpGet: { scheme: string } } }>;
      };
    };
  };
};

describe('PlacementAPI: bad input is rejected with the field and the fix, and nothing is composed', () => {
  const cases: Record<string, { reason: string; spec: Record<string, unknown>; want: Summary }> = {
    'unknown override endpoint': {
      reason: 'only the internal and public Services exist',
      spec: { override: { service: { admin: { spec: { type: 'LoadBalancer' } } } } },
      want: invalid(
        'spec.override.service.admin',
        'is not allowed: only internal and public can be set; remove "admin"',
      ),
    },
    'override of a Service field Stackplane owns': {
      reason: 'the selector and ports point the endpoint at the API pods',
      spec: { override: { service: { internal: { spec: { selector: { app: 'other' } } } } } },
      want: invalid('spec.override.service.internal.spec', 'Unrecognized key: "selector"'),
    },
    'overwrite of a file other than policy.yaml': {
      reason: 'only policy.yaml can be replaced',
      spec: { defaultConfigOverwrite: { 'logging.conf': '[loggers]' } },
      want: invalid(
        'spec.defaultConfigOverwrite.logging.conf',
        'is not allowed: only policy.yaml can be set; remove "logging.conf"',
      ),
    },
    'too many replicas': {
      reason: 'replicas are 0-32',
      spec: { replicas: 33 },
      want: invalid('spec.replicas', 'Too big: expected number to be <=32'),
    },
    'api timeout too short': {
      reason: 'apiTimeout is at least 10 seconds',
      spec: { apiTimeout: 5 },
      want: invalid('spec.apiTimeout', 'Too small: expected number to be >=10'),
    },
    'TLS on one endpoint only': {
      reason: 'both virtual hosts share port 8778',
      spec: { tls: { api: { internal: { secretName: 'cert-internal-svc' } } } },
      want: invalid(
        'spec.tls.api',
        'internal and public must both have a secretName or neither: both endpoints share port 8778; set the missing one',
      ),
    },
    'half an application credential': {
      reason: 'id and secret go together',
      spec: { passwordSelectors: { applicationCredentialID: 'AppCredID' } },
      want: invalid(
        'spec.passwordSelectors',
        'applicationCredentialID and applicationCredentialSecret must be set together; set both or neither',
      ),
    },
    'endpoint URL that is no URL': {
      reason: 'Keystone registers URLs',
      spec: { override: { service: { public: { endpointURL: 'placement' } } } },
      want: invalid('spec.override.service.public.endpointURL', 'Invalid URL'),
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { spec, want }) => {
    const rsp = await run({ xr: placementAPI(withSpec(spec)) });
    expect(summarize(rsp)).toEqual(want);
    expect(desiredResources(rsp)).toEqual({});
  });
});

describe('PlacementAPI: RBAC order', () => {
  // The API server checks a RoleBinding against the Role it names and answers NotFound before the
  // Role exists (Crossplane holds the Role's rules, not bind): the binding follows its Role.
  it.each([
    { reason: 'no RoleBinding before its Role exists', observed: {}, binding: false },
    {
      reason: 'the RoleBinding once the Role exists',
      observed: { role: { metadata: { name: 'placement-placement' } } },
      binding: true,
    },
    {
      reason: 'a RoleBinding that exists is kept',
      observed: { 'role-binding': { metadata: { name: 'placement-placement' } } },
      binding: true,
    },
  ])('$reason', async ({ observed, binding }) => {
    const rsp = await run({ xr: placementAPI(), observed });
    expect('role-binding' in desiredResources(rsp)).toBe(binding);
  });
});

describe('PlacementAPI: defaults', () => {
  it('composes the first objects with every default and reports what was decided', async () => {
    const rsp = await run({ xr: placementAPI() });
    expect(Object.keys(desiredResources(rsp)).sort()).toEqual([
      'config-secret',
      'database',
      'database-grant',
      'database-user',
      'role',
      'service-account',
      'service-internal',
      'service-public',
    ]);
    expect(desiredStatus(rsp)).toEqual({
      readyCount: 0,
      databaseHostname: 'openstack.openstack.svc',
      endpoints: {
        internal: 'http://placement-internal.openstack.svc:8778',
        public: 'http://placement-public.openstack.svc:8778',
      },
      hash: { config: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(placement().spec).toEqual({
      containerImage: DEFAULT_PLACEMENT_IMAGE,
      replicas: 1,
      serviceUser: 'placement',
      secret: 'osp-secret',
      passwordSelectors: { service: 'PlacementPassword' },
      databaseInstance: 'openstack',
      databaseAccount: 'placement',
      apiTimeout: 60,
      preserveJobs: false,
      region: 'regionOne',
    });
  });

  it('says which part is not ready yet', async () => {
    const rsp = await run({ xr: placementAPI() });
    const notReady = summarize(rsp)
      .conditions.filter((c) => c.status === 'False')
      .map((c) => `${c.type}: ${c.message}`);
    expect(notReady).toEqual([
      'ServiceConfigReady: config Secret is being created',
      'RBACReady: ServiceAccount, Role and RoleBinding are being created',
      'DBReady: database placement is being created',
      'DatabaseAccountReady: database account and grant are being created',
      'DBSyncReady: db-sync waits for the database and its account',
      'DeploymentReady: the Deployment is created once db-sync completed',
      'CreateServiceReady: Services are being created',
      'KeystoneServiceReady: Keystone service: registration waits until the Deployment is ready',
      'KeystoneEndpointReady: Keystone endpoints: registration waits until the Deployment is ready',
      // The operator's own condition types, for tooling and alerts written for it.
      'ServiceAccountReady: ServiceAccount is being created',
      'RoleReady: Role is being created',
      'RoleBindingReady: RoleBinding is being created',
      'MariaDBAccountReady: database account and grant are being created',
    ]);
  });

  it("publishes each of the operator's RBAC conditions by its own object", async () => {
    const observed = {
      'service-account': { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'placement' } },
    };
    const byType = Object.fromEntries(
      summarize(await run({ xr: placementAPI(), observed })).conditions.map((c) => [c.type, c.status]),
    );
    expect(byType).toMatchObject({
      ServiceAccountReady: 'True',
      RoleReady: 'False',
      RoleBindingReady: 'False',
      RBACReady: 'False',
    });
  });

  it('waits for the password Secret before db-sync, naming it', async () => {
    const rsp = await run({ xr: placementAPI(), required: { 'password-secret': [] } });
    expect(summarize(rsp).conditions.find((c) => c.type === 'InputReady')).toEqual({
      type: 'InputReady',
      status: 'False',
      reason: 'WaitingForSecret',
      message: 'Secret osp-secret with key PlacementPassword does not exist yet',
    });
  });
});

describe('PlacementAPI: endpoint URLs', () => {
  const tls = { api: { internal: { secretName: 'i' }, public: { secretName: 'p' } } };
  const cases: Record<string, { spec: Record<string, unknown>; want: [string, string] }> = {
    'plain HTTP by default': {
      spec: {},
      want: ['http://placement-internal.openstack.svc:8778', 'http://placement-public.openstack.svc:8778'],
    },
    'HTTPS with TLS': {
      spec: { tls },
      want: ['https://placement-internal.openstack.svc:8778', 'https://placement-public.openstack.svc:8778'],
    },
    'endpointURL wins over the Service name, with or without TLS': {
      spec: {
        tls,
        override: { service: { public: { endpointURL: 'https://placement.cloud.example.com' } } },
      },
      want: ['https://placement-internal.openstack.svc:8778', 'https://placement.cloud.example.com'],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { spec, want }) => {
    const p = placement(spec);
    expect([endpointURL(p, 'internal'), endpointURL(p, 'public')]).toEqual(want);
  });
});

describe('PlacementAPI: status.networkAttachments', () => {
  it('is left out, never applied as {}, while no pod reports an IP on the attached networks', async () => {
    // Server-side apply would turn an emptied map into null, which the XRD refuses.
    const rsp = await run({
      xr: placementAPI(withSpec({ networkAttachments: ['internalapi'] })),
      required: { 'password-secret': [passwordSecret()], 'api-pods': [] },
    });
    expect(desiredStatus(rsp)).not.toHaveProperty('networkAttachments');
    expect(summarize(rsp).conditions).toContainEqual(
      expect.objectContaining({ type: 'NetworkAttachmentsReady', status: 'False' }),
    );
  });
});

describe('PlacementAPI: how soon it runs again', () => {
  it('soon while the input Secret is missing: it is read, not composed, so nothing else re-runs it', async () => {
    const rsp = await run({ xr: placementAPI(), required: { 'password-secret': [] } });
    expect(rsp.meta?.ttl).toEqual({ seconds: WAITING_TTL_SECONDS, nanos: 0 });
  });

  it('at the normal TTL while it waits only for what it composes', async () => {
    const rsp = await run({ xr: placementAPI() });
    expect(rsp.meta?.ttl).toEqual({ seconds: 60, nanos: 0 });
  });
});

describe('PlacementAPI: the network annotation', () => {
  it('lists each attachment with its namespace and an interface name cut to 15 characters', () => {
    expect(networksAnnotation(['internalapi', 'storage-management-net'], 'openstack')).toBe(
      '[{"name":"internalapi","namespace":"openstack","interface":"internalapi"},' +
        '{"name":"storage-management-net","namespace":"openstack","interface":"storage-managem"}]',
    );
  });
});

/** Observed state in which the database is ready and db-sync completed for `hash`. */
const readyMR = (): KubeObject => ({ status: { conditions: [{ type: 'Ready', status: 'True' }] } });
const afterDbSync = (hash: string) => ({
  database: readyMR(),
  'database-user': readyMR(),
  'database-grant': readyMR(),
  [`db-sync-${hash.slice(0, 10)}`]: { status: { succeeded: 1 } },
});

describe('PlacementAPI: config changes roll the pods and run db-sync again', () => {
  it('a new config hash names a new Job and a new pod template', async () => {
    const first = await run({ xr: placementAPI() });
    const hash = (desiredStatus(first)?.['hash'] as { config: string }).config;
    const synced = (xr: KubeObject) => {
      xr['status'] = { hash: { config: hash, dbsync: hash } };
    };
    const observed = { ...afterDbSync(hash), deployment: {} };
    const before = desiredResources(await run({ xr: placementAPI(synced), observed }));
    const changed = placementAPI(withSpec({ customServiceConfig: '[DEFAULT]\ndebug = true\n' }), synced);
    const after = desiredResources(await run({ xr: changed, observed }));

    const podHash = (d: KubeObject | undefined) =>
      (d as Deployment).spec.template.metadata.annotations['openstack.stackplane.io/config-hash'] ?? '';
    const newHash = podHash(after['deployment']);
    expect(podHash(before['deployment'])).toBe(hash);
    expect(newHash).not.toBe(hash);
    // Before: db-sync completed for this hash and its Job is gone. After: a new Job for the new hash.
    expect(Object.keys(before).filter((n) => n.startsWith('db-sync'))).toEqual([]);
    expect(Object.keys(after).filter((n) => n.startsWith('db-sync'))).toEqual([
      `db-sync-${newHash.slice(0, 10)}`,
    ]);
    expect((after[`db-sync-${newHash.slice(0, 10)}`]?.['metadata'] as { name: string }).name).toBe(
      `placement-db-sync-${newHash.slice(0, 10)}`,
    );
  });

  it.each([
    ['removed after success', false, []],
    ['kept with preserveJobs', true, ['db-sync']],
  ] as const)('the completed Job is %s', async (_name, preserveJobs, want) => {
    const first = await run({ xr: placementAPI(withSpec({ preserveJobs })) });
    const hash = (desiredStatus(first)?.['hash'] as { config: string }).config;
    const xr = placementAPI(withSpec({ preserveJobs }), (x) => {
      x['status'] = { hash: { config: hash, dbsync: hash } };
    });
    const names = Object.keys(desiredResources(await run({ xr, observed: afterDbSync(hash) })));
    expect(names.filter((n) => n.startsWith('db-sync')).map((n) => n.slice(0, 7))).toEqual(want);
  });
});

describe('PlacementAPI: passwords', () => {
  it('never generates, reads or outputs a password, so reconciles keep the generated one', async () => {
    const runs = [
      await run({ xr: placementAPI() }),
      await run({ xr: placementAPI(), observed: afterDbSync('0') }),
    ];
    const users = runs.map((rsp) => desiredResources(rsp)['database-user']);
    expect(users[0]).toEqual(users[1]);
    expect(users[0]?.['spec']).toEqual({
      forProvider: {},
      providerConfigRef: { kind: 'ProviderConfig', name: 'openstack' },
      writeConnectionSecretToRef: { name: 'placement-db-account' },
    });
    for (const rsp of runs) expect(JSON.stringify(rsp)).not.toContain(SERVICE_PASSWORD_VALUE);
  });
});

describe('PlacementAPI: overrides', () => {
  it('applies a Service override and keeps the selector and port', async () => {
    const override = {
      metadata: { annotations: { 'metallb.universe.tf/loadBalancerIPs': '172.17.0.80' } },
      spec: { type: 'LoadBalancer' },
    };
    const rsp = await run({ xr: placementAPI(withSpec({ override: { service: { internal: override } } })) });
    expect(desiredResources(rsp)['service-internal']).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'placement-internal',
        namespace: 'openstack',
        labels: {
          'app.kubernetes.io/managed-by': 'stackplane',
          'openstack.stackplane.io/placementapi': 'placement',
          service: 'placement',
          endpoint: 'internal',
        },
        annotations: { 'metallb.universe.tf/loadBalancerIPs': '172.17.0.80' },
      },
      spec: {
        type: 'LoadBalancer',
        selector: { service: 'placement', 'openstack.stackplane.io/placementapi': 'placement' },
        ports: [{ name: 'placement-internal', port: 8778, targetPort: 8778, protocol: 'TCP' }],
      },
    });
  });

  it('uses the image, replicas and HTTPS probes from the spec', async () => {
    const spec = {
      containerImage: 'example.com/placement:1',
      replicas: 3,
      tls: { api: { internal: { secretName: 'i' }, public: { secretName: 'p' } } },
    };
    const required = {
      'password-secret': [passwordSecret()],
      'tls-internal-secret': [{ data: { 'tls.crt': 'x', 'tls.key': 'x' } }],
      'tls-public-secret': [{ data: { 'tls.crt': 'x', 'tls.key': 'x' } }],
    };
    const first = await run({ xr: placementAPI(withSpec(spec)), required });
    const hash = (desiredStatus(first)?.['hash'] as { config: string }).config;
    const rsp = await run({ xr: placementAPI(withSpec(spec)), observed: afterDbSync(hash), required });
    const d = desiredResources(rsp)['deployment'] as Deployment;
    expect(d.spec.replicas).toBe(3);
    expect(
      d.spec.template.spec.containers.map((c) => [c.name, c.image, c.readinessProbe.httpGet.scheme]),
    ).toEqual([
      ['placement-log', 'example.com/placement:1', 'HTTPS'],
      ['placement-api', 'example.com/placement:1', 'HTTPS'],
    ]);
  });

  it('composes the MariaDB operator and keystone operator kinds when the input selects them', async () => {
    const input = placementInput({
      database: { backend: 'mariadb-operator' },
      keystone: { backend: 'keystone-operator' },
    });
    const rsp = await run({ xr: placementAPI(), input });
    const kinds = Object.values(desiredResources(rsp))
      .filter((r) => String(r['apiVersion']).includes('mariadb'))
      .map((r) => `${String(r['apiVersion'])} ${String(r['kind'])}`);
    expect(kinds.sort()).toEqual([
      'k8s.mariadb.com/v1alpha1 Database',
      'k8s.mariadb.com/v1alpha1 Grant',
      'k8s.mariadb.com/v1alpha1 User',
    ]);
  });
});

describe('PlacementAPI: the Keystone service role', () => {
  const rolePlacement = (keystone: Record<string, unknown>) =>
    placement({}, { keystone: { backend: 'openstack-provider', ...keystone } });
  const assignment = (ready: boolean): KubeObject => ({
    apiVersion: 'identity.openstack.m.crossplane.io/v1alpha1',
    kind: 'RoleAssignmentV3',
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: 'x' }] },
  });

  it('composes the role assignment by default, resolving the service project and admin role by name', () => {
    const resources = keystoneResources(rolePlacement({}));
    expect(resources['keystone-role-assignment']?.['spec']).toMatchObject({
      forProvider: {
        projectIdRef: { name: 'service' },
        roleIdRef: { name: 'admin' },
        userIdRef: { name: 'placement-placement' },
      },
    });
  });

  it('uses the ids instead once the Composition pins them', () => {
    const resources = keystoneResources(rolePlacement({ serviceProjectID: 'p1', serviceRoleID: 'r1' }));
    expect(resources['keystone-role-assignment']?.['spec']).toMatchObject({
      forProvider: { projectId: 'p1', roleId: 'r1', userIdRef: { name: 'placement-placement' } },
    });
    expect(
      (resources['keystone-role-assignment']?.['spec'] as { forProvider: object }).forProvider,
    ).not.toHaveProperty('projectIdRef');
  });

  it.each([
    [
      'warns while the assignment waits for the named project and role, saying how to provide them',
      {},
      assignment(false),
      [
        {
          severity: 'Warning',
          reason: 'ServiceRoleMissing',
          message:
            'Keystone user "placement" has no role yet: its role assignment waits for ProjectV3 openstack/service and RoleV3 openstack/admin; import the cloud\'s service project and admin role under those names (managementPolicies [Observe], their ids as crossplane.io/external-name) or set input.keystone.serviceProjectID and serviceRoleID; until then placement cannot validate client tokens',
        },
      ],
    ],
    ['is quiet once the assignment is ready', {}, assignment(true), []],
    ['is quiet before the assignment exists', {}, undefined, []],
    ['is quiet with both ids set', { serviceProjectID: 'p1', serviceRoleID: 'r1' }, assignment(false), []],
  ])('%s', (_reason, keystone, observed, want) => {
    expect(keystoneWarnings(rolePlacement(keystone), observed)).toEqual(want);
  });

  it('is quiet for the keystone operator, which gives the role itself', () => {
    expect(
      keystoneWarnings(placement({}, { keystone: { backend: 'keystone-operator' } }), assignment(false)),
    ).toEqual([]);
  });
});

/** A PlacementAPI whose db-sync has completed once, so its Deployment is composed. */
const synced = (...modifiers: Parameters<typeof placementAPI>) =>
  placementAPI(...modifiers, (xr) => {
    (xr as KubeObject)['status'] = { hash: { dbsync: 'synced-before' } };
  });
const podSpecOf = (rsp: Awaited<ReturnType<typeof run>>) =>
  (
    desiredResources(rsp)['deployment']?.['spec'] as
      { template: { spec: Record<string, unknown> } } | undefined
  )?.template.spec;

describe("PlacementAPI: the operator's topologyRef", () => {
  const topology: KubeObject = {
    apiVersion: 'topology.openstack.org/v1beta1',
    kind: 'Topology',
    metadata: { name: 'spread', namespace: 'openstack' },
    spec: {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
      ],
    },
  };
  const xr = synced(withSpec({ topologyRef: { name: 'spread' } }));

  it('reads the Topology from its own namespace and gives the pods its constraints instead of the default', async () => {
    const rsp = await run({ xr, required: { 'password-secret': [passwordSecret()], topology: [topology] } });
    expect(rsp.requirements?.resources?.['topology']).toEqual({
      apiVersion: 'topology.openstack.org/v1beta1',
      kind: 'Topology',
      matchName: 'spread',
      namespace: 'openstack',
    });
    const pod = podSpecOf(rsp);
    expect(pod?.['topologySpreadConstraints']).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: {
          matchLabels: { service: 'placement', 'openstack.stackplane.io/placementapi': 'placement' },
        },
      },
    ]);
    expect(pod).not.toHaveProperty('affinity');
    expect(summarize(rsp).conditions).toContainEqual({
      type: 'TopologyReady',
      status: 'True',
      reason: 'Ready',
      message: 'Topology spread applied to the API pods',
    });
  });

  it('creates no Deployment until the Topology exists, says so, and looks again soon', async () => {
    const rsp = await run({ xr, required: { 'password-secret': [passwordSecret()], topology: [] } });
    expect(desiredResources(rsp)['deployment']).toBeUndefined();
    expect(summarize(rsp).conditions).toContainEqual({
      type: 'TopologyReady',
      status: 'False',
      reason: 'TopologyMissing',
      message: 'Topology openstack/spread does not exist yet; the Deployment is created once it does',
    });
    expect(rsp.meta?.ttl).toEqual({ seconds: WAITING_TTL_SECONDS, nanos: 0 });
  });

  it('turns an earlier TopologyReady True once the reference is removed, since Crossplane keeps it', async () => {
    const xr = placementAPI((o) => {
      (o as KubeObject)['status'] = {
        conditions: [{ type: 'TopologyReady', status: 'False', reason: 'TopologyMissing' }],
      };
    });
    expect(summarize(await run({ xr })).conditions).toContainEqual({
      type: 'TopologyReady',
      status: 'True',
      reason: 'NoTopology',
      message: 'no Topology is referenced',
    });
    expect(summarize(await run({ xr: placementAPI() })).conditions.map((c) => c.type)).not.toContain(
      'TopologyReady',
    );
  });

  it('refuses a Topology of another namespace, as the operator does', async () => {
    const rsp = await run({
      xr: placementAPI(withSpec({ topologyRef: { name: 'spread', namespace: 'infra' } })),
    });
    const message =
      'invalid PlacementAPI openstack/placement: spec.topologyRef.namespace: a Topology is read from the PlacementAPI\'s own namespace "openstack", not "infra"; copy it there or remove spec.topologyRef.namespace';
    expect(summarize(rsp)).toEqual({
      results: [{ severity: 'Fatal', reason: 'InvalidSpec', message }],
      conditions: [{ type: 'Valid', status: 'False', reason: 'InvalidSpec', message }],
    });
  });
});

describe("PlacementAPI: the operator's auth.applicationCredentialSecret", () => {
  const appCred: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'ac-placement-secret', namespace: 'openstack' },
    data: { AC_ID: 'aWQ=', AC_SECRET: 'c2VjcmV0' },
  };
  const xr = synced(withSpec({ auth: { applicationCredentialSecret: 'ac-placement-secret' } }));

  it('authenticates the service with AC_ID and AC_SECRET from that Secret, never with the password', async () => {
    const rsp = await run({ xr, required: { 'password-secret': [appCred] } });
    expect(rsp.requirements?.resources?.['password-secret']).toMatchObject({
      matchName: 'ac-placement-secret',
    });
    const init = (podSpecOf(rsp)?.['initContainers'] as Array<{ env: unknown[] }>)[0];
    expect(init?.env).toEqual(
      expect.arrayContaining([
        {
          name: 'PLACEMENT_APPLICATION_CREDENTIAL_ID',
          valueFrom: { secretKeyRef: { name: 'ac-placement-secret', key: 'AC_ID' } },
        },
        {
          name: 'PLACEMENT_APPLICATION_CREDENTIAL_SECRET',
          valueFrom: { secretKeyRef: { name: 'ac-placement-secret', key: 'AC_SECRET' } },
        },
      ]),
    );
    expect(JSON.stringify(init?.env)).not.toContain('PLACEMENT_PASSWORD');
    const config = desiredResources(rsp)['config-secret']?.['stringData'] as
      Record<string, string> | undefined;
    expect(Object.values(config ?? {}).join('\n')).toContain('auth_type = v3applicationcredential');
  });

  it('waits for the Secret, naming its keys', async () => {
    const rsp = await run({ xr, required: { 'password-secret': [] } });
    expect(summarize(rsp).conditions.find((c) => c.type === 'InputReady')?.message).toBe(
      'Secret ac-placement-secret with keys AC_ID, AC_SECRET does not exist yet',
    );
  });
});

describe('PlacementAPI: the public endpoint through a Route or an Ingress, as the platform chooses', () => {
  const tls = { api: { internal: { secretName: 'cert-internal' }, public: { secretName: 'cert-public' } } };
  const required = {
    'password-secret': [passwordSecret()],
    'tls-internal-secret': [
      { apiVersion: 'v1', kind: 'Secret', data: { 'tls.crt': 'Yw==', 'tls.key': 'aw==' } },
    ],
    'tls-public-secret': [
      { apiVersion: 'v1', kind: 'Secret', data: { 'tls.crt': 'Yw==', 'tls.key': 'aw==' } },
    ],
  };
  const exposed = (publicEndpoint: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
    run({ xr: placementAPI(withSpec(spec)), input: placementInput({ publicEndpoint }), required });

  it('a Route with the original host, passing TLS through, and its https URL registered in Keystone', async () => {
    const rsp = await exposed({ expose: 'Route', domain: 'apps.example.com' }, { tls });
    expect(desiredResources(rsp)['public-exposure']).toEqual({
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: expect.objectContaining({ name: 'placement-public', namespace: 'openstack' }),
      spec: {
        host: 'placement-public-openstack.apps.example.com',
        to: { kind: 'Service', name: 'placement-public', weight: 100 },
        port: { targetPort: 'placement-public' },
        tls: { termination: 'passthrough', insecureEdgeTerminationPolicy: 'Redirect' },
      },
    });
    expect(desiredStatus(rsp)?.['endpoints']).toEqual({
      internal: 'https://placement-internal.openstack.svc:8778',
      public: 'https://placement-public-openstack.apps.example.com',
    });
    expect(
      keystoneResources(
        placement({ tls }, { publicEndpoint: { expose: 'Route', domain: 'apps.example.com' } }),
      ),
    ).toMatchObject({
      'keystone-endpoint-public': {
        spec: { forProvider: { url: 'https://placement-public-openstack.apps.example.com' } },
      },
    });
  });

  it('an Ingress on the host the spec names, with its class and the public certificate', async () => {
    const rsp = await exposed(
      {
        expose: 'Ingress',
        ingressClassName: 'nginx',
        annotations: { 'cert-manager.io/cluster-issuer': 'ca' },
      },
      { tls, override: { service: { public: { endpointURL: 'https://placement.cloud.example.com' } } } },
    );
    const ingress = desiredResources(rsp)['public-exposure'];
    expect(ingress?.['kind']).toBe('Ingress');
    expect((ingress?.['metadata'] as { annotations: unknown }).annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'ca',
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
    });
    expect(ingress?.['spec']).toEqual({
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'placement.cloud.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'placement-public', port: { number: 8778 } } },
              },
            ],
          },
        },
      ],
      tls: [{ hosts: ['placement.cloud.example.com'], secretName: 'cert-public' }],
    });
  });

  it('plain http without a certificate', async () => {
    const rsp = await exposed({ expose: 'Route', domain: 'apps.example.com' });
    expect(
      (desiredResources(rsp)['public-exposure']?.['spec'] as Record<string, unknown>)['tls'],
    ).toBeUndefined();
    expect((desiredStatus(rsp)?.['endpoints'] as { public: string }).public).toBe(
      'http://placement-public-openstack.apps.example.com',
    );
  });

  it('refuses a Route without a host to register, saying where to set one', async () => {
    const rsp = await exposed({ expose: 'Route' });
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Fatal',
        reason: 'InvalidInput',
        message:
          'cannot compose PlacementAPI openstack/placement: input.publicEndpoint.domain: a Route needs a host to register in Keystone as the public endpoint; set publicEndpoint.domain in the Composition input (for example apps.example.com) or spec.override.service.public.endpointURL',
      },
    ]);
  });
});
