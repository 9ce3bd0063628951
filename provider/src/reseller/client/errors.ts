/**
 * The reseller API's failures under the names its callers know; the classes and the status mapping
 * are the provider's one set in transport/errors.ts, shared with Keystone, Nova, storage and webhooks.
 */
export {
  ConflictError,
  ExternalAPIError as ResellerAPIError,
  isRetryable,
  NotAllowedError,
  NotFoundError,
  RetryableError,
  UnauthorizedError,
  ValidationError,
  type ValidationIssue,
} from '../../transport/errors.js';
