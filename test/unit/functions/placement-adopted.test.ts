// A PlacementAPI migrated from the placement-operator: the database account, its password Secret and
// the Keystone service and endpoints it took over, as the migration recorded them in status.
import { describe, expect, it } from 'vitest';
import { placementInputSchema } from '../../../apis/functions/placement-input.js';
import { placementAPISpecSchema, type PlacementAdopted } from '../../../apis/openstack/placementapi.js';
import { StackplaneFunction } from '../../../functions/handler.js';
import { steps } from '../../../functions/steps/index.js';
import { configHash, placementConf } from '../../../functions/steps/placement/config.js';
import { databaseResources } from '../../../functions/steps/placement/database.js';
import { deployment } from '../../../functions/steps/placement/deployment.js';
import { keystoneResources } from '../../../functions/steps/placement/keystone.js';
import type { Placement } from '../../../functions/steps/placement/names.js';
import { renderSecretsContainer } from '../../../functions/steps/placement/pod.js';
import type { KubeObject } from '../../../functions/types.js';
import { passwordSecret, placementAPI, placementInput, runFunctionRequest } from '../../support/requests.js';
import { desiredStatus, summarize } from '../../support/responses.js';

/** What the migration records for the operator's basic sample. */
const ADOPTED: PlacementAdopted = {
  databaseUser: 'placement_3fa2',
  databasePasswordSecret: 'placement-db-secret',
  keystoneServiceID: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  keystoneEndpointIDs: {
    internal: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    public: '9e8d7c6b5a4938271605f4e3d2c1b0a9',
  },
};

const placement = (input: Record<string, unknown> = {}, adopted?: PlacementAdopted): Placement => ({
  name: 'placement',
  namespace: 'openstack',
  spec: placementAPISpecSchema.parse({ databaseInstance: 'openstack', secret: 'osp-secret' }),
  input: placementInputSchema.parse(input),
  ...(adopted ? { adopted } : {}),
});

const spec = (o: KubeObject | undefined) => o?.['spec'] as Record<string, unknown>;
const externalName = (o: KubeObject | undefined) =>
  (o?.['metadata'] as { annotations?: Record<string, string> }).annotations?.['crossplane.io/external-name'];

describe('PlacementAPI adopted from the placement-operator keeps the database account and its password', () => {
  const cases: Record<
    string,
    {
      reason: string;
      input: Record<string, unknown>;
      want: { user: KubeObject; grant: Record<string, unknown> };
    }
  > = {
    'provider-sql': {
      reason: "the existing user by name, its password set from the operator's Secret, never generated",
      input: {},
      want: {
        user: {
          apiVersion: 'mysql.sql.m.crossplane.io/v1alpha1',
          kind: 'User',
          metadata: {
            name: 'placement-placement',
            namespace: 'openstack',
            labels: {
              'app.kubernetes.io/managed-by': 'stackplane',
              'openstack.stackplane.io/placementapi': 'placement',
            },
            annotations: { 'crossplane.io/external-name': 'placement_3fa2@%' },
          },
          spec: {
            forProvider: { passwordSecretRef: { name: 'placement-db-secret', key: 'DatabasePassword' } },
            providerConfigRef: { kind: 'ProviderConfig', name: 'openstack' },
            writeConnectionSecretToRef: { name: 'placement-db-account' },
          },
        },
        grant: {
          forProvider: {
            privileges: ['ALL'],
            databaseRef: { name: 'placement-placement' },
            userRef: { name: 'placement-placement' },
          },
          providerConfigRef: { kind: 'ProviderConfig', name: 'openstack' },
        },
      },
    },
    'MariaDB operator': {
      reason: 'the existing user by name, its password read from the Secret, generate off',
      input: { database: { backend: 'mariadb-operator' } },
      want: {
        user: {
          apiVersion: 'k8s.mariadb.com/v1alpha1',
          kind: 'User',
          metadata: {
            name: 'placement-placement',
            namespace: 'openstack',
            labels: {
              'app.kubernetes.io/managed-by': 'stackplane',
              'openstack.stackplane.io/placementapi': 'placement',
            },
          },
          spec: {
            mariaDbRef: { name: 'openstack' },
            name: 'placement_3fa2',
            host: '%',
            passwordSecretKeyRef: { name: 'placement-db-secret', key: 'DatabasePassword', generate: false },
          },
        },
        grant: {
          mariaDbRef: { name: 'openstack' },
          privileges: ['ALL PRIVILEGES'],
          database: 'placement',
          table: '*',
          username: 'placement_3fa2',
          host: '%',
        },
      },
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { input, want }) => {
    const resources = databaseResources(placement(input, ADOPTED));
    expect(resources['database-user']).toEqual(want.user);
    expect(spec(resources['database-grant'])).toEqual(want.grant);
  });

  it('the pods connect as that user with the password from that Secret', () => {
    const p = placement({}, ADOPTED);
    expect(placementConf(p)).toContain(
      'connection = mysql+pymysql://placement_3fa2@openstack.openstack.svc/placement?read_default_file=/etc/my.cnf&charset=utf8',
    );
    expect(renderSecretsContainer(p).env).toContainEqual({
      name: 'DATABASE_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'placement-db-secret', key: 'DatabasePassword' } },
    });
  });

  it('a PlacementAPI that adopted nothing keeps its config hash: its pods do not roll', () => {
    expect(configHash(placement({}, {}))).toBe(configHash(placement()));
    expect(configHash(placement({}, ADOPTED))).not.toBe(configHash(placement()));
  });
});

