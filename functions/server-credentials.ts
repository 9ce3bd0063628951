/**
 * The function server's transport credentials. Crossplane dials functions over mTLS with its client
 * certificate; like function-sdk-go, the server requires that certificate. (The TypeScript SDK's own
 * credentials make it optional, which would let anything that reaches the port run the function.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';

/** What decides the credentials: the SDK's `--insecure` and `--tls-server-certs-dir` flags. */
export interface CredentialOptions {
  insecure?: boolean | undefined;
  tlsServerCertsDir?: string | undefined;
}

/** Plain text with --insecure (local rendering only), else mTLS requiring a certificate from ca.crt. */
export function serverCredentials(options: CredentialOptions): grpc.ServerCredentials {
  if (options.insecure) return grpc.ServerCredentials.createInsecure();
  const dir = options.tlsServerCertsDir;
  if (!dir) {
    throw new Error('cannot serve over mTLS: --tls-server-certs-dir is empty; give the folder or --insecure');
  }
  const read = (file: string) => readFileSync(join(dir, file));
  return grpc.ServerCredentials.createSsl(
    read('ca.crt'),
    [{ private_key: read('tls.key'), cert_chain: read('tls.crt') }],
    true,
  );
}
