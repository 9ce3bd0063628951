/**
 * The upgrade pass (README: Releases and upgrades): the control plane runs the last release
 * CHANGELOG.md records, installed by the package manager from the loopback registry, its function
 * and provider run from that release's tree. Its examples are created and Ready; then the working
 * tree is released as the next version with npm run release's code, every package moved to that tag
 * through the package manager, and the new function and provider run for the new revisions. Every
 * package's new revision is Active and Healthy and the old one Inactive, every XR Ready again on the
 * newest Composition revision, and the external APIs saw no create and no delete: the new provider
 * observes what the old one made, and nothing is renamed, replaced or re-issued.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ControlPlane } from '../../scripts/control-plane/index.js';
import type { KubeObject, Objects } from '../../scripts/control-plane/objects.js';
import { nextMinor, releaseWorkingTree, type ReleaseTree } from '../../scripts/control-plane/releases.js';
import { installPackages, PKG_API, startRuntime } from '../../scripts/control-plane/stackplane.js';
import { standInForKubelet } from './kubelet.js';
import {
  condition,
  eventually,
  exampleObjects,
  inNamespace,
  refOf,
  resourceRefs,
  summary,
  waitForCondition,
  type ExampleObjects,
  type Ref,
} from './support.js';

/** The release's examples: the reseller chain, a data service in the cluster and a StorageTenant. */
export const UPGRADE_EXAMPLES = [
  'project/sample',
  'user/sample',
  'userprojectbinding/sample',
  'postgres/in-cluster',
  'storagetenant/basic',
];
const NAMESPACE = 'e2e-upgrade';
/** The StorageTenant's driver and token go there. */
const TENANT_NAMESPACE = 'kube-system';

/** What the external APIs and the cluster hold, compared before and after the upgrade. */
interface Held {
  /** Connection and credentials Secrets' data by namespace/name. */
  secrets: Record<string, Record<string, string>>;
  /** Each composed managed resource's external name by kind/namespace/name. */
  externalNames: Record<string, string | undefined>;
  identity: unknown;
}