describe('PlacementAPI adopted from the placement-operator keeps the Keystone service and endpoints by id', () => {
  it('provider-openstack observes the existing service and endpoints instead of creating them', () => {
    const resources = keystoneResources(placement({}, ADOPTED));
    expect(
      Object.fromEntries(Object.entries(resources).map(([name, object]) => [name, externalName(object)])),
    ).toEqual({
      'keystone-service': 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      'keystone-user': undefined,
      'keystone-endpoint-internal': '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      'keystone-endpoint-public': '9e8d7c6b5a4938271605f4e3d2c1b0a9',
      'keystone-role-assignment': undefined,
    });
  });

  it('without a record, nothing is named: the provider creates them', () => {
    const resources = keystoneResources(placement());
    expect(Object.values(resources).map(externalName)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('waits for the recorded password Secret before db-sync, naming it and where it is recorded', async () => {
    const xr = placementAPI((o) => {
      o['status'] = { adopted: ADOPTED };
    });
    const rsp = await new StackplaneFunction(steps).RunFunction(
      runFunctionRequest({
        xr,
        input: placementInput(),
        required: { 'password-secret': [passwordSecret()], 'database-password-secret': [] },
      }),
    );
    expect(rsp.requirements?.resources?.['database-password-secret']).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      matchName: 'placement-db-secret',
      namespace: 'openstack',
    });
    expect(summarize(rsp).conditions.find((c) => c.type === 'InputReady')).toEqual({
      type: 'InputReady',
      status: 'False',
      reason: 'WaitingForSecret',
      message:
        'Secret placement-db-secret with key DatabasePassword (status.adopted.databasePasswordSecret) does not exist yet',
    });
  });

  it('keeps the record in status on every reconcile', async () => {
    const xr = placementAPI((o) => {
      o['status'] = { adopted: ADOPTED };
    });
    const rsp = await new StackplaneFunction(steps).RunFunction(
      runFunctionRequest({
        xr,
        input: placementInput(),
        required: { 'password-secret': [passwordSecret()], 'database-password-secret': [] },
      }),
    );
    expect(desiredStatus(rsp)?.['adopted']).toEqual(ADOPTED);
  });
});

describe("PlacementAPI on openstack-k8s-operators' mariadb-operator composes the placement-operator's own objects", () => {
  const OPENSTACK_MARIADB = { database: { backend: 'openstack-mariadb-operator' } };
  const labels = (extra: Record<string, string>) => ({
    'app.kubernetes.io/managed-by': 'stackplane',
    'openstack.stackplane.io/placementapi': 'placement',
    ...extra,
  });

  it('the MariaDBDatabase placement and the MariaDBAccount by their names, the recorded user and Secret, no Grant', () => {
    expect(databaseResources(placement(OPENSTACK_MARIADB, ADOPTED))).toEqual({
      database: {
        apiVersion: 'mariadb.openstack.org/v1beta1',
        kind: 'MariaDBDatabase',
        metadata: { name: 'placement', namespace: 'openstack', labels: labels({ dbName: 'openstack' }) },
        spec: { name: 'placement', defaultCharacterSet: 'utf8', defaultCollation: 'utf8_general_ci' },
      },
      'database-user': {
        apiVersion: 'mariadb.openstack.org/v1beta1',
        kind: 'MariaDBAccount',
        metadata: {
          name: 'placement',
          namespace: 'openstack',
          labels: labels({ mariaDBDatabaseName: 'placement' }),
        },
        spec: { userName: 'placement_3fa2', secret: 'placement-db-secret' },
      },
    });
  });

  const ready = (o: KubeObject): KubeObject => ({
    ...o,
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Ready' }] },
  });

  it('runs db-sync once the MariaDBDatabase and the MariaDBAccount are Ready, with no Grant to wait for', async () => {
    const xr = placementAPI((o) => {
      o['status'] = { adopted: ADOPTED };
    });
    const composed = databaseResources(placement(OPENSTACK_MARIADB, ADOPTED));
    const dbPassword: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'placement-db-secret', namespace: 'openstack' },
      data: { DatabasePassword: 'cGFzc3dvcmQ=' },
    };
    const rsp = await new StackplaneFunction(steps).RunFunction(
      runFunctionRequest({
        xr,
        input: placementInput(OPENSTACK_MARIADB),
        observed: Object.fromEntries(Object.entries(composed).map(([name, o]) => [name, ready(o)])),
        required: { 'password-secret': [passwordSecret()], 'database-password-secret': [dbPassword] },
      }),
    );
    const conditions = summarize(rsp).conditions.filter((c) =>
      ['DBReady', 'DatabaseAccountReady', 'DBSyncReady'].includes(c.type),
    );
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['DBReady', 'True', 'Ready'],
      ['DatabaseAccountReady', 'True', 'Ready'],
      ['DBSyncReady', 'False', 'Running'],
    ]);
    expect(Object.keys(rsp.desired?.resources ?? {}).filter((n) => n.startsWith('db'))).toHaveLength(1);
  });

  it('refuses a PlacementAPI without a recorded account: that operator generates no password', async () => {
    const rsp = await new StackplaneFunction(steps).RunFunction(
      runFunctionRequest({
        xr: placementAPI(),
        input: placementInput(OPENSTACK_MARIADB),
        required: { 'password-secret': [passwordSecret()] },
      }),
    );
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Fatal',
        reason: 'InvalidInput',
        message:
          'cannot compose PlacementAPI openstack/placement: input.database.backend openstack-mariadb-operator keeps the MariaDBAccount a migration recorded (status.adopted.databaseUser and databasePasswordSecret) and generates no password; this PlacementAPI has none: choose sql-provider or mariadb-operator for it, or migrate it with stackplane migrate',
      },
    ]);
    expect(rsp.desired?.resources ?? {}).toEqual({});
  });
});

describe('PlacementAPI adopted from the placement-operator keeps the Deployment selector', () => {
  it.each<{ reason: string; adopted?: PlacementAdopted; want: { selector: object; labels: object } }>([
    {
      reason: "the operator's selector, which cannot change, and both sets of labels on the pods",
      adopted: { deploymentSelector: { service: 'placement', owner: 'placement' } },
      want: {
        selector: { service: 'placement', owner: 'placement' },
        labels: {
          service: 'placement',
          owner: 'placement',
          'openstack.stackplane.io/placementapi': 'placement',
        },
      },
    },
    {
      reason: "without a record, Stackplane's own labels",
      want: {
        selector: { service: 'placement', 'openstack.stackplane.io/placementapi': 'placement' },
        labels: { service: 'placement', 'openstack.stackplane.io/placementapi': 'placement' },
      },
    },
  ])('$reason', ({ adopted, want }) => {
    const spec = deployment(placement({}, adopted), 'hash')['spec'] as {
      selector: { matchLabels: object };
      template: { metadata: { labels: object } };
    };
    expect({ selector: spec.selector.matchLabels, labels: spec.template.metadata.labels }).toEqual(want);
  });
});
