import type { StepCondition } from '../../types.js';

/** The condition that says whether the CSI driver has its tenant token. */
export const STORAGE_CREDENTIALS_CONDITION = 'StorageCredentials';

/** For a remote target: the Secret in the tenant's cluster the token is copied to. */
export interface TokenCopy {
  remote: boolean;
  inCluster: { name: string; namespace: string };
}

/**
 * `StorageCredentials`: True once the token Secret holds key jwt (and, for a remote target, once it is
 * copied into the tenant's cluster); otherwise False, naming the copy it waits for, or the storage
 * Token that writes the Secret and, when there is one, the managed resource that Token waits for.
 */
export function tokenCondition(
  secret: { name: string; namespace: string },
  token: string,
  state: { written: boolean; ready: boolean },
  pending: string | undefined,
  copy: TokenCopy = { remote: false, inCluster: secret },
): StepCondition {
  const { written, ready } = state;
  const where = `Secret ${secret.namespace}/${secret.name}`;
  const copied = copy.remote
    ? `Secret ${copy.inCluster.namespace}/${copy.inCluster.name} of the tenant cluster`
    : undefined;
  if (ready) {
    return {
      type: STORAGE_CREDENTIALS_CONDITION,
      status: 'True',
      reason: 'TokenAvailable',
      message: `${where} holds the tenant token${copied ? `, copied to ${copied}` : ''}`,
    };
  }
  if (written && copied) {
    return {
      type: STORAGE_CREDENTIALS_CONDITION,
      status: 'False',
      reason: 'CopyingToken',
      message: `${where} holds the tenant token; waiting for its copy in ${copied}`,
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
