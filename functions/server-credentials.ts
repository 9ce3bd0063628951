/**
 * The function server's transport credentials. Crossplane dials functions over mTLS with its client
 * certificate; like function-sdk-go, the server requires that certificate. (The TypeScript SDK's own
 * credentials make it optional, which would let anything that reaches the port run the function.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import * as grpc from '@grpc/grpc-js';

/** What decides the credentials: `--insecure` and the certificates' folder. */
export interface CredentialOptions {
  insecure?: boolean | undefined;
  tlsServerCertsDir?: string | undefined;
}

/** The files the server reads from the certificates' folder, in the order it reads them. */
export const CERTIFICATE_FILES = ['tls.crt', 'tls.key', 'ca.crt'] as const;

/** The certificates cannot serve: missing, unreadable or not PEM. The message says what to do. */
export class CertificatesError extends Error {
  override readonly name = 'CertificatesError';
}

const HOW_TO_FIX =
  'give the folder holding tls.crt, tls.key and ca.crt with --tls-server-certs-dir or TLS_SERVER_CERTS_DIR, or run with --insecure for local rendering';

/**
 * Plain text with --insecure (local rendering only), else mTLS requiring a client certificate from
 * ca.crt. The files are read and checked here, so a missing or broken one stops the start with its
 * name rather than failing each handshake later.
 *
 * @throws CertificatesError naming every file that cannot be read and why, or the folder whose files are not PEM
 */
export function serverCredentials(options: CredentialOptions): grpc.ServerCredentials {
  if (options.insecure) return grpc.ServerCredentials.createInsecure();
  const dir = options.tlsServerCertsDir;
  if (!dir)
    throw new CertificatesError(`cannot serve over mTLS: the certificates' folder is empty; ${HOW_TO_FIX}`);

  const read: Buffer[] = [];
  const unreadable = new Map<string, string[]>();
  for (const file of CERTIFICATE_FILES) {
    const path = join(dir, file);
    try {
      read.push(readFileSync(path));
    } catch (error) {
      const why = whyUnreadable(error);
      unreadable.set(why, [...(unreadable.get(why) ?? []), path]);
    }
  }
  if (unreadable.size > 0) {
    const reads = [...unreadable].map(([why, paths]) => `cannot read ${listed(paths)}: ${why}`);
    throw new CertificatesError(`cannot serve over mTLS: ${reads.join('; ')}; ${HOW_TO_FIX}`);
  }
  const [cert, key, ca] = read as [Buffer, Buffer, Buffer];
  try {
    createSecureContext({ cert, key, ca });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CertificatesError(
      `cannot serve over mTLS: cannot use tls.crt, tls.key and ca.crt of ${dir}: ${message}`,
      { cause: error },
    );
  }
  return grpc.ServerCredentials.createSsl(ca, [{ private_key: key, cert_chain: cert }], true);
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');
}

/** A file error as a few words: "no such file", "permission denied", "a directory". */
function whyUnreadable(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'a directory';
    default:
      return typeof code === 'string' ? code : String(error);
  }
}
