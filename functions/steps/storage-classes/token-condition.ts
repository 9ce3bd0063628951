import type { StepCondition } from '../../types.js';

/** The condition that says whether the CSI driver has its tenant token. */
export const STORAGE_CREDENTIALS_CONDITION = 'StorageCredentials';

/**
 * `StorageCredentials`: True once the token Secret holds key jwt; otherwise False, naming the storage
 * Token that writes it and, when there is one, the storage managed resource it waits for.
 */
export function tokenCondition(
  secret: { name: string; namespace: string },
  token: string,
  ready: boolean,
  pending: string | undefined,
): StepCondition {
  const where = `Secret ${secret.namespace}/${secret.name}`;
  if (ready) {
    return {
      type: STORAGE_CREDENTIALS_CONDITION,
      status: 'True',
      reason: 'TokenAvailable',
      message: `${where} holds the tenant token`,
    };
  }
  const waitingFor = pending ? ` (${pending})` : '';
  return {
    type: STORAGE_CREDENTIALS_CONDITION,
    status: 'False',
    reason: 'WaitingForToken',
    message:
      `waiting for ${where} with key jwt from storage Token ${secret.namespace}/${token}${waitingFor}: ` +
      'volumes cannot be provisioned until the tenant token exists',
  };
}
