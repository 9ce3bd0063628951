import { Postgres } from '../../../apis/data/postgres.js';
import { Redis } from '../../../apis/data/redis.js';
import { localName } from '../../../functions/steps/data/names.js';
import type { Adopted, KubeObject, PlanEntry } from '../../plan.js';
import { awsIdentifier } from './identifier.js';
import {
  croAwsStrategy,
  croFinalizers,
  croServiceSchema,
  issues,
  originalRef,
  PAUSED_ANNOTATION,
  SETTLED_PHASES,
  type CroService,
} from './originals.js';
import { DATA_ENVIRONMENT_CONFIG, type ResourceType, type StackplaneTables } from './platform.js';

/** What differs between the service kinds the operator reconciles. */
interface ServiceKind {
  kind: 'Postgres' | 'Redis' | 'BlobStorage' | 'SMTPCredentialSet';
  resourceType: ResourceType;
  /** The cloud object an AWS original is adopted as, in AWS's words. */
  adopts: string;
  /** The connection Secret's keys, the original's and those Stackplane adds. */
  keys: { kept: string[]; added: string[] };
}

export const SERVICE_KINDS: Record<ServiceKind['kind'], ServiceKind> = {
  Postgres: {
    kind: 'Postgres',
    resourceType: 'postgres',
    adopts: 'RDS instance',
    keys: { kept: ['username', 'password', 'host', 'port', 'database'], added: ['uri'] },
  },
  Redis: {
    kind: 'Redis',
    resourceType: 'redis',
    adopts: 'ElastiCache replication group',
    keys: { kept: ['uri', 'port'], added: ['tls', 'url'] },
  },
  BlobStorage: {
    kind: 'BlobStorage',
    resourceType: 'blobstorage',
    adopts: 'S3 bucket',
    keys: {
      kept: ['bucketName', 'bucketRegion', 'credentialKeyID', 'credentialSecretKey'],
      added: ['endpoint'],
    },
  },
  SMTPCredentialSet: {
    kind: 'SMTPCredentialSet',
    resourceType: 'smtp',
    adopts: 'SES sending user',
    keys: { kept: ['username', 'password', 'host', 'port', 'tls'], added: [] },
  },
};

/** What planning a service reads besides the original. */
export interface ServiceContext {
  objects: readonly KubeObject[];
  tables: StackplaneTables;
}

/** Stackplane's provider for the operator's status.provider (aws-rds, openshift-postgres-template, gcp-cloudsql). */
function providerOf(croProvider: string): string {
  if (croProvider.startsWith('aws-')) return 'aws';
  if (croProvider.startsWith('openshift-')) return 'in-cluster';
  return croProvider.split('-')[0] ?? croProvider;
}

/**
 * Plans one Postgres, Redis, BlobStorage or SMTPCredentialSet. On AWS it becomes the Stackplane XR of
 * the same name, observe-only, adopting the cloud object by the operator's own name; what cannot keep
 * its data or its Secret's values is refused with the reason and the way out.
 */
export function planService(object: KubeObject, kind: ServiceKind, context: ServiceContext): PlanEntry {
  const original = originalRef(object);
  const refuse = (reasons: string[]): PlanEntry => ({ outcome: 'refuse', original, reasons });
  const parsed = croServiceSchema.safeParse(object);
  if (!parsed.success)
    return refuse(issues(parsed.error).map((i) => `${i}; fix the original and plan again`));
  const cr = parsed.data;
  const namespace = object.metadata.namespace ?? '';
  const { name } = object.metadata;

  const phase = cr.status.phase ?? '';
  if (!SETTLED_PHASES.includes(phase)) {
    const said = cr.status.message ? ` (status.message: ${cr.status.message})` : '';
    return refuse([
      phase === ''
        ? 'status.phase is empty: the cloud-resource-operator never reconciled it, so there is nothing to adopt; ' +
          'let the operator finish, or delete the original if it is abandoned, and plan again'
        : `status.phase is "${phase}"${said}: the cloud-resource-operator has not finished creating it; ` +
          'wait until the phase is complete and plan again',
    ]);
  }
  const croProvider = cr.status.provider ?? '';
  const provider = providerOf(croProvider);
  const secret = secretOf(cr, namespace);
  const gone = kindSpecificRefusal(kind, { cr, croProvider, provider, namespace, name, secret });
  if (gone) return refuse([gone]);

  const reasons: string[] = [];
  for (const field of ['snapshotFrequency', 'snapshotRetention'] as const) {
    const value = cr.spec[field];
    if (value && value !== '0')
      reasons.push(
        `spec.${field} "${value}": Stackplane takes no scheduled snapshots; remove snapshotFrequency and ` +
          `snapshotRetention from the original (take ${kind.kind}Snapshots when you need them) and plan again`,
      );
  }
  if (secret.namespace !== namespace)
    reasons.push(
      `spec.secretRef.namespace "${secret.namespace}" is not the resource's namespace "${namespace}": Stackplane ` +
        'writes the connection Secret only beside the resource; point the consumers at a Secret in ' +
        `${namespace}, remove spec.secretRef.namespace and plan again`,
    );
  const typeReason = deploymentTypeReason(cr.spec.type, kind.resourceType, provider, context.tables);
  if (typeReason) reasons.push(typeReason);
  const tiers = context.tables.tiers[kind.resourceType][provider] ?? [];
  if (!tiers.includes(cr.spec.tier))
    reasons.push(
      `spec.tier "${cr.spec.tier}" has no Stackplane strategy for ${kind.resourceType} on ${provider} ` +
        `(${tiers.join(', ') || 'none'}): add strategies.${kind.resourceType}.${provider}.${cr.spec.tier} under ` +
        `data.dataServices of EnvironmentConfig ${DATA_ENVIRONMENT_CONFIG} and plan again`,
    );
  const identifier = awsIdentifier(object, kind, cr.spec.tier, context.objects);
  if ('refused' in identifier) reasons.push(identifier.refused);
  if (reasons.length > 0 || 'refused' in identifier) return refuse(reasons);

  const adopted: Adopted = { what: kind.adopts, externalName: identifier.name };
  return {
    outcome: 'migrate',
    original,
    platform: [],
    resources: [compositeFor(object, kind, cr, identifier.name, secret.name)],
    adopted: [adopted],
    // The original controls the connection Secret the composite writes: released once the composite
    // is applied, or it could never become Ready.
    release: { finalizers: croFinalizers(object), orphanDependents: true, beforeReady: true },
    notes: serviceNotes({ kind, cr, identifier, secret, objects: context.objects }),
  };
}

