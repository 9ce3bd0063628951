/**
 * What the function's logs say about a RunFunction call: which composite, which step, which composed
 * resources and which results, the way function-sdk-go's functions log a call ("Running function"
 * with the request's tag and the composite's apiVersion, kind and name). Only names, kinds, severities
 * and result messages are taken: never a resource's content, so no Secret data, connection detail or
 * credential can reach a log line through here.
 */
import {
  Severity,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from './types.js';

/** The composite a call is about: what `kubectl get <kind> -n <namespace> <name>` needs. */
export interface CompositeIdentity {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A result as logged: its severity's name (Fatal, Warning, Normal), reason and message. */
export interface LoggedResult {
  severity: string;
  reason?: string;
  message: string;
}

/** The fields of the line that opens a call: the request's tag and the composite. */
export function requestFields(
  req: RunFunctionRequest,
  composite: KubeObject | undefined,
): { tag: string; xr: CompositeIdentity | undefined } {
  return { tag: req.meta?.tag ?? '', xr: compositeIdentity(composite) };
}

/** The composite's apiVersion, kind, namespace (when namespaced) and name; undefined without one. */
export function compositeIdentity(composite: KubeObject | undefined): CompositeIdentity | undefined {
  if (!composite) return undefined;
  const metadata = (composite['metadata'] ?? {}) as { name?: unknown; namespace?: unknown };
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const namespace = text(metadata.namespace);
  return {
    apiVersion: text(composite['apiVersion']),
    kind: text(composite['kind']),
    ...(namespace ? { namespace } : {}),
    name: text(metadata.name),
  };
}

/** The fields of the line that closes a call: the composed resources' names and the results. */
export function responseFields(rsp: RunFunctionResponse): { resources: string[]; results: LoggedResult[] } {
  return {
    resources: Object.keys(rsp.desired?.resources ?? {}),
    results: rsp.results.map(loggedResult),
  };
}

/** The response's fatal results: each is logged whatever the level, since it fails the pipeline. */
export function fatalResults(rsp: RunFunctionResponse): LoggedResult[] {
  return rsp.results.filter((result) => result.severity === Severity.SEVERITY_FATAL).map(loggedResult);
}

const SEVERITY_NAMES: Record<Severity, string> = {
  [Severity.SEVERITY_UNSPECIFIED]: 'Unspecified',
  [Severity.SEVERITY_FATAL]: 'Fatal',
  [Severity.SEVERITY_WARNING]: 'Warning',
  [Severity.SEVERITY_NORMAL]: 'Normal',
  [Severity.UNRECOGNIZED]: 'Unrecognized',
};

function loggedResult(result: RunFunctionResponse['results'][number]): LoggedResult {
  return {
    severity: SEVERITY_NAMES[result.severity] ?? String(result.severity),
    ...(result.reason ? { reason: result.reason } : {}),
    message: result.message,
  };
}
