import {
  Capability,
  Ready,
  Requirements,
  Severity,
  Status,
  type Resource,
  type ResourceSelector,
  type Resources,
  type RunFunctionRequest,
  type RunFunctionResponse,
  type State,
} from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from '../functions/types.js';
import type { Composition } from './composition.js';
import { stepCredentials } from './credentials.js';
import { metadataOf, nameOf, stringMap } from './manifests.js';

/** Runs one function of the pipeline; the render CLI talks gRPC, tests may do the same. */
export interface FunctionRunner {
  run(functionName: string, request: RunFunctionRequest): Promise<RunFunctionResponse>;
}

export interface RenderInputs {
  xr: KubeObject;
  composition: Composition;
  /** Observed composed resources; each carries its crossplane.io/composition-resource-name annotation. */
  observed?: readonly KubeObject[];
  /** Resources the functions may require (EnvironmentConfigs, Secrets, ...). */
  required?: readonly KubeObject[];
  /** Initial pipeline context. */
  context?: Record<string, unknown>;
  /** Secrets the steps' credentials name (--function-credentials). */
  credentials?: readonly KubeObject[];
}

/** A non-fatal function result, in the shape `crossplane render -r` prints. */
export interface RenderResult {
  apiVersion: 'render.crossplane.io/v1beta1';
  kind: 'Result';
  step: string;
  severity: string;
  message: string;
}

export interface RenderCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
  lastTransitionTime: string;
}

export interface RenderOutputs {
  xr: KubeObject;
  composed: KubeObject[];
  results: RenderResult[];
  context: Record<string, unknown> | undefined;
  /** How many times each step ran before its requirements were stable. */
  iterations: Record<string, number>;
}

/** Thrown when a step returns a fatal result: the pipeline stops and nothing is applied. */
export class FatalResultError extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
    message: string,
    readonly conditions: RenderCondition[],
    /** The required resources the pipeline asked for and no file supplied, e.g. `Namespace "kube-system" (v1)`. */
    readonly unmetRequirements: string[] = [],
  ) {
    super(`pipeline step "${step}" returned a fatal result: ${message}`);
  }
}

export const COMPOSITION_RESOURCE_NAME = 'crossplane.io/composition-resource-name';
export const COMPOSITE_LABEL = 'crossplane.io/composite';
/** Crossplane runs a step at most this many more times while its requirements keep changing. */
export const MAX_REQUIREMENTS_ITERATIONS = 5;
/** Render pins condition times so its output is reproducible, as `crossplane render` does. */
export const CONDITION_TIME = '2024-01-01T00:00:00Z';

const CAPABILITIES = [
  Capability.CAPABILITY_CAPABILITIES,
  Capability.CAPABILITY_REQUIRED_RESOURCES,
  Capability.CAPABILITY_CREDENTIALS,
  Capability.CAPABILITY_CONDITIONS,
  Capability.CAPABILITY_REQUIRED_SCHEMAS,
];

const SYSTEM_CONDITIONS = new Set(['Ready', 'Synced', 'Healthy']);

function asResource(object: KubeObject): Resource {
  return { resource: object, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED };
}

/**
 * Runs a Composition's pipeline for one composite resource the way Crossplane does: each step gets
 * the observed state, the desired state and context left by the step before it; a step is run again
 * with the resources it requires until its requirements stop changing; a fatal result stops the run.
 */
