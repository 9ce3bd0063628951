/** Builders for the managed resources external clients see, after provider-kubernetes' test builders. */
import type { ManagedView } from '../../../provider/src/runtime/external.js';

/** A change to a managed view. */
export type Modifier<P> = (mr: ManagedView<P>) => void;

/** A managed view named `test` in namespace `default` with `forProvider`, changed by the modifiers. */
export function managed<P>(forProvider: P, ...modifiers: Modifier<P>[]): ManagedView<P> {
  const mr: ManagedView<P> = {
    name: 'test',
    namespace: 'default',
    forProvider: structuredClone(forProvider),
  };
  for (const modify of modifiers) modify(mr);
  return mr;
}

/** Sets the external name. */
export function withExternalName<P>(externalName: string): Modifier<P> {
  return (mr) => {
    mr.externalName = externalName;
  };
}

/** Changes spec.forProvider. */
export function withForProvider<P>(change: Partial<P>): Modifier<P> {
  return (mr) => {
    mr.forProvider = { ...mr.forProvider, ...change };
  };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
