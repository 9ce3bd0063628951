import { pino, type Logger } from 'pino';

/**
 * Paths pino blanks in every log line. The provider never logs Secret data or connection details, but
 * a mistake must not print one.
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

/** The provider's structured logger: JSON lines with a severity and redaction on. */
export function newProviderLogger(
  options: { debug?: boolean; destination?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.debug ? 'debug' : 'info',
      base: { provider: 'provider-stackplane' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ severity: label.toUpperCase() }) },
    },
    options.destination,
  );
}
