import { conditionOf } from '../../observed.js';
import type { KubeObject, StepCondition, StepResult } from '../../types.js';

/** The condition type on the composite: whether provider-stackplane synced its managed resources. */
export const EXTERNAL_SYNCED = 'ExternalSynced';
/** Longest message copied from a managed resource into a condition or a result. */
export const MAX_SYNC_MESSAGE = 1024;

const REASON_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const FALLBACK_REASON = 'ReconcileError';

/** A message as an observed object reported it, made safe to repeat: a string, bounded. */
function bounded(message: string): string {
  return message.length <= MAX_SYNC_MESSAGE ? message : `${message.slice(0, MAX_SYNC_MESSAGE - 1)}…`;
}

/**
 * ExternalSynced, and a Warning per managed resource the provider reports `Synced=False` for (it
 * refuses to adopt an object another namespace created, the API refuses a change, ...). Tenants may
 * read their composites but not the managed resources, so the provider's message is repeated here,
 * prefixed with the composition resource name. Only the provider's condition is read, whose messages
 * it has already scrubbed; nothing else of the resource. No condition until every observed resource
 * reports Synced, so a resource the provider has not seen yet says nothing.
 */
export function externalSynced(
  xr: string,
  observed: Readonly<Record<string, KubeObject | undefined>>,
): { conditions: StepCondition[]; results: StepResult[] } {
  const reports = Object.entries(observed)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([name, object]) => (object ? [{ name, synced: conditionOf(object, 'Synced') }] : []));
  const failed = reports.flatMap(({ name, synced }) => {
    if (synced?.status !== 'False') return [];
    const reason =
      typeof synced.reason === 'string' && REASON_PATTERN.test(synced.reason)
        ? synced.reason
        : FALLBACK_REASON;
    const cause = typeof synced.message === 'string' && synced.message ? synced.message : reason;
    return [{ reason, message: bounded(`${name}: ${cause}`) }];
  });
  const [first] = failed;
  if (first) {
    return {
      conditions: [
        {
          type: EXTERNAL_SYNCED,
          status: 'False',
          reason: first.reason,
          message: bounded(failed.map((f) => f.message).join('; ')),
        },
      ],
      results: failed.map((f) => ({ severity: 'Warning', reason: f.reason, message: `${xr}: ${f.message}` })),
    };
  }
  if (reports.length === 0 || reports.some(({ synced }) => synced?.status !== 'True')) {
    return { conditions: [], results: [] };
  }
  return {
    conditions: [
      {
        type: EXTERNAL_SYNCED,
        status: 'True',
        reason: 'ReconcileSuccess',
        message: `provider-stackplane synced ${reports.map((r) => r.name).join(', ')}`,
      },
    ],
    results: [],
  };
}
