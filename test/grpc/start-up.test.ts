// function-stackplane started without --insecure and without usable certificates: it exits at once
// with one line naming the files it wanted and how to give them, never a stack trace. It reads the
// certificates' folder from its flag, from function-sdk-go's flag, or from TLS_SERVER_CERTS_DIR as
// function-sdk-go's functions do.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUntilExit, type FunctionProcessOptions } from '../support/function-process.js';

const root = mkdtempSync(join(tmpdir(), 'stackplane-start-up-'));
/** Folders of certificates, by name: what each holds. */
const FOLDERS: Record<string, Record<string, string>> = {
  empty: {},
  'no-ca': { 'tls.crt': 'x', 'tls.key': 'x' },
  'not-pem': { 'tls.crt': 'not a certificate', 'tls.key': 'not a key', 'ca.crt': 'not a CA' },
};
const dir = (name: string) => join(root, name);

beforeAll(() => {
  for (const [name, files] of Object.entries(FOLDERS)) {
    mkdirSync(dir(name));
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir(name), file), content);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FIX =
  'give the folder holding tls.crt, tls.key and ca.crt with --tls-server-certs-dir or TLS_SERVER_CERTS_DIR, or run with --insecure for local rendering';
const noneIn = (folder: string) =>
  `cannot serve over mTLS: cannot read ${folder}/tls.crt, ${folder}/tls.key and ${folder}/ca.crt: no such file; ${FIX}`;

interface Case {
  options: FunctionProcessOptions;
  want: string;
  /** Left out on a machine where the folder it looks in exists. */
  needsAbsent?: string;
}

const cases: Record<string, Case> = {
  "no flag and no environment: /tls/server, where Crossplane's package manager mounts them": {
    options: { env: { TLS_SERVER_CERTS_DIR: undefined } },
    want: noneIn('/tls/server'),
    needsAbsent: '/tls/server',
  },
  'TLS_SERVER_CERTS_DIR naming an empty folder': {
    options: { env: { TLS_SERVER_CERTS_DIR: dir('empty') } },
    want: noneIn(dir('empty')),
  },
  "function-sdk-go's --tls-certs-dir naming a folder without ca.crt": {
    options: { args: [`--tls-certs-dir=${dir('no-ca')}`], env: { TLS_SERVER_CERTS_DIR: undefined } },
    want: `cannot serve over mTLS: cannot read ${dir('no-ca')}/ca.crt: no such file; ${FIX}`,
  },
  '--tls-server-certs-dir before TLS_SERVER_CERTS_DIR': {
    options: {
      args: [`--tls-server-certs-dir=${dir('empty')}`],
      env: { TLS_SERVER_CERTS_DIR: dir('no-ca') },
    },
    want: noneIn(dir('empty')),
  },
  'files that are not PEM': {
    options: { args: [`--tls-server-certs-dir=${dir('not-pem')}`] },
    want: `cannot serve over mTLS: cannot use tls.crt, tls.key and ca.crt of ${dir('not-pem')}: error:0480006C:PEM routines::no start line`,
  },
};

describe('function-stackplane started without usable certificates', () => {
  const runnable = Object.entries(cases).filter(([, c]) => !(c.needsAbsent && existsSync(c.needsAbsent)));
  it.each(runnable)('%s: exits 1 with one line', async (_name, { options, want }) => {
    expect(await runUntilExit(options)).toEqual({
      code: 1,
      stdout: '',
      stderr: `function-stackplane: ${want}\n`,
    });
  });
});