export async function renderPipeline(runner: FunctionRunner, inputs: RenderInputs): Promise<RenderOutputs> {
  const fetcher = new RequiredResourceFetcher(inputs.required ?? []);
  const observedByName = new Map<string, KubeObject>();
  for (const object of inputs.observed ?? []) {
    const name = stringMap(metadataOf(object)['annotations'])[COMPOSITION_RESOURCE_NAME];
    if (!name) {
      throw new Error(
        `observed resource ${String(object['kind'])} "${nameOf(object)}" has no ${COMPOSITION_RESOURCE_NAME} annotation`,
      );
    }
    observedByName.set(name, object);
  }
  const observed: State = {
    composite: asResource(inputs.xr),
    resources: Object.fromEntries([...observedByName].map(([name, object]) => [name, asResource(object)])),
  };

  let desired: State = { composite: undefined, resources: {} };
  let context: Record<string, unknown> | undefined = { ...(inputs.context ?? {}) };
  const results: RenderResult[] = [];
  const conditions: RenderCondition[] = [];
  const iterations: Record<string, number> = {};

  for (const step of inputs.composition.pipeline) {
    const bootstrap: Record<string, Resources> = {};
    for (const selector of step.requirements?.requiredResources ?? []) {
      bootstrap[selector.requirementName] = fetcher.fetch({
        apiVersion: selector.apiVersion,
        kind: selector.kind,
        ...(selector.name !== undefined ? { matchName: selector.name } : {}),
        ...(selector.matchLabels !== undefined ? { matchLabels: { labels: selector.matchLabels } } : {}),
        ...(selector.namespace !== undefined ? { namespace: selector.namespace } : {}),
      });
    }
    const request: RunFunctionRequest = {
      meta: { tag: '', capabilities: CAPABILITIES },
      observed,
      desired,
      ...(step.input ? { input: step.input } : {}),
      ...(context ? { context } : {}),
      extraResources: {},
      credentials: stepCredentials(step, inputs.credentials ?? []),
      requiredResources: bootstrap,
      requiredSchemas: {},
    };
    const { response, runs } = await runUntilStable(
      runner,
      step.functionRef.name,
      request,
      bootstrap,
      fetcher,
    );
    iterations[step.step] = runs;

    desired = response.desired ?? { composite: undefined, resources: {} };
    context = response.context;
    for (const c of response.conditions) {
      conditions.push({
        type: c.type,
        status:
          c.status === Status.STATUS_CONDITION_TRUE
            ? 'True'
            : c.status === Status.STATUS_CONDITION_FALSE
              ? 'False'
              : 'Unknown',
        reason: c.reason,
        ...(c.message ? { message: c.message } : {}),
        lastTransitionTime: CONDITION_TIME,
      });
    }
    for (const result of response.results) {
      if (result.severity === Severity.SEVERITY_FATAL) {
        throw new FatalResultError(step.step, result.reason ?? '', result.message, conditions, [
          ...fetcher.unmet,
        ]);
      }
      results.push({
        apiVersion: 'render.crossplane.io/v1beta1',
        kind: 'Result',
        step: step.step,
        severity: Severity[result.severity] ?? 'SEVERITY_UNSPECIFIED',
        message: result.message,
      });
    }
  }

  return {
    xr: compositeOutput(inputs.xr, desired, conditions),
    composed: composedOutput(inputs.xr, desired, observedByName),
    results,
    context,
    iterations,
  };
}

async function runUntilStable(
  runner: FunctionRunner,
  functionName: string,
  request: RunFunctionRequest,
  bootstrap: Record<string, Resources>,
  fetcher: RequiredResourceFetcher,
): Promise<{ response: RunFunctionResponse; runs: number }> {
  let requirements: Requirements | undefined;
  for (let run = 1; run <= MAX_REQUIREMENTS_ITERATIONS + 1; run++) {
    const response = await runner.run(functionName, request);
    if (response.results.some((r) => r.severity === Severity.SEVERITY_FATAL)) return { response, runs: run };
    if (sameRequirements(response.requirements, requirements)) return { response, runs: run };
    requirements = response.requirements;
    const required: Record<string, Resources> = { ...bootstrap };
    for (const [name, selector] of Object.entries(requirements?.resources ?? {})) {
      required[name] = fetcher.fetch(selector);
    }
    const extra: Record<string, Resources> = {};
    for (const [name, selector] of Object.entries(requirements?.extraResources ?? {})) {
      extra[name] = fetcher.fetch(selector);
    }
    request.requiredResources = required;
    request.extraResources = extra;
  }
  throw new Error(
    `requirements didn't stabilize after the maximum number of iterations (${MAX_REQUIREMENTS_ITERATIONS})`,
  );
}

function sameRequirements(a: Requirements | undefined, b: Requirements | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(Requirements.toJSON(a)) === JSON.stringify(Requirements.toJSON(b));
}

/** Serves required resources from the loaded files, as Crossplane serves them from the API server. */
export class RequiredResourceFetcher {
  private readonly resources: KubeObject[];
  /** What was asked for and matched nothing, described for a message. */
  readonly unmet = new Set<string>();

  constructor(resources: readonly KubeObject[]) {
    this.resources = [...resources].sort((a, b) => (nameOf(a) ?? '').localeCompare(nameOf(b) ?? ''));
  }

  fetch(selector: ResourceSelector | undefined): Resources {
    if (!selector) return { items: [] };
    const matches = this.resources.filter((object) => {
      if (object['apiVersion'] !== selector.apiVersion || object['kind'] !== selector.kind) return false;
      const metadata = metadataOf(object);
      if (selector.namespace && metadata['namespace'] !== selector.namespace) return false;
      if (selector.matchName !== undefined) return metadata['name'] === selector.matchName;
      const labels = stringMap(metadata['labels']);
      return Object.entries(selector.matchLabels?.labels ?? {}).every(
        ([key, value]) => labels[key] === value,
      );
    });
    const items = selector.matchName !== undefined ? matches.slice(0, 1) : matches;
    if (items.length === 0) this.unmet.add(describeSelector(selector));
    return { items: items.map(asResource) };
  }
}

