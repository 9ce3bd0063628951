/**
 * The reseller API's failures as types, so callers branch on the class (never on message text).
 * Messages read `cannot <verb> <noun>: <cause>` and never carry credentials, tokens or request bodies.
 */

/** One entry of a 422 answer's `detail` (HTTPValidationError), without the rejected input. */
export interface ValidationIssue {
  loc: string[];
  msg: string;
  type: string;
}

/** Any failure of a call to the reseller API. `status` is the HTTP status, absent when none arrived. */
export class ResellerAPIError extends Error {
  override name = 'ResellerAPIError';
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** 404: the project or user does not exist (any more). */
export class NotFoundError extends ResellerAPIError {
  override name = 'NotFoundError';
}

/** 405: the API refuses the operation in the object's current state, e.g. deleting a project with members. */
export class NotAllowedError extends ResellerAPIError {
  override name = 'NotAllowedError';
}

/** 409: an object with that name already exists (Keystone application credentials). */
export class ConflictError extends ResellerAPIError {
  override name = 'ConflictError';
}

/** 401 (or 403): the credentials were refused, or a fresh token was refused again. */
export class UnauthorizedError extends ResellerAPIError {
  override name = 'UnauthorizedError';
}

/** 422: the API rejected the request body or parameters; `issues` say where. */
export class ValidationError extends ResellerAPIError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: ValidationIssue[],
    options?: ErrorOptions,
  ) {
    super(message, 422, options);
  }
}

/**
 * 429, 5xx, a dropped connection or a timeout: the same call may succeed later. The client does not
 * retry these itself (a retried create could create twice); the reconciler backs off and observes first.
 */
export class RetryableError extends ResellerAPIError {
  override name = 'RetryableError';
}

/** Whether a failure is worth repeating unchanged after a back-off. */
export function isRetryable(error: unknown): boolean {
  return error instanceof RetryableError;
}
