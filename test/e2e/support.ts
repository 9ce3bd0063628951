/**
 * Helpers of the end-to-end tests: the control plane's binaries or a loud skip, examples as a user
 * applies them, waiting for conditions, Crossplane's events, and what to print when a test fails.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findBinaries, type ControlPlaneBinaries } from '../../scripts/control-plane/binaries.js';
import type { ControlPlane } from '../../scripts/control-plane/index.js';
import {
  findProviderKubernetes,
  type ProviderKubernetesFiles,
} from '../../scripts/control-plane/provider-kubernetes.js';
import { yamlObjects, type KubeObject, type Objects } from '../../scripts/control-plane/objects.js';
import { EXAMPLES_DIR, PREREQUISITES_FILE, RENDER_FIXTURES_DIR } from '../../render/examples.js';
import { tail } from '../../testing/processes.js';

/** CI sets STACKPLANE_REQUIRE_CONTROL_PLANE=1 after building the binaries: then a missing one fails. */
const required = process.env['STACKPLANE_REQUIRE_CONTROL_PLANE'] === '1';

/** The binaries, or undefined after a loud warning (an error where they are required). */
export function controlPlaneOrSkip(suite: string): ControlPlaneBinaries | undefined {
  const found = findBinaries();
  if (!('missing' in found)) return found;
  const why = `missing ${found.missing.join('; ')}`;
  if (required) throw new Error(`STACKPLANE_REQUIRE_CONTROL_PLANE=1 but ${why}`);
  console.warn(`SKIPPING ${suite}: ${why}`);
  return undefined;
}

/**
 * provider-kubernetes (scripts/install-provider-kubernetes.sh), or undefined after a loud warning (an
 * error where the control plane is required: npm run e2e builds it).
 */
export function providerKubernetesOrSkip(what: string): ProviderKubernetesFiles | undefined {
  const found = findProviderKubernetes();
  if (!('missing' in found)) return found;
  if (required) throw new Error(`STACKPLANE_REQUIRE_CONTROL_PLANE=1 but missing ${found.missing}`);
  console.warn(`SKIPPING ${what}: missing ${found.missing}`);
  return undefined;
}