function describeSelector(selector: ResourceSelector): string {
  const labels = Object.entries(selector.matchLabels?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  const which =
    selector.matchName !== undefined
      ? ` "${selector.matchName}"`
      : labels.length
        ? ` labelled ${labels.join(',')}`
        : '';
  const where = selector.namespace ? ` in namespace ${selector.namespace}` : '';
  return `${selector.kind}${which} (${selector.apiVersion})${where}`;
}

function compositeOutput(xr: KubeObject, desired: State, conditions: readonly RenderCondition[]): KubeObject {
  const out: KubeObject = structuredClone(desired.composite?.resource ?? {});
  const source = metadataOf(xr);
  out['apiVersion'] = xr['apiVersion'];
  out['kind'] = xr['kind'];
  const metadata: Record<string, unknown> = { ...metadataOf(out), name: source['name'] };
  if (source['namespace']) metadata['namespace'] = source['namespace'];
  else delete metadata['namespace'];
  out['metadata'] = metadata;

  const unready = Object.entries(desired.resources)
    .filter(([, r]) => r.ready !== Ready.READY_TRUE)
    .map(([name]) => name);
  const readyState = desired.composite?.ready ?? Ready.READY_UNSPECIFIED;
  let ready: RenderCondition = {
    type: 'Ready',
    status: 'True',
    reason: 'Available',
    lastTransitionTime: CONDITION_TIME,
  };
  if (readyState === Ready.READY_FALSE) {
    ready = { type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: CONDITION_TIME };
  } else if (readyState === Ready.READY_UNSPECIFIED && unready.length > 0) {
    ready = {
      type: 'Ready',
      status: 'False',
      reason: 'Creating',
      message: `Unready resources: ${firstNAndSomeMore(3, unready.sort())}`,
      lastTransitionTime: CONDITION_TIME,
    };
  }
  const all: RenderCondition[] = [ready];
  for (const condition of conditions) {
    if (SYSTEM_CONDITIONS.has(condition.type)) continue;
    const index = all.findIndex((c) => c.type === condition.type);
    if (index >= 0) all[index] = condition;
    else all.push(condition);
  }
  const status = (out['status'] as Record<string, unknown> | undefined) ?? {};
  out['status'] = { ...status, conditions: all };
  return out;
}

/** crossplane-runtime's FirstNAndSomeMore, so messages read exactly like Crossplane's. */
export function firstNAndSomeMore(n: number, names: readonly string[]): string {
  if (names.length > n) return `${names.slice(0, n).join(', ')}, and ${names.length - n} more`;
  if (names.length === n) return `${names.slice(0, n - 1).join(', ')}, and ${names[n - 1]}`;
  return names.join(', ');
}

function composedOutput(
  xr: KubeObject,
  desired: State,
  observed: ReadonlyMap<string, KubeObject>,
): KubeObject[] {
  const xrMetadata = metadataOf(xr);
  const xrLabels = stringMap(xrMetadata['labels']);
  const prefix = xrLabels[COMPOSITE_LABEL] || String(xrMetadata['name'] ?? '');
  const out: KubeObject[] = [];
  for (const [name, state] of Object.entries(desired.resources)) {
    const object: KubeObject = structuredClone(state.resource ?? {});
    const metadata: Record<string, unknown> = { ...metadataOf(object) };
    const existing = observed.get(name);
    if (existing) {
      // A composed resource keeps the identity it was created with.
      for (const field of ['namespace', 'name', 'generateName']) {
        const value = metadataOf(existing)[field];
        if (value) metadata[field] = value;
        else delete metadata[field];
      }
    }
    if (!metadata['name'] && !metadata['generateName']) metadata['generateName'] = `${prefix}-`;
    if (xrMetadata['namespace']) metadata['namespace'] = xrMetadata['namespace'];
    metadata['annotations'] = { ...stringMap(metadata['annotations']), [COMPOSITION_RESOURCE_NAME]: name };
    metadata['labels'] = { ...stringMap(metadata['labels']), [COMPOSITE_LABEL]: prefix };
    const owners = Array.isArray(metadata['ownerReferences'])
      ? (metadata['ownerReferences'] as KubeObject[])
      : [];
    metadata['ownerReferences'] = [
      ...owners.filter((o) => o['uid'] !== (xrMetadata['uid'] ?? '')),
      {
        apiVersion: xr['apiVersion'],
        kind: xr['kind'],
        name: xrMetadata['name'],
        uid: xrMetadata['uid'] ?? '',
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
    object['metadata'] = metadata;
    out.push(object);
  }
  const nameOfComposed = (o: KubeObject) =>
    stringMap(metadataOf(o)['annotations'])[COMPOSITION_RESOURCE_NAME] ?? '';
  return out.sort((a, b) => (nameOfComposed(a) < nameOfComposed(b) ? -1 : 1));
}
