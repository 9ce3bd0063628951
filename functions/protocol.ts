// Conversions between the RunFunction protocol messages and the plain values steps work with.
import {
  Ready,
  Severity,
  Status,
  Target,
  type Requirements,
  type Resource,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import { setOwn } from './codec/struct-shapes.js';
import type {
  DesiredResource,
  KubeObject,
  Requirement,
  StepCondition,
  StepResponse,
  StepResult,
} from './types.js';

/** The observed composite resource, or undefined when the request carries none. */
export function observedComposite(req: RunFunctionRequest): KubeObject | undefined {
  return req.observed?.composite?.resource;
}

/** Observed composed resources by composition resource name. */
export function observedComposed(req: RunFunctionRequest): Record<string, KubeObject> {
  const out: Record<string, KubeObject> = {};
  const resources = req.observed?.resources;
  // for-in with hasOwn visits what Object.entries does, without a pair per resource.
  for (const name in resources) {
    if (!Object.hasOwn(resources, name)) continue;
    const resource = resources[name]?.resource;
    if (resource) out[name] = resource;
  }
  return out;
}

/** Desired composed resources accumulated by earlier steps. */
export function desiredComposed(req: RunFunctionRequest): Record<string, DesiredResource> {
  const out: Record<string, DesiredResource> = {};
  const resources = req.desired?.resources;
  for (const name in resources) {
    if (!Object.hasOwn(resources, name)) continue;
    const state = resources[name];
    if (!state?.resource) continue;
    const entry: DesiredResource = { resource: state.resource };
    if (state.ready === Ready.READY_TRUE) entry.ready = true;
    if (state.ready === Ready.READY_FALSE) entry.ready = false;
    out[name] = entry;
  }
  return out;
}

/** Required resources by requirement name; a name is absent until Crossplane fetched it. */
export function requiredResources(req: RunFunctionRequest): Record<string, KubeObject[]> {
  const out: Record<string, KubeObject[]> = {};
  // extraResources is the pre-v1.15 name of the same field; older Crossplane versions still fill it.
  for (const source of [req.extraResources ?? {}, req.requiredResources ?? {}]) {
    for (const [name, resources] of Object.entries(source)) {
      out[name] = (resources?.items ?? []).flatMap((item) => (item.resource ? [item.resource] : []));
    }
  }
  return out;
}

function toProtoResource(desired: DesiredResource): Resource {
  let ready = Ready.READY_UNSPECIFIED;
  if (desired.ready === true) ready = Ready.READY_TRUE;
  if (desired.ready === false) ready = Ready.READY_FALSE;
  return { resource: desired.resource, connectionDetails: {}, ready };
}

const CONDITION_STATUS: Record<StepCondition['status'], Status> = {
  True: Status.STATUS_CONDITION_TRUE,
  False: Status.STATUS_CONDITION_FALSE,
  Unknown: Status.STATUS_CONDITION_UNKNOWN,
};

const RESULT_SEVERITY: Record<StepResult['severity'], Severity> = {
  Normal: Severity.SEVERITY_NORMAL,
  Warning: Severity.SEVERITY_WARNING,
  Fatal: Severity.SEVERITY_FATAL,
};

/** Adds a result to the response. */
export function addResult(rsp: RunFunctionResponse, result: StepResult): void {
  rsp.results.push({
    severity: RESULT_SEVERITY[result.severity],
    message: result.message,
    ...(result.reason ? { reason: result.reason } : {}),
    target: Target.TARGET_COMPOSITE,
  });
}

/** Adds a condition for the composite resource to the response. */
export function addCondition(rsp: RunFunctionResponse, condition: StepCondition): void {
  rsp.conditions.push({
    type: condition.type,
    status: CONDITION_STATUS[condition.status],
    reason: condition.reason,
    ...(condition.message ? { message: condition.message } : {}),
    target: Target.TARGET_COMPOSITE,
  });
}

function toRequirements(requirements: Record<string, Requirement>): Requirements {
  const resources: Requirements['resources'] = {};
  for (const [name, r] of Object.entries(requirements)) {
    resources[name] = {
      apiVersion: r.apiVersion,
      kind: r.kind,
      ...(r.matchName !== undefined ? { matchName: r.matchName } : {}),
      ...(r.matchLabels !== undefined ? { matchLabels: { labels: r.matchLabels } } : {}),
      ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
    };
  }
  return { extraResources: {}, resources, schemas: {} };
}

/**
 * The desired composed resources after a step: the step's `composed` merged over those earlier
 * steps left (a name it sets replaces that entry, in its place), then its `removed` names dropped.
 * Neither argument is changed.
 */
export function mergeComposed(
  before: Readonly<Record<string, DesiredResource>>,
  out: Pick<StepResponse, 'composed' | 'removed'>,
): Record<string, DesiredResource> {
  const merged: Record<string, DesiredResource> = {};
  // setOwn, as Object.fromEntries would: a resource named __proto__ stays a resource.
  for (const source of [before, out.composed ?? {}]) {
    for (const name in source) if (Object.hasOwn(source, name)) setOwn(merged, name, source[name]!);
  }
  for (const name of out.removed ?? []) delete merged[name];
  return merged;
}

/**
 * Writes a step's response into the RunFunctionResponse. The desired composed resources become
 * those of `before` (what earlier steps left) merged with the step's, as mergeComposed says.
 */
export function writeStepResponse(
  rsp: RunFunctionResponse,
  out: StepResponse,
  before: Readonly<Record<string, DesiredResource>>,
): void {
  // A fresh State: the SDK's to() shares the request's desired state, which must stay as it came.
  const previous = rsp.desired?.composite;
  let composite = previous;
  if (out.status || out.compositeReady === false) {
    const resource = previous?.resource ?? {};
    const status = (resource['status'] as Record<string, unknown> | undefined) ?? {};
    composite = {
      resource: { ...resource, status: { ...status, ...out.status } },
      connectionDetails: previous?.connectionDetails ?? {},
      ready: out.compositeReady === false ? Ready.READY_FALSE : (previous?.ready ?? Ready.READY_UNSPECIFIED),
    };
  }
  const desired = mergeComposed(before, out);
  const resources: Record<string, Resource> = {};
  for (const name in desired) {
    if (Object.hasOwn(desired, name)) setOwn(resources, name, toProtoResource(desired[name]!));
  }
  rsp.desired = { composite, resources };
  for (const condition of out.conditions ?? []) addCondition(rsp, condition);
  for (const result of out.results ?? []) addResult(rsp, result);
  if (out.requirements && Object.keys(out.requirements).length > 0) {
    rsp.requirements = toRequirements(out.requirements);
  }
  if (out.context) rsp.context = { ...(rsp.context ?? {}), ...out.context };
  if (out.ttlSeconds !== undefined && rsp.meta) rsp.meta.ttl = { seconds: out.ttlSeconds, nanos: 0 };
}