/** A condition of an object's status. */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The conditions of an object. */
export const conditions = (object: KubeObject | undefined): Condition[] =>
  (object?.['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? [];

/** The condition of a type, if set. */
export const condition = (object: KubeObject | undefined, type: string): Condition | undefined =>
  conditions(object).find((c) => c.type === type);

/** `Ready=True (reason)`, one per condition: what a failing wait prints. */
export const summary = (object: KubeObject | undefined): string =>
  object === undefined
    ? 'absent'
    : conditions(object)
        .map(
          (c) =>
            `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`,
        )
        .join(', ') || 'no conditions';

/** Polls until check returns a value; fails with the last description it gave. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  describeLast: () => Promise<string> = async () => '',
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000}s; ${await describeLast()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A reference to an object. */
export interface Ref {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export const refOf = (object: KubeObject): Ref => ({
  apiVersion: object.apiVersion!,
  kind: object.kind!,
  name: object.metadata!.name!,
  ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
});

/** Waits until the object has the condition with the status; returns the object. */
export async function waitForCondition(
  objects: Objects,
  ref: Ref,
  type: string,
  status = 'True',
  timeoutMs = 120_000,
): Promise<KubeObject> {
  let last: KubeObject | undefined;
  return eventually(
    `${ref.kind} ${ref.namespace ?? ''}/${ref.name} ${type}=${status}`,
    async () => {
      last = await objects.get(ref.apiVersion, ref.kind, ref.name, ref.namespace);
      return condition(last, type)?.status === status ? last : undefined;
    },
    async () => summary(last),
    timeoutMs,
  );
}

/** Waits until the object is gone. */
export async function waitForGone(objects: Objects, ref: Ref, timeoutMs = 120_000): Promise<void> {
  let last: KubeObject | undefined;
  await eventually(
    `${ref.kind} ${ref.namespace ?? ''}/${ref.name} deleted`,
    async () => {
      last = await objects.get(ref.apiVersion, ref.kind, ref.name, ref.namespace);
      return last === undefined ? true : undefined;
    },
    async () =>
      `still there: finalizers ${JSON.stringify(last?.metadata?.finalizers ?? [])}; ${summary(last)}`,
    timeoutMs,
  );
}

/** An example's files as a user applies them. */
export interface ExampleObjects {
  /** The XR, without status. */
  xr: KubeObject;
  /** What the example needs beside it, in apply order: namespaces, platform configuration, the user's
   * own Secrets and the other XRs it refers to. */
  prerequisites: KubeObject[];
}

/** Whether an object is one of Stackplane's XRs (`<domain>.stackplane.io`; the provider's are `*m.stackplane.io`). */
export const isXR = (o: KubeObject): boolean => /^(?!m\.)[a-z]+\.stackplane\.io\//.test(o.apiVersion ?? '');

/** Drops what the API server or controllers own: status, uid, resourceVersion. */
function asApplied(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = object;
  const { uid: _uid, resourceVersion: _rv, ...metadata } = object.metadata ?? {};
  return { ...rest, metadata } as KubeObject;
}

/**
 * The example's XR and prerequisites. From its prerequisites.yaml and render fixtures' required.yaml:
 * EnvironmentConfigs, AdoptionGrants, Secrets that are not connection Secrets (which providers write)
 * and other XRs; never Namespaces (their UIDs are the cluster's) or provider configs (the control
 * plane's point at the fakes). From the source tree at `tree` (a release's) when given.
 */
export function exampleObjects(name: string, tree = '.'): ExampleObjects {
  const dir = join(tree, EXAMPLES_DIR, name);
  const [xr] = yamlObjects(join(dir, 'xr.yaml'));
  if (!xr) throw new Error(`example ${name} has no XR`);
  const required = [
    join(dir, PREREQUISITES_FILE),
    join(tree, RENDER_FIXTURES_DIR, name, 'required.yaml'),
    // Where v0.1.0 kept them, beside the XR.
    join(dir, 'required.yaml'),
  ]
    .filter((file) => existsSync(file))
    .flatMap((file) => yamlObjects(file));
  const inputs = required.filter(
    (o) =>
      o.kind === 'EnvironmentConfig' ||
      o.kind === 'AdoptionGrant' ||
      (o.kind === 'Secret' && o['type'] !== 'connection.crossplane.io/v1alpha1') ||
      isXR(o),
  );
  const namespaces = [
    ...new Set([xr, ...inputs].map((o) => o.metadata?.namespace).filter((n): n is string => !!n)),
  ];
  return {
    xr: asApplied(xr),
    prerequisites: [
      ...namespaces.map(
        (n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }) as KubeObject,
      ),
      ...inputs.map(asApplied),
    ],
  };
}

/**
 * The example moved into a namespace of its own: its XR, the XRs it refers to and the user's Secrets
 * go there, so examples that share a name (every PlacementAPI is `openstack/placement`) never meet an
 * earlier one's leftovers, such as Crossplane's watch circuit breaker, which is kept per XR name.
 */
export function inNamespace(example: ExampleObjects, namespace: string): ExampleObjects {
  const move = (o: KubeObject): KubeObject =>
    o.metadata?.namespace ? { ...o, metadata: { ...o.metadata, namespace } } : o;
  return {
    xr: move(example.xr),
    prerequisites: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } as KubeObject,
      ...example.prerequisites.filter((o) => o.kind !== 'Namespace').map(move),
    ],
  };
}

/** The Warning events about an object. */
export async function warnings(objects: Objects, ref: Ref): Promise<string[]> {
  const events = await objects.list<KubeObject>('v1', 'Event', ref.namespace ?? 'default');
  return events
    .filter((e) => {
      const involved = e['involvedObject'] as { kind?: string; name?: string };
      return e['type'] === 'Warning' && involved.kind === ref.kind && involved.name === ref.name;
    })
    .map((e) => `${String(e['reason'])}: ${String(e['message'])}`);
}

/** The composed resources an XR lists. */
export const resourceRefs = (xr: KubeObject | undefined): Ref[] =>
  (
    (xr?.['spec'] as { crossplane?: { resourceRefs?: Ref[] } } | undefined)?.crossplane?.resourceRefs ?? []
  ).map((r) => ({
    ...r,
    ...(r.namespace || !xr?.metadata?.namespace ? {} : { namespace: xr.metadata.namespace }),
  }));

/** What to read when an end-to-end test fails: where the logs are and their last lines. */
export function diagnostics(controlPlane: ControlPlane | undefined): string {
  if (!controlPlane) return 'the control plane did not start';
  const logs = [
    'crossplane',
    'function-stackplane',
    'provider-stackplane',
    'kube-controller-manager',
    // Only where a test started them.
    ...['provider-kubernetes', 'tenant-cluster-kube-apiserver'].filter((name) =>
      existsSync(join(controlPlane.logDir, `${name}.log`)),
    ),
  ];
  const exited = controlPlane.processes.exited().map((p) => `${p.name} exited: ${p.exit()}`);
  return [
    `control plane logs: ${controlPlane.logDir}`,
    ...exited,
    ...logs.map((name) => {
      const lines = tail(join(controlPlane.logDir, `${name}.log`), 15).split('\n');
      return `--- ${name} (last lines)\n${lines.map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l)).join('\n')}`;
    }),
  ].join('\n');
}
