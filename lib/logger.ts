import { pino, type Logger } from 'pino';

/**
 * The structured logger of every Stackplane program (the function and the provider): shared code
 * lives in lib/, below both, so neither imports the other.
 */

/**
 * Paths pino blanks in every log line. Steps never log resource data, but a mistake must not
 * print a secret: connection details, Secret data and anything named like a credential.
 */
export const REDACTED_PATHS = [
  'connectionDetails',
  '*.connectionDetails',
  'data',
  '*.data',
  'stringData',
  '*.stringData',
  'password',
  '*.password',
  'token',
  '*.token',
  'jwt',
  '*.jwt',
];

export interface LoggerOptions {
  debug?: boolean;
  destination?: pino.DestinationStream;
}

/**
 * A structured logger: JSON lines with a severity, redaction on, and `base` on every line to say which
 * program wrote it. The function and the provider both log through it.
 */
export function newStructuredLogger(base: Record<string, string>, options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.debug ? 'debug' : 'info',
      base,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ severity: label.toUpperCase() }) },
    },
    options.destination,
  );
}

/** The function's logger. */
export function newLogger(options: LoggerOptions = {}): Logger {
  return newStructuredLogger({ function: 'function-stackplane' }, options);
}
