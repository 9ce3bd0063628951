/**
 * `--apply`: the hand-over in a safe order. An operator that rewrites what the new resources
 * compose (MigrationSource.stopsFirst) is scaled to 0 before anything else, so the two never
 * reconcile the same objects. Platform objects next, then the XRs; originals that
 * control the Kubernetes objects their XR composes are released next (Crossplane cannot compose
 * them before), their XRs kept paused until those originals are gone; each replaced object is
 * deleted only once its values are kept; every XR must be
 * Ready before the other originals are let go: their
 * operator scaled to 0, their finalizers removed (so they cannot delete a cloud object), then the
 * originals deleted with orphan propagation. Everything is idempotent: objects are server-side
 * applied, an original already gone counts as released, so a re-run after an interruption continues.
 * Nothing is deleted but the released originals and the replaced objects the plan names.
 */
import { conditionOf, describeRef, refOf, secretValue } from './objects.js';
import type { Cluster } from './cluster.js';
import {
  PAUSED,
  type KubeObject,
  type Migration,
  type OriginalRef,
  type PlanEntry,
  type Replacement,
} from './plan.js';

/** The plan of one source and the Deployment of its operator. */
export interface SourcePlan {
  source: string;
  entries: PlanEntry[];
  /** The original operator's Deployment, scaled to 0 before its originals are released. */
  operator?: { namespace: string; name: string };
  /** Why the operator is scaled to 0 before anything is applied (MigrationSource.stopsFirst). */
  stopsFirst?: string;
}

export interface ApplyOptions {
  /** How long to wait for each XR to be Ready (and each replaced object's value to be kept), in ms. */
  timeoutMs: number;
  /** How often to look again, in ms. */
  pollMs?: number;
  /** Where progress goes, one line per step. */
  log: (line: string) => void;
}

/** Why apply stopped before releasing: the XRs that were not Ready in time. */
export class NotReadyError extends Error {}

const key = (o: KubeObject) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies every migration of the plans; refused originals are never touched. */
export async function applyPlans(
  cluster: Cluster,
  plans: SourcePlan[],
  options: ApplyOptions,
): Promise<void> {
  const { log } = options;
  const migrations = plans.flatMap((p) => p.entries.filter((e): e is Migration => e.outcome === 'migrate'));

  const first = plans.filter(
    (p) => p.stopsFirst !== undefined && p.entries.some((e) => e.outcome === 'migrate'),
  );
  for (const plan of first) {
    // Kept running for its refused originals, it would rewrite what the new resources compose.
    const refused = plan.entries.filter((e) => e.outcome === 'refuse').length;
    if (refused > 0)
      throw new Error(
        `cannot hand over the originals of ${plan.source}: ${refused} original(s) were refused and need it running, ` +
          `but it must be scaled to 0 before anything is applied, as ${plan.stopsFirst}; fix the refused originals ` +
          'as the plan says (or leave their namespaces out with -n) and run migrate again; nothing was applied',
      );
  }
  for (const plan of first) await stopOperator(cluster, plan, log);

  const platform = new Map(migrations.flatMap((m) => m.platform).map((o) => [key(o), o]));
  for (const object of platform.values()) {
    await cluster.apply(object);
    log(`applied ${describeRef(refOf(object))}`);
  }

  // XRs first, also those whose originals control what they compose: Crossplane composes those
  // objects as soon as the release below frees them, and a re-run finds the XR even if the
  // original is already gone.
  const releasedEarly = migrations.filter((m) => m.release.beforeReady);
  const heldBack = new Set(releasedEarly.flatMap((m) => m.resources).map(key));
  for (const planned of migrations.flatMap((m) => m.resources)) {
    // One whose original still controls what it composes is written paused, whatever its plan says.
    const object = heldBack.has(key(planned)) ? paused(planned) : planned;
    await cluster.apply(object);
    log(`applied ${describeRef(refOf(object))}`);
    // Written paused with the status that names what it adopts (a recorded external name): the
    // status goes in through its subresource before Crossplane first reconciles it.
    if (object.metadata.annotations?.[PAUSED] !== 'true') continue;
    if (object['status'] !== undefined) {
      await cluster.seedStatus(object);
      log(`seeded the status of ${describeRef(refOf(object))}`);
    }
    if (!heldBack.has(key(object))) await unpause(cluster, object, log);
  }
  const early = plans.filter(
    (p) => !first.includes(p) && p.entries.some((e) => e.outcome === 'migrate' && e.release.beforeReady),
  );
  for (const plan of early) await stopOperator(cluster, plan, log);
  for (const migration of releasedEarly) await release(cluster, migration, log);
  // Crossplane records a composed object before it applies it, and never lets go of one it could
  // not apply (it lacks Crossplane's annotations): while the original still controls the
  // objects the composite composes, the composite stays paused.
  for (const migration of releasedEarly) {
    await waitGone(cluster, migration.original, options);
    for (const object of migration.resources) await unpause(cluster, object, log);
  }

  for (const migration of migrations)
    for (const replacement of migration.replaced ?? []) await replace(cluster, replacement, options);

  await waitReady(
    cluster,
    migrations.flatMap((m) => m.resources),
    options,
  );

  for (const plan of plans.filter((p) => !first.includes(p) && !early.includes(p)))
    await stopOperator(cluster, plan, log);
  // Dependents before what they depend on: the plan lists them last.
  for (const migration of migrations.filter((m) => !m.release.beforeReady).reverse())
    await release(cluster, migration, log);
}

