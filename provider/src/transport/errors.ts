/**
 * The failures of every external API the provider calls (reseller API, Keystone, Nova, the storage
 * API, webhooks) as one set of types, with the mapping from an HTTP status to its class in one place.
 * Callers branch on the class, never on message text. Messages read `cannot <verb> <noun>: <cause>`
 * and never carry credentials, tokens or request bodies.
 */
import { z } from 'zod';

/** Which API a call goes to, as messages name it. */
export type ExternalAPI = 'reseller API' | 'Keystone' | 'Nova' | 'storage API' | 'webhook';

/** One entry of a 422 answer's `detail` (HTTPValidationError), without the rejected input. */
export interface ValidationIssue {
  loc: string[];
  msg: string;
  type: string;
}

/** Any failure of a call to an external API. `status` is the HTTP status, absent when none arrived. */
export class ExternalAPIError extends Error {
  override name = 'ExternalAPIError';
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** 404: the object does not exist (any more). */
export class NotFoundError extends ExternalAPIError {
  override name = 'NotFoundError';
}

/** 405: the API refuses the operation in the object's current state, e.g. deleting a project with members. */
export class NotAllowedError extends ExternalAPIError {
  override name = 'NotAllowedError';
}

/** 409: an object with that name already exists. */
export class ConflictError extends ExternalAPIError {
  override name = 'ConflictError';
}

/** 401 or 403: the credentials were refused, or lack the role the call needs. */
export class UnauthorizedError extends ExternalAPIError {
  override name = 'UnauthorizedError';
}

/** 422: the API rejected the request body or parameters; `issues` say where. */
export class ValidationError extends ExternalAPIError {
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
 * 429, 5xx, a dropped connection or a call past its deadline: the same call may succeed later. The
 * clients do not retry these themselves (a retried create could create twice); the reconciler backs
 * off and observes first.
 */
export class RetryableError extends ExternalAPIError {
  override name = 'RetryableError';
}

/** The answer was larger than the call's limit; it was cut off, not read. */
export class ResponseTooLargeError extends ExternalAPIError {
  override name = 'ResponseTooLargeError';
}

/** The address policy of the call refused the target before any connection was opened. */
export class TargetNotAllowedError extends ExternalAPIError {
  override name = 'TargetNotAllowedError';
}

/** Whether a failure is worth repeating unchanged after a back-off. */
export function isRetryable(error: unknown): boolean {
  return error instanceof RetryableError;
}

/**
 * The typed error of a non-2xx answer: the one place that maps a status to a class. `said` is the
 * API's own (already scrubbed) words; `issues` the details of a 422.
 */
export function errorForStatus(
  api: ExternalAPI,
  operation: string,
  status: number,
  said: string | undefined,
  issues: ValidationIssue[] = [],
): ExternalAPIError {
  if (status === 422) {
    const where = issues.map((issue) => `${issue.loc.join('.')}: ${issue.msg}`).join('; ');
    return new ValidationError(
      `${operation}: ${api} rejected the request (422)${where === '' ? '' : `: ${where}`}`,
      issues,
    );
  }
  if (status >= 300 && status < 400) {
    // Following would re-send the request, credentials included, wherever the answer points.
    return new ExternalAPIError(
      `${operation}: ${api} answered ${status}, a redirect, which is not followed`,
      status,
    );
  }
  const message = `${operation}: ${api} answered ${status}${said === undefined ? '' : `: ${said}`}`;
  if (status === 404) return new NotFoundError(message, status);
  if (status === 405) return new NotAllowedError(message, status);
  if (status === 409) return new ConflictError(message, status);
  if (status === 401 || status === 403) return new UnauthorizedError(message, status);
  if (status === 429 || status >= 500) return new RetryableError(message, status);
  return new ExternalAPIError(message, status);
}

// The reseller API: {"message": ...} or {"detail": "..."}; Keystone: {"error": {"message": ...}};
// Nova: {"badRequest": {"code": 400, "message": ...}}; the storage API (gRPC-gateway): {"message": ...}.
const flatMessage = z.object({ message: z.string().min(1) });
const detailMessage = z.object({ detail: z.string().min(1) });
const nestedMessage = z.record(z.string(), z.object({ message: z.string().min(1) }));
const validationBody = z.object({
  detail: z.array(
    z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }),
  ),
});

/** The API's own words about a failure, if its body has them, in any of the dialects above. */
export function apiMessage(body: unknown): string | undefined {
  const flat = flatMessage.safeParse(body);
  if (flat.success) return flat.data.message;
  const detail = detailMessage.safeParse(body);
  if (detail.success) return detail.data.detail;
  const nested = nestedMessage.safeParse(body);
  if (nested.success) return Object.values(nested.data)[0]?.message;
  return undefined;
}

/** The 422 detail without the rejected input, which may hold a password. */
export function validationIssues(body: unknown): ValidationIssue[] {
  const parsed = validationBody.safeParse(body);
  if (!parsed.success) return [];
  return parsed.data.detail.map((issue) => ({
    loc: issue.loc.map(String),
    msg: issue.msg,
    type: issue.type,
  }));
}
