import { createHash } from 'node:crypto';

/**
 * The cloud-resource-operator's AWS identifiers (pkg/resources/config.go BuildInfraNameFromObject):
 * `<cluster id>-<namespace>-<name>` run through ShortenString with the length its providers pass
 * (defaultAwsIdentifierLength and defaultAwsBucketNameLength are both 40). The RDS instance, the
 * ElastiCache replication group and the S3 bucket all carry this name.
 */
export const CRO_AWS_IDENTIFIER_LENGTH = 40;

/** The annotation the operator records the identifier in once it has created the cloud resource. */
export const RESOURCE_IDENTIFIER_ANNOTATION = 'resourceIdentifier';

/** The name the operator gives the cloud resource of `namespace/name` in the cluster `clusterId`. */
export function croInfraName(clusterId: string, namespace: string, name: string): string {
  return shortenString(`${clusterId}-${namespace}-${name}`, CRO_AWS_IDENTIFIER_LENGTH);
}

/**
 * pkg/resources/strings.go ShortenString, exactly: every run of characters other than ASCII letters
 * and digits is dropped; a result shorter than `n` is returned as it is (not lowercased); otherwise
 * its first `n - 5` characters, "-" and the first 4 characters of the base-32 SHA-256 of the whole
 * stripped string, lowercased. (With `n < 5` the whole string is kept before the hash.)
 */
export function shortenString(value: string, n: number): string {
  const hashLength = 4;
  const stripped = value.replace(/[^a-zA-Z0-9]+/g, '');
  if (stripped.length < n) return stripped;
  const cut = n < hashLength + 1 ? stripped.length : n - (hashLength + 1);
  const hash = base32(createHash('sha256').update(stripped).digest()).slice(0, hashLength);
  return `${stripped.slice(0, cut)}-${hash}`.toLowerCase();
}

/** RFC 4648 base 32 (Go's base32.StdEncoding), without the padding no caller reads. */
function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out;
}
