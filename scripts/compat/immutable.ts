/**
 * Fields a composed resource can never change in place: a change to one replaces the external
 * object, or the API server refuses it and the composite stops reconciling. Keyed by `group/Kind`
 * (a version change of the same kind serves the same object). Each entry says where the rule comes
 * from; provider-stackplane's own kinds are read from its CRDs, whose `self == oldSelf` rules are
 * what its API server enforces.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ImmutableField {
  /** A dot path into the composed resource, e.g. `spec.forProvider.engine`. */
  path: string;
  why: string;
}

export type ImmutableFields = Record<string, readonly ImmutableField[]>;

const fields = (why: string, ...paths: string[]): ImmutableField[] => paths.map((path) => ({ path, why }));

// upjet's providers are Terraform's AWS provider under the hood: a field the Terraform schema marks
// ForceNew ("changing this forces a new resource" in its docs) cannot be updated in place, and upjet
// refuses to replace the object. `region` is where the object lives.
const TERRAFORM = 'Terraform AWS provider: changing it forces a new resource';
const FOR_PROVIDER = (...names: string[]) => names.map((name) => `spec.forProvider.${name}`);

/** The kinds Stackplane composes from other providers and Kubernetes. */
export const KNOWN_IMMUTABLE_FIELDS: ImmutableFields = {
  // aws_db_instance: engine, db_name, username, storage_encrypted and kms_key_id are ForceNew;
  // RDS's ModifyDBInstance takes none of them.
  'rds.aws.m.upbound.io/Instance': fields(
    TERRAFORM,
    ...FOR_PROVIDER('region', 'engine', 'dbName', 'username', 'storageEncrypted', 'kmsKeyId'),
  ),
  'rds.aws.m.upbound.io/Snapshot': fields(TERRAFORM, ...FOR_PROVIDER('region', 'dbInstanceIdentifier')),
  // An S3 bucket's Region is fixed when it is created (S3 user guide); object_lock_enabled is ForceNew.
  's3.aws.m.upbound.io/Bucket': fields(TERRAFORM, ...FOR_PROVIDER('region', 'objectLockEnabled')),
  // aws_elasticache_replication_group: at_rest_encryption_enabled, port and subnet_group_name are ForceNew.
  'elasticache.aws.m.upbound.io/ReplicationGroup': fields(
    TERRAFORM,
    ...FOR_PROVIDER('region', 'atRestEncryptionEnabled', 'port', 'subnetGroupName'),
  ),
  // ElastiCache has no call that modifies a snapshot: ACK can only create and delete it.
  'elasticache.services.k8s.aws/Snapshot': fields(
    'ElastiCache API: a snapshot cannot be modified',
    'spec.snapshotName',
    'spec.replicationGroupID',
    'spec.cacheClusterID',
  ),
  // provider-kubernetes manages the object its manifest names: another name is another object.
  'kubernetes.m.crossplane.io/Object': fields(
    'provider-kubernetes: the manifest names the object it manages',
    'spec.forProvider.manifest.apiVersion',
    'spec.forProvider.manifest.kind',
    'spec.forProvider.manifest.metadata.name',
    'spec.forProvider.manifest.metadata.namespace',
  ),
  // Kubernetes API validation (apps/v1, batch/v1, rbac/v1, storage/v1, snapshot/v1).
  'apps/Deployment': fields('Kubernetes: field is immutable', 'spec.selector'),
  'apps/DaemonSet': fields('Kubernetes: field is immutable', 'spec.selector'),
  'apps/StatefulSet': fields(
    'Kubernetes: updates to a StatefulSet spec are forbidden for this field',
    'spec.selector',
    'spec.serviceName',
    'spec.volumeClaimTemplates',
    'spec.podManagementPolicy',
  ),
  'batch/Job': fields('Kubernetes: field is immutable', 'spec.selector', 'spec.template'),
  'rbac.authorization.k8s.io/RoleBinding': fields('Kubernetes: cannot change roleRef', 'roleRef'),
  'rbac.authorization.k8s.io/ClusterRoleBinding': fields('Kubernetes: cannot change roleRef', 'roleRef'),
  'storage.k8s.io/StorageClass': fields(
    'Kubernetes: updates to a StorageClass are forbidden for this field',
    'provisioner',
    'parameters',
    'reclaimPolicy',
    'volumeBindingMode',
  ),
  'snapshot.storage.k8s.io/VolumeSnapshot': fields(
    'external-snapshotter: spec.source is immutable',
    'spec.source',
  ),
  '/Service': fields('Kubernetes: field is immutable once set', 'spec.clusterIP'),
};

interface Schema {
  properties?: Record<string, Schema>;
  'x-kubernetes-validations'?: Array<{ rule?: string }>;
}

function immutablePaths(schema: Schema, prefix: string): string[] {
  const here = schema['x-kubernetes-validations']?.some((v) => v.rule === 'self == oldSelf') ? [prefix] : [];
  const below = Object.entries(schema.properties ?? {}).flatMap(([name, child]) =>
    immutablePaths(child, prefix ? `${prefix}.${name}` : name),
  );
  return [...here, ...below];
}

/** The immutable fields of every CRD in `dir`: those its schema guards with `self == oldSelf`. */
export async function crdImmutableFields(dir: string): Promise<ImmutableFields> {
  const out: Record<string, ImmutableField[]> = {};
  for (const file of (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const crd = parse(await readFile(join(dir, file), 'utf8')) as {
      spec: {
        group: string;
        names: { kind: string };
        versions: Array<{ schema?: { openAPIV3Schema?: Schema } }>;
      };
    };
    const paths = new Set(
      crd.spec.versions.flatMap((v) => immutablePaths(v.schema?.openAPIV3Schema ?? {}, '')),
    );
    if (paths.size === 0) continue;
    out[`${crd.spec.group}/${crd.spec.names.kind}`] = fields(
      `${file}: the CRD's rule self == oldSelf`,
      ...paths,
    );
  }
  return out;
}

/** The table check:compat uses: the known kinds and provider-stackplane's CRDs. */
export async function immutableFields(crdDir = 'package/provider/crds'): Promise<ImmutableFields> {
  return { ...KNOWN_IMMUTABLE_FIELDS, ...(await crdImmutableFields(crdDir)) };
}
