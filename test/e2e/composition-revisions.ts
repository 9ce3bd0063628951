/**
 * A changed tier table rolled out with Composition revisions on the live control plane (README:
 * Changing a Composition's input): an XR pinned with `compositionUpdatePolicy: Manual` keeps the
 * revision it was pinned to, a new XR gets the latest, and the pinned XR moves when its
 * `compositionRevisionRef` is changed; an XR selecting revisions by label (`compositionRevisionSelector`)
 * follows the newest revision that carries the label.
 *
 * The test changes a copy of the installed Postgres Composition, not the package's own: Crossplane's
 * package manager owns that one and would put a hand-edited input back, and the other tests compose
 * with it. The copy is the same pipeline, so what it shows holds for the package's Composition when a
 * new Configuration version changes its input.
 */
import { expect } from 'vitest';
import type { ControlPlane } from '../../scripts/control-plane/index.js';
import type { KubeObject, Objects } from '../../scripts/control-plane/objects.js';
import {
  eventually,
  exampleObjects,
  inNamespace,
  refOf,
  resourceRefs,
  summary,
  waitForGone,
  type Ref,
} from './support.js';

const COMPOSITION_API = 'apiextensions.crossplane.io/v1';
const INSTALLED = 'postgres.data.stackplane.io';
const COPY = 'postgres-revisions.data.stackplane.io';
const NAMESPACE = 'e2e-composition-revisions';
/** The development tier's memory request for an in-cluster Postgres: in compositions/postgres.yaml, then changed. */
const OLD_MEMORY = '256Mi';
const NEW_MEMORY = '384Mi';
/** The label a revision takes from its Composition, which the selecting XR matches. */
const CHANNEL = 'stackplane.io/channel';
/** What the test writes into the pinned XR's StatefulSet to see Crossplane apply the revision again. */
const DRIFTED_MEMORY = '111Mi';

/** The pipeline's DataService input, where the tier tables live. */
interface DataServiceInput {
  strategies: {
    postgres: { 'in-cluster': { development: { resources: { requests: { memory: string } } } } };
  };
}

/** The whole rollout of one tier table change, then everything it made deleted. */
export async function rollsOutWithCompositionRevisions(cp: ControlPlane): Promise<void> {
  const objects = cp.objects;
  const example = inNamespace(exampleObjects('postgres/in-cluster'), NAMESPACE);
  await objects.apply(...example.prerequisites);

  // Revision 1: the installed Composition under another name, on the stable channel.
  const installed = await objects.get(COMPOSITION_API, 'Composition', INSTALLED);
  if (!installed) throw new Error(`cannot copy Composition ${INSTALLED}: it is not installed`);
  const copy = compositionCopy(installed, 'stable');
  expect(developmentMemory(copy)).toBe(OLD_MEMORY);
  await objects.apply(copy);
  const first = await revision(objects, 1);

  // An XR pinned to revision 1, as `compositionUpdatePolicy: Manual` with a revision reference does.
  const pinned = postgres(example.xr, 'pinned', { compositionRevisionRef: { name: first } });
  await objects.apply(pinned);
  expect(await statefulSetMemory(objects, pinned, OLD_MEMORY)).toBe(OLD_MEMORY);

  // The tier table changes, on the canary channel: Crossplane makes revision 2 of the Composition.
  await objects.apply(withDevelopmentMemory(compositionCopy(installed, 'canary'), NEW_MEMORY));
  const second = await revision(objects, 2);

  // A new XR, left to the default Automatic policy, composes with revision 2.
  const latest = postgres(example.xr, 'latest', {});
  await objects.apply(latest);
  expect(await statefulSetMemory(objects, latest, NEW_MEMORY)).toBe(NEW_MEMORY);
  expect(compositionRevisionOf(await read(objects, latest))).toBe(second);

  // The pinned XR, composed again after revision 2 exists, still applies revision 1: a change to its
  // StatefulSet makes Crossplane re-apply what the XR's revision says.
  const set = await statefulSetOf(objects, pinned);
  await objects.mergePatch(statefulSetPath(set), {
    spec: {
      template: { spec: { containers: [{ ...containerOf(set), resources: memoryRequest(DRIFTED_MEMORY) }] } },
    },
  });
  const reapplied = await eventually(`${pinned.metadata!.name}'s StatefulSet applied again`, async () => {
    const memory = memoryOf(await statefulSetOf(objects, pinned));
    return memory === DRIFTED_MEMORY ? undefined : memory;
  });
  expect(reapplied).toBe(OLD_MEMORY);
  expect(compositionRevisionOf(await read(objects, pinned))).toBe(first);

  // Moving the pinned XR to revision 2 applies the new table.
  await objects.apply(postgres(example.xr, 'pinned', { compositionRevisionRef: { name: second } }));
  expect(await statefulSetMemory(objects, pinned, NEW_MEMORY)).toBe(NEW_MEMORY);

  // An XR following the stable channel gets revision 1, the newest stable one. Labelling the changed
  // Composition stable makes revision 3 (a revision's labels are part of it), and the XR follows.
  const stable = postgres(example.xr, 'stable', {
    compositionRevisionSelector: { matchLabels: { [CHANNEL]: 'stable' } },
  });
  await objects.apply(stable);
  expect(await statefulSetMemory(objects, stable, OLD_MEMORY)).toBe(OLD_MEMORY);
  expect(compositionRevisionOf(await read(objects, stable))).toBe(first);
  await objects.apply(withDevelopmentMemory(compositionCopy(installed, 'stable'), NEW_MEMORY));
  const third = await revision(objects, 3);
  expect(await statefulSetMemory(objects, stable, NEW_MEMORY)).toBe(NEW_MEMORY);
  expect(compositionRevisionOf(await read(objects, stable))).toBe(third);
  // The pinned XR stays where it was moved.
  expect(compositionRevisionOf(await read(objects, pinned))).toBe(second);

  const xrs = [pinned, latest, stable];
  const composed: Ref[] = [];
  for (const xr of xrs) composed.push(...resourceRefs(await read(objects, xr)));
  for (const xr of xrs) await objects.delete(xr);
  for (const ref of [...composed, ...xrs.map(refOf)]) await waitForGone(objects, ref);
  await objects.delete(copy);
}

