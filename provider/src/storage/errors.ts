/**
 * The storage-only failures; every failure of a storage API call is one of the shared classes of
 * transport/errors.ts (NotFoundError, ConflictError, RetryableError, ...).
 */
import { ExternalAPIError } from '../transport/errors.js';

/** A key in the provider config cannot be used. */
export class StorageKeyError extends Error {
  override name = 'StorageKeyError';
}

/** The storage project still holds volumes, so DeleteWhenEmpty keeps it; retried after a back-off. */
export class StorageProjectNotEmptyError extends ExternalAPIError {
  override name = 'StorageProjectNotEmptyError';
}
