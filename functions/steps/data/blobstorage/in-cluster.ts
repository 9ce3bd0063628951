import type { InClusterBlobStorageStrategy } from '../../../../apis/functions/data-service-input.js';
import type { BlobStorageSpec } from '../../../../apis/data/blobstorage.js';
import type { Composer } from '../composer.js';
import { externalName, localName } from '../names.js';
import { keptPassword, secretData } from '../secrets.js';
import { CREDENTIALS, statefulService } from '../stateful-service.js';
import { envFromSecret, serviceHost } from '../workload.js';
import { blobStorageConnection } from './connection.js';

export { CREDENTIALS, SERVICE, STATEFULSET } from '../stateful-service.js';
export const BUCKET_JOB = 'bucket-job';

const S3_PORT = 9000;

/** Whether a Job has succeeded. */
const jobSucceeded = (job: Record<string, unknown> | undefined) =>
  ((job?.['status'] as { succeeded?: number } | undefined)?.succeeded ?? 0) > 0;

/**
 * BlobStorage in the cluster: an S3-compatible server (MinIO) per resource with its own generated
 * credentials, kept in a Secret and read back on every later run, a Service, and a Job that creates
 * the bucket, named after the resource.
 */
export const blobStorageInCluster: Composer<BlobStorageSpec, InClusterBlobStorageStrategy> = (req) => {
  const { xr, strategy, observed } = req;
  const name = localName(xr.name, 'blobstorage');
  const credentialsName = localName(xr.name, 'blobstorage-credentials');
  const kept = secretData(observed[CREDENTIALS]);
  const keyID = kept?.['accessKeyID'] || req.random(10).toString('hex').toUpperCase();
  const secretKey = keptPassword(observed[CREDENTIALS], 'secretAccessKey', req.random);
  // The resource's own name when it is a valid bucket name, else a name within the S3 rules.
  const bucket = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(xr.name)
    ? xr.name
    : externalName('s3', { controllerId: req.controllerId, namespace: xr.namespace, name: xr.name });
  const host = serviceHost(name, xr.namespace);
  const endpoint = `http://${host}:${S3_PORT}`;
  const credentialsEnv = [
    envFromSecret('MINIO_ROOT_USER', credentialsName, 'accessKeyID'),
    envFromSecret('MINIO_ROOT_PASSWORD', credentialsName, 'secretAccessKey'),
  ];
  const container = {
    name: 'minio',
    image: strategy.image,
    args: ['server', '/data'],
    env: [...credentialsEnv, { name: 'MINIO_REGION', value: strategy.region }],
    ports: [{ name: 's3', containerPort: S3_PORT }],
    readinessProbe: { httpGet: { path: '/minio/health/ready', port: S3_PORT }, periodSeconds: 10 },
    volumeMounts: [{ name: 'data', mountPath: '/data' }],
    ...(strategy.resources ? { resources: strategy.resources } : {}),
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: localName(xr.name, 'blobstorage-bucket'), namespace: xr.namespace, labels: req.labels },
    spec: {
      backoffLimit: 10,
      template: {
        spec: {
          restartPolicy: 'OnFailure',
          containers: [
            {
              name: 'create-bucket',
              image: strategy.clientImage,
              command: ['/bin/sh', '-c'],
              args: [
                `mc alias set local ${endpoint} "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" && mc mb --ignore-existing local/${bucket}`,
              ],
              env: credentialsEnv,
            },
          ],
        },
      },
    },
  };
  return {
    resources: {
      ...statefulService({
        name,
        namespace: xr.namespace,
        labels: req.labels,
        credentialsName,
        credentials: { accessKeyID: keyID, secretAccessKey: secretKey },
        port: { name: 's3', port: S3_PORT },
        container,
        storageSize: strategy.storageSize,
        storageClassName: strategy.storageClassName,
        observed,
      }),
      [BUCKET_JOB]: { resource: job, ready: jobSucceeded(observed[BUCKET_JOB]) },
    },
    connection: observed[CREDENTIALS]
      ? blobStorageConnection({
          bucketName: bucket,
          bucketRegion: strategy.region,
          credentialKeyID: keyID,
          credentialSecretKey: secretKey,
          endpoint,
        })
      : undefined,
    status: { endpoint: `${host}:${S3_PORT}` },
  };
};