/** The installed Composition as a new object of another name, labelled with its channel. */
function compositionCopy(installed: KubeObject, channel: string): KubeObject {
  return {
    apiVersion: COMPOSITION_API,
    kind: 'Composition',
    metadata: { name: COPY, labels: { 'stackplane.io/kind': 'Postgres', [CHANNEL]: channel } },
    spec: structuredClone(installed['spec']),
  } as KubeObject;
}

/** The Postgres XR of the example under another name, composed by the copy; Manual when pinned. */
function postgres(xr: KubeObject, name: string, crossplane: Record<string, unknown>): KubeObject {
  const manual = 'compositionRevisionRef' in crossplane ? { compositionUpdatePolicy: 'Manual' } : {};
  return {
    ...xr,
    metadata: { name, namespace: NAMESPACE },
    spec: {
      ...(xr['spec'] as object),
      crossplane: { compositionRef: { name: COPY }, ...manual, ...crossplane },
    },
  } as KubeObject;
}

function dataServiceInput(composition: KubeObject): DataServiceInput {
  const pipeline = (composition['spec'] as { pipeline: { input: DataServiceInput }[] }).pipeline;
  return pipeline[0]!.input;
}

const developmentMemory = (composition: KubeObject): string =>
  dataServiceInput(composition).strategies.postgres['in-cluster'].development.resources.requests.memory;

/** The Composition with the in-cluster development tier's memory request changed. */
function withDevelopmentMemory(composition: KubeObject, memory: string): KubeObject {
  const changed = structuredClone(composition);
  dataServiceInput(changed).strategies.postgres['in-cluster'].development.resources.requests.memory = memory;
  return changed;
}

/** The name of the copy's CompositionRevision with this number, once Crossplane has made it. */
async function revision(objects: Objects, number: number): Promise<string> {
  const found = await eventually(`revision ${number} of Composition ${COPY}`, async () => {
    const revisions = await objects.list(COMPOSITION_API, 'CompositionRevision');
    return revisions.find(
      (r) =>
        r.metadata?.labels?.['crossplane.io/composition-name'] === COPY &&
        (r['spec'] as { revision?: number }).revision === number,
    );
  });
  return found.metadata!.name!;
}

async function read(objects: Objects, xr: KubeObject): Promise<KubeObject> {
  const ref = refOf(xr);
  const found = await objects.get(ref.apiVersion, ref.kind, ref.name, ref.namespace);
  if (!found) throw new Error(`${ref.kind} ${ref.namespace}/${ref.name} is gone`);
  return found;
}

const compositionRevisionOf = (xr: KubeObject): string | undefined =>
  (xr['spec'] as { crossplane?: { compositionRevisionRef?: { name?: string } } }).crossplane
    ?.compositionRevisionRef?.name;

/** The XR's composed StatefulSet, once it exists. */
async function statefulSetOf(objects: Objects, xr: KubeObject): Promise<KubeObject> {
  let last: KubeObject | undefined;
  return eventually(
    `the StatefulSet of ${xr.metadata!.name}`,
    async () => {
      last = await read(objects, xr);
      const ref = resourceRefs(last).find((r) => r.kind === 'StatefulSet');
      return ref && (await objects.get(ref.apiVersion, ref.kind, ref.name, ref.namespace));
    },
    async () => summary(last),
  );
}

/** Waits until the XR's StatefulSet requests the memory; returns what it requests last. */
async function statefulSetMemory(objects: Objects, xr: KubeObject, want: string): Promise<string> {
  let last: string | undefined;
  await eventually(
    `${xr.metadata!.name}'s StatefulSet requesting ${want} of memory`,
    async () => {
      last = memoryOf(await statefulSetOf(objects, xr));
      return last === want ? last : undefined;
    },
    async () => `it requests ${last}`,
  ).catch(() => undefined);
  return last ?? 'no StatefulSet';
}

const containerOf = (set: KubeObject): Record<string, unknown> =>
  (set['spec'] as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec
    .containers[0]!;

const memoryOf = (set: KubeObject): string | undefined =>
  (containerOf(set)['resources'] as { requests?: { memory?: string } } | undefined)?.requests?.memory;

const memoryRequest = (memory: string) => ({ requests: { memory } });

const statefulSetPath = (set: KubeObject): string =>
  `/apis/apps/v1/namespaces/${set.metadata!.namespace}/statefulsets/${set.metadata!.name}`;
