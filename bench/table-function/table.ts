// The table function's answers: for each composite and pipeline step, the response function-stackplane
// gave in the composite's final state, recorded once and served again with no logic of its own. It is
// the floor `npm run bench:control-plane` measures function-stackplane against: the same desired
// resources, conditions and readiness, without the steps that compute them.
//
// A recorded response holds a few values the external systems chose in the run it was recorded in
// (a Keystone project id in a ProjectMembership, copied from the Project composite's status, which
// took it from its managed resource's external name). A later run gets other ids, so those values are
// holes, filled from the same place in each request: the same status field or external name of the
// same observed or required object. What a table cannot fill yet it leaves
// out, and asks again in the function's waiting TTL, as function-stackplane waits for them.
import {
  Ready,
  type Resource,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import { asObserved, conditionOf } from '../../functions/observed.js';
import { WAITING_TTL_SECONDS } from '../../functions/requeue.js';
import type { KubeObject } from '../../functions/types.js';

/** A path into a JSON value: object keys and array indexes. */
export type Path = readonly (string | number)[];

/**
 * Where a hole's value comes from in a request: a status field or the external name of an observed
 * or required object.
 */
export type Source = { observed: string; path: Path } | { required: string; item: number; path: Path };

/** A value of the recorded response that the external systems chose, and where each request has it. */
export interface Hole {
  /** The composite (`composite`) or the composed resource by composition resource name. */
  target: { composite: true } | { resource: string };
  /** Inside the target's object. */
  path: Path;
  from: Source;
}

/**
 * How a composed resource recorded as ready is ready in a later request: by its Ready condition (a
 * managed resource, a Usage), or by existing (a Secret, which has no conditions).
 */
export type Readiness = 'condition' | 'exists';

/** One recorded answer. */
export interface TableEntry {
  response: RunFunctionResponse;
  holes: Hole[];
  readiness: Record<string, Readiness>;
}

/**
 * Values shorter than this are never holes: a short string a status shares with the response
 * (`True`, a port, a tier) is a coincidence, not an id the run chose.
 */
const MIN_HOLE_LENGTH = 8;

/** The table's key of a request: the composite's kind and name and the step's input kind. */
export function tableKey(request: RunFunctionRequest): string | undefined {
  const xr = request.observed?.composite?.resource as KubeObject | undefined;
  const meta = (xr?.['metadata'] ?? {}) as { name?: string; namespace?: string };
  const inputKind = request.input?.['kind'];
  if (!xr || !meta.name || typeof inputKind !== 'string') return undefined;
  return [xr['apiVersion'], xr['kind'], meta.namespace ?? '', meta.name, inputKind].join('|');
}

/** Every string leaf of a value with its path. */
function* leaves(value: unknown, path: Path = []): Generator<[Path, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* leaves(v, [...path, i]);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) yield* leaves(v, [...path, k]);
}

/** The value at a path, or undefined. */
export function valueAt(value: unknown, path: Path): unknown {
  let at = value;
  for (const segment of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[segment];
  }
  return at;
}

/** Where a managed resource keeps the name or id the external system gave its object. */
const EXTERNAL_NAME: Path = ['metadata', 'annotations', 'crossplane.io/external-name'];

/** The values an object was given (its spec and metadata but its external name), which a run does not choose. */
function given(object: KubeObject | undefined): Set<string> {
  const { status: _status, ...rest } = object ?? {};
  const external = valueAt(object, EXTERNAL_NAME);
  return new Set([...leaves(rest)].map(([, v]) => v).filter((v) => v !== external));
}

/** The values of an object the run chose, with their paths: its status but conditions, and its external name. */
function* chosen(object: KubeObject | undefined): Generator<[Path, string]> {
  for (const [path, value] of leaves(object?.['status'], ['status']))
    if (path[1] !== 'conditions') yield [path, value];
  const external = valueAt(object, EXTERNAL_NAME);
  if (typeof external === 'string') yield [EXTERNAL_NAME, external];
}

/**
 * Values of the request's observed and required objects that the run chose (status but conditions,
 * external names) and that neither the object nor the composite was given. The first place a value
 * is found wins.
 */
function sources(request: RunFunctionRequest): Map<string, Source & { owner?: string }> {
  const known = new Set([
    ...given(request.observed?.composite?.resource),
    ...[...leaves(request.input)].map(([, v]) => v),
  ]);
  const out = new Map<string, Source & { owner?: string }>();
  const add = (object: KubeObject | undefined, source: (path: Path) => Source, owner?: string) => {
    const own = given(object);
    for (const [path, value] of chosen(object)) {
      if (value.length < MIN_HOLE_LENGTH) continue;
      if (known.has(value) || own.has(value) || out.has(value)) continue;
      out.set(value, { ...source(path), ...(owner ? { owner } : {}) });
    }
  };
  for (const [name, r] of Object.entries(request.observed?.resources ?? {}))
    add(r.resource, (path) => ({ observed: name, path }), name);
  const required = { ...request.extraResources, ...request.requiredResources };
  for (const [name, resources] of Object.entries(required)) {
    for (const [item, r] of resources.items.entries())
      add(r.resource, (path) => ({ required: name, item, path }));
  }
  return out;
}

