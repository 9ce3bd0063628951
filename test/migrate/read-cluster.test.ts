import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../migrate/cluster.js';
import type { KubeObject } from '../../migrate/plan.js';
import { readCluster } from '../../migrate/read-cluster.js';
import { cloudResourceOperator } from '../../migrate/sources/cro.js';
import { build, inNamespace, vendored, withFinalizers, withSpec, withStatus } from './support.js';

const OPERATOR_NAMESPACE = 'cloud-resource-operator-system';

/** A cluster holding `objects`, serving only the kinds `served` names (all when absent); it only reads. */
function clusterOf(objects: KubeObject[], served?: string[]): Cluster {
  const refuse = () => Promise.reject(new Error('the reader only reads'));
  return {
    get: refuse,
    list: (apiVersion, kind, namespace) =>
      Promise.resolve(
        served && !served.includes(kind)
          ? []
          : objects.filter(
              (o) =>
                o.apiVersion === apiVersion &&
                o.kind === kind &&
                (namespace === undefined || o.metadata.namespace === namespace),
            ),
      ),
    apply: refuse,
    setFinalizers: refuse,
    deleteOrphaning: refuse,
    scaleToZero: refuse,
    seedStatus: refuse,
    unpause: refuse,
    letGo: refuse,
  };
}

const infrastructure: KubeObject = {
  apiVersion: 'config.openshift.io/v1',
  kind: 'Infrastructure',
  metadata: { name: 'cluster' },
  status: { infrastructureName: 'qwerty-x7k2p' },
};
const strategies = (namespace: string) =>
  build(vendored('cro/sample-aws-strategies.yaml'), inNamespace(namespace));
const dataConfig: KubeObject = {
  apiVersion: 'apiextensions.crossplane.io/v1beta1',
  kind: 'EnvironmentConfig',
  metadata: { name: 'stackplane-data' },
  data: {},
};
const postgres = build(
  vendored('cro/sample-postgres.yaml'),
  inNamespace('team-a'),
  withSpec({ type: 'managed' }),
  withFinalizers('cloud-resources-operator.integreatly.org/finalizers'),
  withStatus({ phase: 'complete', provider: 'aws-rds', strategy: 'aws' }),
);
/** What a namespace's tenant may write: a ConfigMap of the operator's name, pinning another identifier. */
const tenantStrategies = build(strategies('team-a'), (o) => {
  o['data'] = { postgres: '{"development": {"createStrategy": {"DBInstanceIdentifier": "someone-elses"}}}' };
});

/** `Kind namespace/name` of each object read besides the originals and Secrets. */
const alongside = (objects: KubeObject[]) =>
  objects
    .filter((o) => o.apiVersion !== 'integreatly.org/v1alpha1' && o.kind !== 'Secret')
    .map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);

describe('reading the cloud-resource-operator from a cluster', () => {
  it.each<{
    reason: string;
    objects: KubeObject[];
    served?: string[];
    operatorNamespace: string;
    want: string[];
  }>([
    {
      reason: 'the cluster id, the strategies of the operator and the platform tables',
      objects: [postgres, infrastructure, strategies(OPERATOR_NAMESPACE), dataConfig],
      operatorNamespace: OPERATOR_NAMESPACE,
      want: [
        'Infrastructure /cluster',
        `ConfigMap ${OPERATOR_NAMESPACE}/cloud-resources-aws-strategies`,
        'EnvironmentConfig /stackplane-data',
      ],
    },
    {
      reason: "the strategies only from the operator's namespace, never a tenant's of that name",
      objects: [postgres, infrastructure, tenantStrategies],
      operatorNamespace: OPERATOR_NAMESPACE,
      want: ['Infrastructure /cluster'],
    },
    {
      reason: 'the strategies from the namespace --operator names',
      objects: [postgres, infrastructure, strategies('integreatly-operator')],
      operatorNamespace: 'integreatly-operator',
      want: ['Infrastructure /cluster', 'ConfigMap integreatly-operator/cloud-resources-aws-strategies'],
    },
    {
      reason: 'nothing of a kind the cluster does not serve (no Infrastructure off OpenShift)',
      objects: [postgres, strategies(OPERATOR_NAMESPACE)],
      served: ['Postgres', 'Secret', 'ConfigMap', 'EnvironmentConfig'],
      operatorNamespace: OPERATOR_NAMESPACE,
      want: [`ConfigMap ${OPERATOR_NAMESPACE}/cloud-resources-aws-strategies`],
    },
  ])('reads $reason', async ({ objects, served, operatorNamespace, want }) => {
    const inventory = await readCluster(clusterOf(objects, served), [cloudResourceOperator], {
      namespaces: [],
      secretNamespaces: [],
      operators: new Map([[cloudResourceOperator.name, { namespace: operatorNamespace }]]),
    });
    expect(alongside(inventory.objects)).toEqual(want);
  });

  it('plans an AWS Postgres read from a cluster by the name the operator gave it', async () => {
    const inventory = await readCluster(
      clusterOf([postgres, infrastructure, strategies(OPERATOR_NAMESPACE), tenantStrategies]),
      [cloudResourceOperator],
      {
        namespaces: [],
        secretNamespaces: [],
        operators: new Map([[cloudResourceOperator.name, { namespace: OPERATOR_NAMESPACE }]]),
      },
    );
    const [entry] = cloudResourceOperator.plan(inventory);
    expect(entry?.outcome === 'migrate' ? entry.adopted : entry).toEqual([
      { what: 'RDS instance', externalName: 'qwertyx7k2pteamaexamplepostgres' },
    ]);
  });
});
