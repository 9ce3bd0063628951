/**
 * The admin RSA key pair of the storage provider config: the private key signs tenant tokens (RS256),
 * its public key is each project's root credential.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { StorageKeyError } from './errors.js';

/** The admin key, parsed once per connect. */
export interface AdminKey {
  privateKey: KeyObject;
  /** The credential payload: the public key as PEM. */
  publicKeyPEM: string;
  /** sha256 of the public key (SPKI DER), hex: tells key rotations apart; not a secret. */
  fingerprint: string;
}

export const errParseKey =
  'cannot parse admin private key: it must be a PEM RSA private key (PKCS#1 or PKCS#8)';

/** Parses a PEM RSA private key; the error never quotes the key. */
export function parseAdminKey(pem: string): AdminKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new StorageKeyError(errParseKey, {
      cause: error instanceof Error ? new Error(error.name) : undefined,
    });
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw new StorageKeyError(errParseKey);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    publicKeyPEM: spkiPEM(der),
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}

/**
 * The SPKI DER in a PEM block labelled "RSA PUBLIC KEY", byte for byte what the original
 * duros-controller uploaded (x509.MarshalPKIXPublicKey under that label), which LightOS accepts.
 */
function spkiPEM(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN RSA PUBLIC KEY-----\n${lines.join('\n')}\n-----END RSA PUBLIC KEY-----\n`;
}