/** Runs the pass on a control plane started with installRelease(release). */
export async function upgradesFromLastRelease(
  cp: ControlPlane,
  release: ReleaseTree,
  cli: string,
): Promise<void> {
  const { objects } = cp;
  const { reseller, storage, identity } = cp.fakes;
  const stopKubelet = standInForKubelet(objects, NAMESPACE, TENANT_NAMESPACE);
  try {
    // The release's own examples, as its users applied them.
    const examples = UPGRADE_EXAMPLES.map((name) =>
      inNamespace(exampleObjects(name, release.dir), NAMESPACE),
    );
    const xrs = examples.map((e) => e.xr);
    await objects.apply(...prerequisitesOf(examples), ...xrs);
    for (const xr of xrs) await waitForCondition(objects, refOf(xr), 'Ready', 'True', 240_000);
    expect([reseller.projects.size, reseller.users.size, reseller.memberships.size]).toEqual([1, 1, 1]);
    expect(storage.projects.size).toBe(1);

    const before = await held(cp, xrs);
    // What the comparison covers: the user's credentials, the database's connection Secret, the
    // tenant's token and an external name per reseller and storage resource.
    expect(Object.keys(before.secrets)).toEqual(
      expect.arrayContaining([
        `${NAMESPACE}/user-sample-openstack`,
        `${NAMESPACE}/notes-connection`,
        `${TENANT_NAMESPACE}/lb-csi-creds`,
      ]),
    );
    expect(Object.values(before.externalNames).filter(Boolean).length).toBeGreaterThanOrEqual(5);
    const cut = { reseller: reseller.requests.length, storage: storage.requests.length };

    // The working tree as the next release, pushed where the release's packages live, and every
    // package moved to it: a new tag of the same repository, as a platform upgrades.
    const version = nextMinor(release.version);
    const pushed = await releaseWorkingTree(cli, cp.registry, version, join(cp.dir, 'packages', version));
    const packages = await installPackages(objects, pushed);
    for (const old of cp.stackplane.runtime) await cp.processes.stop(old);
    // --debug: the new function logs every call, so the test sees it compose each XR.
    const runtime = await startRuntime(cp.processes, cp.cluster, cp.ca, packages, {
      functionArgs: ['--debug'],
    });
    cp.stackplane = { ...runtime, packages };

    for (const pkg of packages) await upgraded(objects, pkg.kind, pkg.name, pkg.reference);
    for (const xr of xrs) await onNewestRevision(objects, refOf(xr));
    // The new provider has observed every external object the old one made.
    await eventually('the new provider observed every reseller project and user', async () => {
      const seen = reseller.requests.slice(cut.reseller).filter((r) => r.method === 'GET');
      const ids = [...reseller.projects.keys(), ...reseller.users.keys()];
      return ids.every((id) => seen.some((r) => r.path.includes(id))) ? true : undefined;
    });
    await eventually('the new provider observed the storage project', async () => {
      const seen = storage.requests.slice(cut.storage).filter((r) => r.method === 'GET');
      return [...storage.projects.keys()].every((name) => seen.some((r) => r.path.includes(name)))
        ? true
        : undefined;
    });
    const [newFunction] = runtime.runtime;
    await eventually(
      'the new function composed every XR',
      async () => (xrs.every((xr) => composedBy(newFunction!.logFile).has(key(xr))) ? true : undefined),
      async () => `it composed ${[...composedBy(newFunction!.logFile)].join(', ') || 'nothing'}`,
    );
    for (const xr of xrs) await waitForCondition(objects, refOf(xr), 'Ready');

    const writes = (requests: { method: string; path: string }[]) =>
      requests
        .filter((r) => (r.method === 'POST' && !/\/auth\//.test(r.path)) || r.method === 'DELETE')
        .map((r) => `${r.method} ${r.path}`);
    expect(writes(reseller.requests.slice(cut.reseller))).toEqual([]);
    expect(writes(storage.requests.slice(cut.storage))).toEqual([]);
    expect(await held(cp, xrs)).toEqual(before);
    expect(await identity.holdings()).toEqual(before.identity);
  } finally {
    await stopKubelet();
  }
}

const key = (o: KubeObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * The examples' prerequisites once each, first seen first, without the examples' own XRs: a
 * binding's render fixtures hold its User and Project as observed (status, no spec), which the
 * user applies as the examples themselves.
 */
function prerequisitesOf(examples: ExampleObjects[]): KubeObject[] {
  const xrs = new Set(examples.map((e) => key(e.xr)));
  const seen = new Map<string, KubeObject>();
  for (const o of examples.flatMap((e) => e.prerequisites))
    if (!xrs.has(key(o)) && !seen.has(key(o))) seen.set(key(o), o);
  return [...seen.values()];
}

/**
 * The XRs (kind/namespace/name) function-stackplane's debug log says it ran for, in the log of its
 * last start (an upgrade appends the new function's log to the old one's).
 */
function composedBy(logFile: string): Set<string> {
  const lines = readFileSync(logFile, 'utf8').split('\n');
  const started = lines.findLastIndex((l) => l.includes('server started and listening'));
  const composed = new Set<string>();
  for (const line of lines.slice(Math.max(started, 0))) {
    if (!line.includes('"Ran function"')) continue;
    const { xr } = JSON.parse(line) as { xr?: { kind?: string; namespace?: string; name?: string } };
    if (xr) composed.add(`${xr.kind}/${xr.namespace ?? ''}/${xr.name}`);
  }
  return composed;
}

/** The Secrets of the examples' namespace and the tenant's token, and the external names. */
async function held(cp: ControlPlane, xrs: KubeObject[]): Promise<Held> {
  const { objects } = cp;
  const secrets: Held['secrets'] = {};
  const token = await objects.get('v1', 'Secret', 'lb-csi-creds', TENANT_NAMESPACE);
  for (const secret of [...(await objects.list('v1', 'Secret', NAMESPACE)), ...(token ? [token] : [])])
    secrets[`${secret.metadata!.namespace}/${secret.metadata!.name}`] = secret['data'] as Record<
      string,
      string
    >;
  const externalNames: Held['externalNames'] = {};
  for (const xr of xrs) {
    const ref = refOf(xr);
    for (const r of resourceRefs(await objects.get(ref.apiVersion, ref.kind, ref.name, ref.namespace))) {
      if (!/(^|\.)m\.stackplane\.io\//.test(r.apiVersion)) continue; // provider-stackplane's
      const composed = await objects.get(r.apiVersion, r.kind, r.name, r.namespace);
      externalNames[`${r.kind}/${r.namespace ?? ''}/${r.name}`] =
        composed?.metadata?.annotations?.['crossplane.io/external-name'];
    }
  }
  return { secrets, externalNames, identity: await cp.fakes.identity.holdings() };
}

/**
 * Waits until the package installs `reference` and is Healthy, its revision of `reference` Active and
 * Healthy and every other revision Inactive.
 */
async function upgraded(objects: Objects, kind: string, name: string, reference: string): Promise<void> {
  let last = '';
  await eventually(
    `${kind} ${name} upgraded to ${reference}`,
    async () => {
      const pkg = await objects.get(PKG_API, kind, name);
      const revisions = (await objects.list(PKG_API, `${kind}Revision`)).filter(
        (r) => r.metadata?.labels?.['pkg.crossplane.io/package'] === name,
      );
      const state = (r: KubeObject) => {
        const spec = r['spec'] as { image: string; desiredState: string };
        const health = ['RevisionHealthy', ...(kind === 'Configuration' ? [] : ['RuntimeHealthy'])];
        return `${spec.image} ${spec.desiredState} ${health.map((type) => `${type}=${condition(r, type)?.status ?? '?'}`).join(' ')}`;
      };
      last = `${summary(pkg)}; revisions: ${revisions.map(state).join(', ')}`;
      const current = (pkg?.['status'] as { currentIdentifier?: string } | undefined)?.currentIdentifier;
      const healthy = (o: KubeObject | undefined) => condition(o, 'Healthy')?.status === 'True';
      const done =
        current === reference &&
        healthy(pkg) &&
        condition(pkg, 'Installed')?.status === 'True' &&
        revisions.length === 2 &&
        revisions.every((r) =>
          (r['spec'] as { image: string }).image === reference
            ? !state(r).includes('=False') &&
              !state(r).includes('=?') &&
              state(r).startsWith(`${reference} Active `)
            : (r['spec'] as { desiredState: string }).desiredState === 'Inactive',
        );
      return done ? true : undefined;
    },
    async () => last,
    180_000,
  );
}

/** Waits until an XR runs on the newest revision of its Composition. */
async function onNewestRevision(objects: Objects, ref: Ref): Promise<void> {
  let last = '';
  await eventually(
    `${ref.kind} ${ref.name} on its Composition's newest revision`,
    async () => {
      const xr = await objects.get(ref.apiVersion, ref.kind, ref.name, ref.namespace);
      const crossplane = (xr?.['spec'] as { crossplane?: Record<string, { name?: string }> }).crossplane;
      const composition = crossplane?.['compositionRef']?.name;
      const revisions = (await objects.list('apiextensions.crossplane.io/v1', 'CompositionRevision'))
        .filter((r) => r.metadata?.labels?.['crossplane.io/composition-name'] === composition)
        .sort((a, b) => revisionNumber(b) - revisionNumber(a));
      const newest = revisions[0]?.metadata?.name;
      last = `${composition}: on ${crossplane?.['compositionRevisionRef']?.name}, newest ${newest}`;
      return newest !== undefined && crossplane?.['compositionRevisionRef']?.name === newest
        ? true
        : undefined;
    },
    async () => last,
  );
}

const revisionNumber = (r: KubeObject) => (r['spec'] as { revision: number }).revision;
