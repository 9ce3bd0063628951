import type { ManagedView } from './runtime/external.js';

/** An update or a lookup was asked of a managed resource that has no external name yet. */
export class NoExternalNameError extends Error {
  override name = 'NoExternalNameError';
}

/** The external name, which every call but create and delete needs. */
export function requireExternalName(mr: ManagedView<unknown>, verb: string): string {
  if (mr.externalName === undefined) {
    throw new NoExternalNameError(`cannot ${verb} "${mr.name}": it has no external name yet`);
  }
  return mr.externalName;
}
