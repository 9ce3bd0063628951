/**
 * The region's Keystone and Nova failures as types, so callers branch on the class, never on text.
 * Messages read `cannot <verb> <noun>: <cause>` and never carry credentials, tokens or bodies sent.
 */
import { z } from 'zod';

/** Any failure of a call to Keystone or Nova; `status` is absent when no answer arrived. */
export class OpenStackAPIError extends Error {
  override name = 'OpenStackAPIError';
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** 404. */
export class OpenStackNotFoundError extends OpenStackAPIError {
  override name = 'OpenStackNotFoundError';
}

/** 401 or 403: the credentials were refused, or lack the admin role os-services needs. */
export class OpenStackUnauthorizedError extends OpenStackAPIError {
  override name = 'OpenStackUnauthorizedError';
}

/** 429, 5xx or no answer: the same call may succeed after a back-off. */
export class OpenStackRetryableError extends OpenStackAPIError {
  override name = 'OpenStackRetryableError';
}

// Keystone: {"error": {"message": ...}}; Nova: {"badRequest": {"code": 400, "message": ...}}.
const keystoneError = z.object({ error: z.object({ message: z.string() }) });
const novaError = z.record(z.string(), z.object({ message: z.string() }));

/** The API's own words about a failure, if its body has them. */
function said(body: unknown): string {
  const keystone = keystoneError.safeParse(body);
  if (keystone.success) return `: ${keystone.data.error.message}`;
  const nova = novaError.safeParse(body);
  if (nova.success) {
    const first = Object.values(nova.data)[0];
    if (first) return `: ${first.message}`;
  }
  return '';
}

/** The typed error of a non-2xx answer. */
export function errorFor(api: string, operation: string, status: number, body: unknown): OpenStackAPIError {
  const message = `${operation}: ${api} answered ${status}${said(body)}`;
  if (status === 404) return new OpenStackNotFoundError(message, status);
  if (status === 401 || status === 403) return new OpenStackUnauthorizedError(message, status);
  if (status === 429 || status >= 500) return new OpenStackRetryableError(message, status);
  return new OpenStackAPIError(message, status);
}