/** The connection Secret the operator wrote: status.secretRef once set, else spec.secretRef. */
function secretOf(cr: CroService, namespace: string): { name: string; namespace: string } {
  const ref = cr.status.secretRef ?? cr.spec.secretRef;
  return { name: ref.name, namespace: ref.namespace || namespace };
}

/** Why a kind or provider cannot move at all, whatever its fields say. */
function kindSpecificRefusal(
  kind: ServiceKind,
  facts: {
    cr: CroService;
    croProvider: string;
    provider: string;
    namespace: string;
    name: string;
    secret: { name: string; namespace: string };
  },
): string | undefined {
  const { croProvider, provider, namespace, name, secret } = facts;
  const secretName = `${secret.namespace}/${secret.name}`;
  if (croProvider === '')
    return 'status.provider is empty: the cloud-resource-operator recorded no provider, so there is nothing to adopt; let the operator finish and plan again';
  if (provider !== 'aws' && provider !== 'in-cluster')
    return `status.provider "${croProvider}": Stackplane has no ${provider} provider; keep this resource on the cloud-resource-operator`;
  if (kind.kind === 'SMTPCredentialSet')
    return (
      `status.provider "${croProvider}": Stackplane's SMTPCredentials compose their own ` +
      `${provider === 'aws' ? 'IAM user allowed to send through SES' : 'mail sink'} with a new password, so Secret ` +
      `${secretName} cannot keep its values; create a Stackplane SMTPCredentials writing another Secret, move ` +
      'the application to it, then delete the original'
    );
  if (kind.kind === 'BlobStorage')
    return provider === 'aws'
      ? `status.provider "${croProvider}": credentialKeyID in Secret ${secretName} is a key of the IAM user the ` +
          'OpenShift cloud-credential-operator made for CredentialsRequest ' +
          `cro-aws-s3-<bucket>-creds, which Stackplane cannot adopt (its BlobStorage composes its own IAM user and ` +
          'key), so the Secret cannot keep its values; create a Stackplane BlobStorage, copy the objects into ' +
          'its bucket, move the application to its Secret, then delete the original'
      : `status.provider "${croProvider}": the original wrote placeholder values to Secret ${secretName}, with ` +
          'no storage behind them; create a Stackplane BlobStorage of an in-cluster type and point the application at its Secret';
  if (provider === 'in-cluster') {
    const suffix = kind.resourceType;
    const copy = kind.kind === 'Postgres' ? 'pg_dump and pg_restore' : 'a replica or an RDB dump';
    return (
      `status.provider "${croProvider}": the data lives in Deployment ${namespace}/${name} on volume claim ` +
      `${namespace}/${name}, and Stackplane's in-cluster ${kind.kind} is its own StatefulSet ` +
      `${namespace}/${localName(name, suffix)} with a new volume, so it cannot be adopted; create a Stackplane ` +
      `${kind.kind} of an in-cluster type, copy the data into it (${copy}), ` +
      'move the application to its Secret, then delete the original'
    );
  }
  return undefined;
}

