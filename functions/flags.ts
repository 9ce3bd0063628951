/**
 * function-stackplane's command line: the flags of function-sdk-typescript's serve(), plus the names
 * function-sdk-go's functions take for the same things, so a DeploymentRuntimeConfig or a habit
 * formed with a Go function works unchanged: `--tls-certs-dir` and the `TLS_SERVER_CERTS_DIR`
 * environment variable (which Crossplane's package manager sets on every function it runs).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ADDRESS, DEFAULT_TLS_SERVER_CERTS_DIR } from '@crossplane-org/function-sdk-typescript';

/** What the command line decides. */
export interface FunctionFlags {
  address: string;
  debug: boolean;
  insecure: boolean;
  /** Where tls.crt, tls.key and ca.crt are read from unless `insecure`. */
  tlsServerCertsDir: string;
  help: boolean;
}

/** The environment variable function-sdk-go reads the certificates' folder from. */
export const TLS_DIR_ENV = 'TLS_SERVER_CERTS_DIR';

const FLAGS = {
  address: { type: 'string', default: DEFAULT_ADDRESS },
  debug: { type: 'boolean', short: 'd', default: false },
  insecure: { type: 'boolean', default: false },
  'tls-server-certs-dir': { type: 'string' },
  'tls-certs-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const DESCRIPTIONS: Record<keyof typeof FLAGS, string> = {
  address: `Address to listen for gRPC connections. Default ${DEFAULT_ADDRESS}.`,
  debug: 'Emit debug logs: each call with its composite, step, composed resources and results.',
  insecure: 'Run without mTLS credentials (local rendering only).',
  'tls-server-certs-dir': `Directory holding tls.key, tls.crt and ca.crt. Default $${TLS_DIR_ENV}, else ${DEFAULT_TLS_SERVER_CERTS_DIR}.`,
  'tls-certs-dir': 'The same, under the name function-sdk-go gives it.',
  help: 'Show this help.',
};

/**
 * Parses the arguments (without node and the script). The certificates' folder is the first of
 * --tls-server-certs-dir, --tls-certs-dir, $TLS_SERVER_CERTS_DIR and /tls/server.
 *
 * @throws TypeError from node:util naming the flag, for an unknown flag or a missing value
 */
export function parseFlags(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): FunctionFlags {
  const { values } = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: false, strict: true });
  return {
    address: values.address,
    debug: values.debug,
    insecure: values.insecure,
    tlsServerCertsDir:
      values['tls-server-certs-dir'] ??
      values['tls-certs-dir'] ??
      (env[TLS_DIR_ENV] || DEFAULT_TLS_SERVER_CERTS_DIR),
    help: values.help,
  };
}

/** The --help text. */
export function helpText(name: string): string {
  const lines = Object.entries(FLAGS).map(([flag, spec]) => {
    const short = 'short' in spec ? `-${spec.short}, ` : '    ';
    const value = spec.type === 'string' ? ' <value>' : '';
    return `  ${short}--${flag}${value}`.padEnd(38) + DESCRIPTIONS[flag as keyof typeof FLAGS];
  });
  return [`Usage: ${name} [flags]`, '', 'A Crossplane composition function.', '', 'Flags:', ...lines].join(
    '\n',
  );
}