/**
 * Records function-stackplane's response to a request as a table entry: its holes (values found in
 * a status of another object of the request) and how each resource it calls ready is ready.
 */
export function recordEntry(request: RunFunctionRequest, response: RunFunctionResponse): TableEntry {
  const found = sources(request);
  const holes: Hole[] = [];
  const composite = response.desired?.composite?.resource;
  for (const [path, value] of leaves(composite)) {
    const from = found.get(value);
    if (from) holes.push({ target: { composite: true }, path, from: withoutOwner(from) });
  }
  const readiness: Record<string, Readiness> = {};
  for (const [name, r] of Object.entries(response.desired?.resources ?? {})) {
    for (const [path, value] of leaves(r.resource)) {
      const from = found.get(value);
      // A resource's own status is where its spec's value went, not where it came from.
      if (from && from.owner !== name)
        holes.push({ target: { resource: name }, path, from: withoutOwner(from) });
    }
    if (r.ready === Ready.READY_TRUE) {
      const observed = request.observed?.resources[name]?.resource;
      readiness[name] = conditionOf(observed, 'Ready') ? 'condition' : 'exists';
    }
  }
  return { response, holes, readiness };
}

function withoutOwner(source: Source & { owner?: string }): Source {
  const { owner: _owner, ...rest } = source;
  return rest as Source;
}

/** A hole's value in a request, or undefined when the request does not have it yet. */
function fill(request: RunFunctionRequest, from: Source): unknown {
  const object =
    'observed' in from
      ? request.observed?.resources[from.observed]?.resource
      : { ...request.extraResources, ...request.requiredResources }[from.required]?.items[from.item]
          ?.resource;
  const value = valueAt(object, from.path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Sets, or with undefined removes, the value at a path of a (copied) object. */
function setAt(object: KubeObject, path: Path, value: unknown): void {
  let at: Record<string | number, unknown> = object;
  for (const segment of path.slice(0, -1)) {
    const next = at[segment];
    if (next === null || typeof next !== 'object') return;
    at = next as Record<string | number, unknown>;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  if (value === undefined && !Array.isArray(at)) delete at[last];
  else at[last] = value;
}

/** Whether a composed resource is ready in this request, as the recorded response called it. */
function ready(entry: TableEntry, request: RunFunctionRequest, name: string, recorded: Ready): Ready {
  if (recorded !== Ready.READY_TRUE) return recorded;
  const observed = request.observed?.resources[name]?.resource;
  if (!observed) return Ready.READY_FALSE;
  if (entry.readiness[name] === 'exists') return Ready.READY_TRUE;
  return conditionOf(observed, 'Ready')?.status === 'True' ? Ready.READY_TRUE : Ready.READY_FALSE;
}

/**
 * The table's answer to a request: the recorded response with its holes filled from the request,
 * readiness as the request's observed resources show it, and the request's tag. A composed resource
 * with a hole the request cannot fill is left out (kept as observed when it exists, so Crossplane does
 * not delete it), and so is a composite field; when the value is to come from a required object,
 * which no watch reports, the answer asks again in the waiting TTL.
 */
export function answer(entry: TableEntry, request: RunFunctionRequest): RunFunctionResponse {
  const recorded = entry.response;
  const copies = new Map<string, KubeObject>();
  const missing = new Set<string>();
  let waiting = false;
  const copy = (key: string, object: KubeObject | undefined) => {
    if (!copies.has(key)) copies.set(key, structuredClone(object ?? {}));
    return copies.get(key)!;
  };
  for (const hole of entry.holes) {
    const key = 'resource' in hole.target ? hole.target.resource : '';
    const value = fill(request, hole.from);
    if (value === undefined) {
      missing.add(key);
      // Crossplane re-runs a composite when its composed resources change, never when a required one does.
      waiting ||= 'required' in hole.from;
    }
    const object =
      key === ''
        ? copy(key, recorded.desired?.composite?.resource)
        : copy(key, recorded.desired?.resources[key]?.resource);
    setAt(object, hole.path, value);
  }
  const resources: Record<string, Resource> = {};
  for (const [name, r] of Object.entries(recorded.desired?.resources ?? {})) {
    const observed = request.observed?.resources[name]?.resource;
    if (missing.has(name)) {
      if (observed) resources[name] = { ...r, resource: asObserved(observed), ready: Ready.READY_FALSE };
      continue;
    }
    resources[name] = {
      ...r,
      resource: copies.get(name) ?? r.resource,
      ready: ready(entry, request, name, r.ready),
    };
  }
  const composite = recorded.desired?.composite;
  return {
    ...recorded,
    meta: {
      tag: request.meta?.tag ?? '',
      ttl: waiting ? { seconds: WAITING_TTL_SECONDS, nanos: 0 } : recorded.meta?.ttl,
    },
    desired: {
      composite: composite ? { ...composite, resource: copies.get('') ?? composite.resource } : undefined,
      resources,
    },
  };
}