/** The object with Crossplane's pause annotation. */
const paused = (object: KubeObject): KubeObject => ({
  ...object,
  metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [PAUSED]: 'true' } },
});

async function unpause(cluster: Cluster, object: KubeObject, log: (line: string) => void): Promise<void> {
  await cluster.unpause(refOf(object));
  log(`unpaused ${describeRef(refOf(object))}`);
}

/**
 * Waits until a released original is gone: the garbage collector has orphaned its dependents (an
 * orphaning delete ends only then), so no object the composite composes has another controller.
 */
async function waitGone(cluster: Cluster, original: OriginalRef, options: ApplyOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (await cluster.get(original)) {
    if (Date.now() > deadline)
      throw new NotReadyError(
        `cannot unpause what replaces ${describeRef(original)}: it is still there ${options.timeoutMs / 1000}s after its orphaning delete (the garbage collector orphans its dependents first); run migrate again once it is gone`,
      );
    await sleep(options.pollMs ?? 2000);
  }
}

/** Scales the operator to 0, unless some of its originals stay with it (refused). */
async function stopOperator(cluster: Cluster, plan: SourcePlan, log: (line: string) => void): Promise<void> {
  // An operator none of whose originals is left is not touched again.
  if (!plan.operator || !plan.entries.some((e) => e.outcome === 'migrate')) return;
  const { namespace, name } = plan.operator;
  const refused = plan.entries.filter((e) => e.outcome === 'refuse').length;
  if (refused > 0) {
    log(
      `kept Deployment ${namespace}/${name} running: ${refused} original(s) of ${plan.source} were refused and stay with it`,
    );
    return;
  }
  const scaled = await cluster.scaleToZero(namespace, name);
  log(
    scaled
      ? `scaled Deployment ${namespace}/${name} to 0${plan.stopsFirst !== undefined ? ` before anything is applied, as ${plan.stopsFirst}` : ''}`
      : `found no Deployment ${namespace}/${name} (--operator ${plan.source}=<namespace>/<name> names it); its finalizers are removed all the same`,
  );
}

/** Removes the operator's finalizers from the original, then deletes it orphaning its dependents. */
async function release(cluster: Cluster, migration: Migration, log: (line: string) => void): Promise<void> {
  const ref = migration.original;
  let current = await cluster.get(ref);
  if (!current) {
    log(`released ${describeRef(ref)} (already gone)`);
    return;
  }
  const remove = migration.release.finalizers;
  // The dependents first: an original already gone had them done before it was deleted.
  for (const dependent of migration.release.dependents ?? []) await letGo(cluster, dependent, log);
  const finalizers = current.metadata.finalizers ?? [];
  if (finalizers.some((f) => remove.includes(f))) {
    current = await cluster.setFinalizers(
      ref,
      finalizers.filter((f) => !remove.includes(f)),
      String(current.metadata['resourceVersion']),
    );
  }
  await cluster.deleteOrphaning(
    ref,
    String(current.metadata.uid),
    String(current.metadata['resourceVersion']),
  );
  log(
    `released ${describeRef(ref)}: finalizers ${remove.length > 0 ? remove.join(', ') : '(none)'} removed, deleted orphaning its dependents`,
  );
}

