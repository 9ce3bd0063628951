/** The connection Secret keys of a BlobStorage, as consumers of the original operator read them. */
export function blobStorageConnection(options: {
  bucketName: string;
  bucketRegion: string;
  credentialKeyID: string;
  credentialSecretKey: string;
  endpoint: string;
}): Record<string, string> {
  return { ...options };
}

/** An IAM policy document allowing everything on one bucket and its objects, and nothing else. */
export function bucketOnlyPolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:*'],
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      },
    ],
  });
}