/** Why spec.type does not lead to the same provider in Stackplane's table, if it does not. */
function deploymentTypeReason(
  type: string,
  resourceType: ResourceType,
  provider: string,
  tables: StackplaneTables,
): string | undefined {
  if (tables.deploymentTypes[type]?.[resourceType] === provider) return undefined;
  const known = Object.entries(tables.deploymentTypes)
    .map(([name, providers]) => `${name} → ${providers[resourceType] ?? 'none'}`)
    .join(', ');
  return (
    `spec.type "${type}" does not serve ${resourceType} on ${provider} in Stackplane (${known}): add ` +
    `deploymentTypes.${type}.${resourceType}: ${provider} under data.dataServices of EnvironmentConfig ` +
    `${DATA_ENVIRONMENT_CONFIG} and plan again`
  );
}

/** The Stackplane composite: same name and namespace, observe-only, the Secret's name kept. */
function compositeFor(
  object: KubeObject,
  kind: ServiceKind,
  cr: CroService,
  externalName: string,
  secretName: string,
): KubeObject {
  const target = kind.kind === 'Postgres' ? Postgres : Redis;
  const productName = object.metadata.labels?.['productName'];
  const version = cr.status.version;
  const runningVersion =
    kind.kind === 'Postgres' && version && /^[0-9]+(\.[0-9]+)*$/.test(version) ? { version } : {};
  return {
    apiVersion: `${target.group}/${target.version}`,
    kind: target.kind,
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace ?? '',
      annotations: { [PAUSED_ANNOTATION]: 'true' },
    },
    spec: {
      type: cr.spec.type,
      tier: cr.spec.tier,
      skipCreate: true,
      writeConnectionSecretToRef: { name: secretName },
      ...(productName ? { productName } : {}),
      ...(kind.kind === 'Redis' && cr.spec.size ? { size: cr.spec.size } : {}),
      ...(cr.spec.applyImmediately ? { maintenance: { applyImmediately: true } } : {}),
    },
    // Written through the status subresource while the composite is paused: Stackplane keeps a
    // recorded provider and external name (names are sticky) instead of deriving its own, and a
    // recorded version as it runs, never refused by the tier's allowed versions nor upgraded.
    status: { provider: 'aws', strategy: cr.spec.tier, externalName, ...runningVersion },
  };
}

/** What a reviewer of an AWS service's entry should know. */
function serviceNotes(facts: {
  kind: ServiceKind;
  cr: CroService;
  identifier: { name: string; from: string };
  secret: { name: string; namespace: string };
  objects: readonly KubeObject[];
}): string[] {
  const { kind, cr, identifier, secret } = facts;
  const notes = [
    `adopts ${kind.adopts} ${identifier.name} (named by ${identifier.from}); spec.skipCreate: true keeps it ` +
      'observe-only, so nothing in AWS is created, changed or deleted',
    `created paused (${PAUSED_ANNOTATION}): status.externalName ${identifier.name}, provider and strategy are ` +
      'written through the status subresource, then the annotation is removed; unseeded, Stackplane would look ' +
      "for a name of its own. AWS objects have no AdoptionGrant: whoever may write the composite's status " +
      '(the platform, running the migration) chooses what it adopts',
    `connection Secret ${secret.namespace}/${secret.name} keeps its name and its keys ${kind.keys.kept.join(', ')}` +
      (kind.keys.added.length > 0 ? `; Stackplane adds ${kind.keys.added.join(', ')}` : '') +
      '; the original controls it, so it is released with orphan propagation before Stackplane composes it',
  ];
  if (kind.kind === 'Postgres')
    notes.push(
      "turning skipCreate off hands the instance to Stackplane's tier strategy, including a master password it generates: plan that change on its own",
    );
  if (kind.kind === 'Redis')
    notes.push(
      "while spec.skipCreate is true Stackplane composes no auth token for the adopted group: tls says whether the group encrypts in transit, as AWS shows it, and url connects as the original's clients do; turning skipCreate off composes an auth token and encryption in transit and at rest, which the original's group was created without: keep skipCreate: true until the data is moved to a group that has them",
    );
  if (kind.kind === 'Postgres' && cr.status.version)
    notes.push(
      `status.version ${cr.status.version} is the running engine version, recorded as it is: Stackplane keeps it ` +
        "whatever the tier's allowed versions, and upgrades only when spec.version names one of them",
    );
  const strategy = croAwsStrategy(facts.objects, kind.resourceType, cr.spec.tier);
  if (strategy?.region)
    notes.push(
      `the original's strategy for tier ${cr.spec.tier} uses region ${strategy.region}: data.dataServices.aws.region of EnvironmentConfig ${DATA_ENVIRONMENT_CONFIG} must be ${strategy.region}`,
    );
  if (strategy && strategy.createKeys.length > 0)
    notes.push(
      `createStrategy ${strategy.createKeys.join(', ')} of the original's tier ${cr.spec.tier} is not carried over: Stackplane's tier strategy applies once skipCreate is off`,
    );
  if (cr.spec.maintenanceWindow)
    notes.push(
      "spec.maintenanceWindow has no equivalent: AWS applies service updates in the strategy's maintenance window",
    );
  return notes;
}
