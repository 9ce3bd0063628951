// Reads RunFunction responses back into plain values that tests compare whole.
import { Ready, Severity, Status, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from '../../functions/types.js';

export interface Summary {
  results: Array<{ severity: string; reason?: string; message: string }>;
  conditions: Array<{ type: string; status: string; reason: string; message?: string }>;
}

const SEVERITY: Record<number, string> = {
  [Severity.SEVERITY_FATAL]: 'Fatal',
  [Severity.SEVERITY_WARNING]: 'Warning',
  [Severity.SEVERITY_NORMAL]: 'Normal',
};
const STATUS: Record<number, string> = {
  [Status.STATUS_CONDITION_TRUE]: 'True',
  [Status.STATUS_CONDITION_FALSE]: 'False',
  [Status.STATUS_CONDITION_UNKNOWN]: 'Unknown',
};

/** Results and conditions of a response. */
export function summarize(rsp: RunFunctionResponse): Summary {
  return {
    results: rsp.results.map((r) => ({
      severity: SEVERITY[r.severity] ?? String(r.severity),
      ...(r.reason ? { reason: r.reason } : {}),
      message: r.message,
    })),
    conditions: rsp.conditions.map((c) => ({
      type: c.type,
      status: STATUS[c.status] ?? String(c.status),
      reason: c.reason,
      ...(c.message ? { message: c.message } : {}),
    })),
  };
}

/** Desired composed resources by name. */
export function desiredResources(rsp: RunFunctionResponse): Record<string, KubeObject> {
  return Object.fromEntries(
    Object.entries(rsp.desired?.resources ?? {}).map(([name, r]) => [name, r.resource ?? {}]),
  );
}

/** Readiness of each desired composed resource. */
export function desiredReadiness(rsp: RunFunctionResponse): Record<string, string> {
  return Object.fromEntries(
    Object.entries(rsp.desired?.resources ?? {}).map(([name, r]) => [
      name,
      r.ready === Ready.READY_TRUE ? 'True' : r.ready === Ready.READY_FALSE ? 'False' : 'Unspecified',
    ]),
  );
}

/** The desired composite status. */
export function desiredStatus(rsp: RunFunctionResponse): Record<string, unknown> | undefined {
  return rsp.desired?.composite?.resource?.['status'] as Record<string, unknown> | undefined;
}
