/** The storage API's failures as types; messages never carry the admin token or keys. */

/** Any failure of a call to the storage API; `status` is absent when no answer arrived. */
export class StorageAPIError extends Error {
  override name = 'StorageAPIError';
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** 404: the project or credential does not exist. */
export class StorageNotFoundError extends StorageAPIError {
  override name = 'StorageNotFoundError';
}

/** 409: an object with that name already exists. */
export class StorageConflictError extends StorageAPIError {
  override name = 'StorageConflictError';
}

/** 401 or 403: the admin token was refused. */
export class StorageUnauthorizedError extends StorageAPIError {
  override name = 'StorageUnauthorizedError';
}

/** 429, 5xx, or no endpoint answered: the same call may succeed later. */
export class StorageRetryableError extends StorageAPIError {
  override name = 'StorageRetryableError';
}

/** A key in the provider config cannot be used. */
export class StorageKeyError extends Error {
  override name = 'StorageKeyError';
}

/** The storage project still holds volumes, so DeleteWhenEmpty keeps it; retried after a back-off. */
export class StorageProjectNotEmptyError extends StorageAPIError {
  override name = 'StorageProjectNotEmptyError';
}
