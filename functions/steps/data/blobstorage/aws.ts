import type { AwsBlobStorageStrategy } from '../../../../apis/functions/data-service-input.js';
import type { BlobStorageSpec } from '../../../../apis/data/blobstorage.js';
import type { Composer } from '../composer.js';
import { ACCESS_KEY_CONNECTION, IAM_USER, iamUserWithKey } from '../iam.js';
import { managedResource } from '../managed.js';
import { externalName, localName } from '../names.js';
import { secretData, secretRequirement } from '../secrets.js';
import { blobStorageConnection, bucketOnlyPolicy } from './connection.js';
import { conditionTrue } from '../../../observed.js';

export const S3_API_VERSION = 's3.aws.m.upbound.io/v1beta1';
/** Composition resource names. */
export const BUCKET = 'bucket';
export const PUBLIC_ACCESS_BLOCK = 'public-access-block';
export const ENCRYPTION = 'encryption';

/**
 * BlobStorage on AWS: an S3 bucket with every public access blocked and default encryption, and an
 * IAM user whose only policy allows that bucket, with an access key. The connection Secret is filled
 * from the Secret the provider writes the access key to.
 */
export const blobStorageOnAws: Composer<BlobStorageSpec, AwsBlobStorageStrategy> = (req) => {
  const { xr, strategy, platform, observed, required } = req;
  const parts = { controllerId: req.controllerId, namespace: xr.namespace, name: xr.name };
  const recordedName = typeof xr.status['externalName'] === 'string' ? xr.status['externalName'] : undefined;
  const bucket = externalName('s3', parts, recordedName);
  // Status keeps only the bucket's name: the observed IAM user's external name keeps its own, so a
  // change of the naming rules never renames the user of an existing BlobStorage.
  const iamMeta = observed[IAM_USER]?.['metadata'] as { annotations?: Record<string, string> } | undefined;
  const recordedIam = iamMeta?.annotations?.['crossplane.io/external-name'];
  const iamName = externalName('iam', parts, recordedIam || undefined);
  const common = {
    namespace: xr.namespace,
    labels: req.labels,
    providerConfigName: platform.aws.providerConfigName,
    policies: req.policies,
  };
  const region = platform.aws.region;
  const iam = iamUserWithKey(req, {
    suffix: 'blobstorage',
    userName: iamName,
    policyName: iamName,
    policy: bucketOnlyPolicy(bucket),
    description: `Access to bucket ${bucket} of BlobStorage ${xr.namespace}/${xr.name}`,
  });
  const bucketResource = (
    kind: string,
    name: string,
    forProvider: Record<string, unknown>,
    external?: string,
  ) =>
    managedResource({
      ...common,
      apiVersion: S3_API_VERSION,
      kind,
      name: localName(xr.name, name),
      ...(external ? { externalName: external } : {}),
      forProvider: { region, ...forProvider },
    });
  const key = secretData(required[ACCESS_KEY_CONNECTION]?.[0]) ?? {};
  const endpoint = `https://s3.${region}.amazonaws.com`;
  return {
    resources: {
      [BUCKET]: {
        resource: bucketResource(
          'Bucket',
          'bucket',
          { forceDestroy: strategy.forceDestroy, tags: req.tags },
          bucket,
        ),
        ready: conditionTrue(observed[BUCKET]),
      },
      [PUBLIC_ACCESS_BLOCK]: {
        resource: bucketResource('BucketPublicAccessBlock', 'bucket-public-access-block', {
          bucket,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        }),
        ready: conditionTrue(observed[PUBLIC_ACCESS_BLOCK]),
      },
      [ENCRYPTION]: {
        resource: bucketResource('BucketServerSideEncryptionConfiguration', 'bucket-encryption', {
          bucket,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
        }),
        ready: conditionTrue(observed[ENCRYPTION]),
      },
      ...iam.resources,
    },
    requirements: { [ACCESS_KEY_CONNECTION]: secretRequirement(iam.keySecretName, xr.namespace) },
    connection:
      key['username'] && key['password']
        ? blobStorageConnection({
            bucketName: bucket,
            bucketRegion: region,
            credentialKeyID: key['username'],
            credentialSecretKey: key['password'],
            endpoint,
          })
        : undefined,
    status: { externalName: bucket, endpoint: `s3.${region}.amazonaws.com:443` },
  };
};
