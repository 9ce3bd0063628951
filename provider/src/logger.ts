import type { Logger } from 'pino';
import { newStructuredLogger, type LoggerOptions } from '../../lib/logger.js';

/**
 * The provider's logger: the same JSON lines and redaction as the function's. The provider never logs
 * Secret data or connection details; redaction is there for a mistake.
 */
export function newProviderLogger(options: LoggerOptions = {}): Logger {
  return newStructuredLogger({ provider: 'provider-stackplane' }, options);
}
