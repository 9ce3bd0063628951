import { pino, type Logger } from 'pino';

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

/** The function's structured logger: JSON lines with a severity and redaction on. */
export function newLogger(options: { debug?: boolean; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.debug ? 'debug' : 'info',
      base: { function: 'function-stackplane' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ severity: label.toUpperCase() }) },
    },
    options.destination,
  );
}
