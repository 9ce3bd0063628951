import { describe, expect, it } from 'vitest';
import { parseFlags, type FunctionFlags } from '../../../functions/flags.js';

const defaults: FunctionFlags = {
  address: '0.0.0.0:9443',
  debug: false,
  insecure: false,
  tlsServerCertsDir: '/tls/server',
  help: false,
};

describe('function-stackplane flags', () => {
  const cases: Record<string, { argv: string[]; env?: NodeJS.ProcessEnv; want: FunctionFlags }> = {
    'nothing given: the defaults of function-sdk-typescript and Crossplane': { argv: [], want: defaults },
    '-d and --insecure': { argv: ['-d', '--insecure'], want: { ...defaults, debug: true, insecure: true } },
    "function-sdk-go's --tls-certs-dir": {
      argv: ['--tls-certs-dir=/certs'],
      want: { ...defaults, tlsServerCertsDir: '/certs' },
    },
    'TLS_SERVER_CERTS_DIR when no flag names the folder': {
      argv: [],
      env: { TLS_SERVER_CERTS_DIR: '/from-env' },
      want: { ...defaults, tlsServerCertsDir: '/from-env' },
    },
    'an empty TLS_SERVER_CERTS_DIR is unset': {
      argv: [],
      env: { TLS_SERVER_CERTS_DIR: '' },
      want: defaults,
    },
    '--tls-server-certs-dir before --tls-certs-dir and the environment': {
      argv: ['--tls-certs-dir=/go', '--tls-server-certs-dir=/ts'],
      env: { TLS_SERVER_CERTS_DIR: '/from-env' },
      want: { ...defaults, tlsServerCertsDir: '/ts' },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { argv, env, want }) => {
    expect(parseFlags(argv, env ?? {})).toEqual(want);
  });

  it('refuses an unknown flag, naming it', () => {
    expect(() => parseFlags(['--tls-dir=/x'], {})).toThrow("Unknown option '--tls-dir'");
  });
});