/**
 * Takes the original's finalizers and owner reference off one of its dependents; a dependent gone
 * or already let go is left alone.
 */
async function letGo(
  cluster: Cluster,
  dependent: NonNullable<Migration['release']['dependents']>[number],
  log: (line: string) => void,
): Promise<void> {
  const current = await cluster.get(dependent.object);
  if (!current) return;
  const finalizers = current.metadata.finalizers ?? [];
  const owners = current.metadata.ownerReferences ?? [];
  const keptFinalizers = finalizers.filter((f) => !dependent.finalizers.includes(f));
  const keptOwners = owners.filter((o) => o.uid !== dependent.ownerUID);
  if (keptFinalizers.length === finalizers.length && keptOwners.length === owners.length) return;
  await cluster.letGo(
    dependent.object,
    { finalizers: keptFinalizers, ownerReferences: keptOwners },
    String(current.metadata['resourceVersion']),
  );
  const finalized =
    dependent.finalizers.length > 0 ? `finalizers ${dependent.finalizers.join(', ')} and ` : '';
  log(`let ${describeRef(dependent.object)} go: ${finalized}its owner reference removed`);
}

/** Deletes a replaced object once the Secret that keeps its value holds the same value. */
async function replace(cluster: Cluster, replacement: Replacement, options: ApplyOptions): Promise<void> {
  const { object, keptIn } = replacement;
  const original = await cluster.get(object);
  if (!original) return;
  const keeper: OriginalRef = {
    apiVersion: 'v1',
    kind: 'Secret',
    name: keptIn.name,
    ...(object.namespace !== undefined ? { namespace: object.namespace } : {}),
  };
  const want = secretValue(original, keptIn.sourceKey);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const kept = await cluster.get(keeper);
    if (kept) {
      if (secretValue(kept, keptIn.key) !== want)
        throw new Error(
          `cannot replace ${describeRef(object)}: ${describeRef(keeper)} key ${keptIn.key} holds another value than its key ${keptIn.sourceKey}; ${describeRef(object)} is kept, compare them and run migrate again`,
        );
      break;
    }
    if (Date.now() > deadline)
      throw new NotReadyError(
        `cannot replace ${describeRef(object)}: ${describeRef(keeper)} did not appear within ${options.timeoutMs / 1000}s; nothing was released, run migrate again`,
      );
    await sleep(options.pollMs ?? 2000);
  }
  await cluster.deleteOrphaning(
    object,
    String(original.metadata.uid),
    String(original.metadata['resourceVersion']),
  );
  options.log(
    `replaced ${describeRef(object)}: its ${keptIn.sourceKey} is kept in ${describeRef(keeper)}; composed anew`,
  );
}

/** Waits until every XR reports Ready=True, or throws naming those that did not. */
async function waitReady(cluster: Cluster, resources: KubeObject[], options: ApplyOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let waiting = resources.map(refOf);
  for (;;) {
    const states = await Promise.all(waiting.map(async (ref) => ({ ref, object: await cluster.get(ref) })));
    for (const { ref, object } of states)
      if (object && conditionOf(object, 'Ready')?.status === 'True') options.log(`ready ${describeRef(ref)}`);
    waiting = states
      .filter(({ object }) => !object || conditionOf(object, 'Ready')?.status !== 'True')
      .map((s) => s.ref);
    if (waiting.length === 0) return;
    if (Date.now() > deadline) {
      const why = states
        .filter(({ ref }) => waiting.includes(ref))
        .map(({ ref, object }) => {
          const ready = object && conditionOf(object, 'Ready');
          return `${describeRef(ref)}${ready ? ` (${[ready.reason, ready.message].filter(Boolean).join(': ')})` : ''}`;
        });
      throw new NotReadyError(
        `cannot release the originals: not Ready within ${options.timeoutMs / 1000}s: ${why.join(', ')}; nothing else was released, run migrate again once they are Ready (--wait sets the bound)`,
      );
    }
    await sleep(options.pollMs ?? 2000);
  }
}
