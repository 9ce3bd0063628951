// The requests the function benchmark sends: steady-state reconciles of a StorageTenant and a Postgres,
// as Crossplane sends them once everything is composed and observed.
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { storageClassesInputSchema } from '../apis/functions/storage-classes-input.js';
import { storageTenantSpecSchema } from '../apis/storage/storagetenant.js';
import { storageClassFor, volumeSnapshotClassFor } from '../functions/steps/storage-classes/storage-class.js';
import type { KubeObject } from '../functions/types.js';
import { encodeData } from '../functions/steps/data/secrets.js';
import { dataXR, platformFetched, readyManaged, shippedInput, withStatus } from '../test/support/data.js';
import {
  fetched,
  runFunctionRequest,
  storageClassesInput,
  storageTenant,
  withSpec,
} from '../test/support/requests.js';

/**
 * The metadata the API server gives every composite Crossplane reads, which the test builders leave
 * out: a steady-state reconcile sends the same revision each time.
 */
function asServed(xr: KubeObject, resourceVersion: string): KubeObject {
  const metadata = { ...(xr['metadata'] as object), resourceVersion, generation: 3 };
  return { ...xr, metadata };
}

/**
 * A steady-state reconcile: every class already observed and the token Secret present. The platform
 * installs the CSI driver (csiDriver.deploy false), so the response carries the storage classes and
 * their managed resources, as the Go peer composes them.
 */
export function steadyStateRequest(classes: number): RunFunctionRequest {
  const entries = Array.from({ length: classes }, (_, i) => ({
    name: `class-${i}`,
    replicas: (i % 3) + 1,
    default: i === 0,
  }));
  const xr = storageTenant(withSpec({ storageClasses: entries }));
  const spec = storageTenantSpecSchema.parse(xr.spec);
  const input = storageClassesInputSchema.parse({ csiDriver: { deploy: false } });
  const storage = { tenant: 'tenant-a', projectID: spec.projectID ?? '', endpoints: spec.endpoints ?? [] };
  const observed: Record<string, KubeObject> = {
    volumesnapshotclass: volumeSnapshotClassFor(input.volumeSnapshotClass.name, storage, input),
  };
  for (const entry of spec.storageClasses)
    observed[`storageclass-${entry.name}`] = storageClassFor(entry, storage, input);
  return runFunctionRequest({
    xr: asServed(xr, `4821${classes}`),
    input: storageClassesInput({ csiDriver: { deploy: false } }),
    observed,
    required: fetched(),
  });
}

/**
 * A steady-state reconcile of a Postgres: status recorded, every composed resource observed and Ready,
 * and an EnvironmentConfig whose data.dataServices the step merges over the Composition's tables.
 */
export function steadyStatePostgresRequest(provider: 'aws' | 'in-cluster'): RunFunctionRequest {
  const aws = provider === 'aws';
  const xr = dataXR(
    'Postgres',
    { type: aws ? 'managed' : 'workshop', tier: 'production' },
    withStatus({
      provider,
      strategy: 'production',
      version: '16',
      ...(aws ? { externalName: 'qwerty-team-a-orders-yvwi6skvnu' } : {}),
    }),
  );
  const overrides = {
    aws: { region: 'eu-central-1' },
    strategies: { postgres: { [provider]: { production: { allowedVersions: ['16', '17'] } } } },
  };
  const secret = (name: string, values: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'team-a' },
    data: encodeData(values),
  });
  const details = { host: 'db.example.internal', port: '5432', username: 'postgres', password: 'p' };
  const connection = secret('orders-connection', { ...details, database: 'postgres' });
  const observed: Record<string, KubeObject> = aws
    ? {
        instance: readyManaged({ apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'Instance' }),
        'connection-secret': connection,
      }
    : {
        credentials: secret('orders-postgres-credentials', { username: 'postgres', password: 'p' }),
        service: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orders-postgres' } },
        statefulset: {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          spec: { replicas: 1 },
          status: { readyReplicas: 1 },
        },
        'connection-secret': connection,
      };
  return runFunctionRequest({
    xr: asServed(xr, `5130${provider.length}`),
    input: shippedInput('postgres.yaml'),
    observed,
    required: platformFetched(
      overrides,
      aws ? { 'rds-connection': [secret('orders-postgres-rds', details)] } : {},
    ),
  });
}
