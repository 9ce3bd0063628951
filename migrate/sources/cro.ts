import type { Inventory, MigrationSource, PlanEntry } from '../plan.js';
import { CRO_API_VERSION, CRO_AWS_STRATEGIES, CRO_GROUP, INFRASTRUCTURE } from './cro/originals.js';
import { DATA_ENVIRONMENT_CONFIG, stackplaneTables } from './cro/platform.js';
import { planService, SERVICE_KINDS } from './cro/services.js';
import { planSnapshot, SNAPSHOT_KINDS } from './cro/snapshots.js';

/** The kinds the cloud-resource-operator owns, as the reader lists them. */
const KINDS = [
  { kind: 'Postgres', plural: 'postgres' },
  { kind: 'Redis', plural: 'redis' },
  { kind: 'BlobStorage', plural: 'blobstorages' },
  { kind: 'SMTPCredentialSet', plural: 'smtpcredentialsets' },
  { kind: 'PostgresSnapshot', plural: 'postgressnapshots' },
  { kind: 'RedisSnapshot', plural: 'redissnapshots' },
] as const;

/**
 * integr8ly's cloud-resource-operator (`integreatly.org/v1alpha1`): each Postgres and Redis on AWS
 * becomes the data.stackplane.io composite of the same name, observe-only, adopting the RDS instance
 * or ElastiCache group by the name the operator gave it and keeping the connection Secret; snapshots
 * follow their source. What cannot keep its data or its Secret's values is refused, saying why.
 */
export const cloudResourceOperator: MigrationSource = {
  name: 'cloud-resource-operator',
  // As its kustomize default installs it (config/default: namespace cloud-resource-operator-system,
  // namePrefix cloud-resource-operator-; config/manager: Deployment cloud-resource-operator).
  operator: {
    namespace: 'cloud-resource-operator-system',
    name: 'cloud-resource-operator-cloud-resource-operator',
  },
  kinds: KINDS.map(({ kind, plural }) => ({ group: CRO_GROUP, version: 'v1alpha1', kind, plural })),
  // The cluster id that names every AWS object, the strategies that may pin a name (the operator's
  // own, never a tenant's ConfigMap of that name) and the platform's data tables.
  alongside: [
    INFRASTRUCTURE,
    { apiVersion: 'v1', kind: 'ConfigMap', name: CRO_AWS_STRATEGIES, inOperatorNamespace: true },
    {
      apiVersion: 'apiextensions.crossplane.io/v1beta1',
      kind: 'EnvironmentConfig',
      name: DATA_ENVIRONMENT_CONFIG,
    },
  ],
  plan(inventory: Inventory): PlanEntry[] {
    const context = { objects: inventory.objects, tables: stackplaneTables(inventory.objects) };
    const originals = inventory.objects.filter((o) => o.apiVersion === CRO_API_VERSION);
    const services = new Map<string, PlanEntry>();
    const entries: PlanEntry[] = [];
    for (const object of originals.filter((o) => o.kind in SERVICE_KINDS)) {
      const entry = planService(object, SERVICE_KINDS[object.kind as keyof typeof SERVICE_KINDS], context);
      services.set(key(object.kind, object.metadata.namespace ?? '', object.metadata.name), entry);
      entries.push(entry);
    }
    for (const object of originals.filter((o) => o.kind in SNAPSHOT_KINDS)) {
      const kind = SNAPSHOT_KINDS[object.kind as keyof typeof SNAPSHOT_KINDS];
      entries.push(planSnapshot(object, kind, (ns, name) => services.get(key(kind.source, ns, name))));
    }
    return entries;
  },
};

const key = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;
