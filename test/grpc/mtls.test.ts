// function-stackplane over mTLS, as Crossplane dials it: a client with a certificate from the CA is
// served; a client without one is refused at the handshake, as function-sdk-go's servers refuse it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../scripts/control-plane/pki.js';
import { freePort } from '../../testing/wait.js';

describe('function-stackplane over mTLS', () => {
  let dir: string;
  let ca: CertificateAuthority;
  let fn: ChildProcess;
  let address: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stackplane-mtls-'));
    ca = new CertificateAuthority(dir);
    const server = ca.leaf('function');
    address = `127.0.0.1:${await freePort()}`;
    fn = spawn(process.execPath, [
      '--import',
      'tsx',
      'functions/main.ts',
      `--address=${address}`,
      `--tls-server-certs-dir=${server.dir}`,
    ]);
    // Listening once a client with a certificate gets through.
    const client = ca.leaf('crossplane');
    const deadline = Date.now() + 30_000;
    while ((await connect(credentials(client.dir))) !== 'ready' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 60_000);
  afterAll(() => {
    fn?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const credentials = (clientDir?: string) =>
    clientDir === undefined
      ? grpc.credentials.createSsl(readFileSync(join(dir, 'ca', 'ca.crt')))
      : grpc.credentials.createSsl(
          readFileSync(join(clientDir, 'ca.crt')),
          readFileSync(join(clientDir, 'tls.key')),
          readFileSync(join(clientDir, 'tls.crt')),
        );

  /** Whether a channel with these credentials becomes ready within two seconds. */
  function connect(creds: grpc.ChannelCredentials): Promise<string> {
    const client = new grpc.Client(address, creds);
    return new Promise((resolve) => {
      client.waitForReady(Date.now() + 2_000, (error) => {
        client.close();
        resolve(error ? 'refused' : 'ready');
      });
    });
  }

  it.each([
    { reason: 'serves a client with a certificate from its CA', client: 'crossplane', want: 'ready' },
    { reason: 'refuses a client without a certificate', client: undefined, want: 'refused' },
  ])('$reason', async ({ client, want }) => {
    expect(await connect(credentials(client === undefined ? undefined : join(dir, client)))).toBe(want);
  });
});
