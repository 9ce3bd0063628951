import type {
  ResourceSelector,
  RunFunctionRequest,
  RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from '../../functions/types.js';
import { discoverExamples } from '../../render/examples.js';
import { GrpcFunctionRunner } from '../../render/grpc.js';
import { readManifestPath, readManifestPaths } from '../../render/manifests.js';
import { renderPipeline, type FunctionRunner } from '../../render/pipeline.js';
import { FUNCTION_NAME, loadCompositions, readRenderXr } from '../../render/render.js';
import { selectComposition, type Composition } from '../../render/composition.js';
import type { PolicyRule } from './policy.js';

/** An API kind, as `group/version` and kind. */
export interface Kind {
  apiVersion: string;
  kind: string;
}

/** What rendering a set of composite resources showed Crossplane must be allowed to do. */
export interface ComposedAccess {
  /** Kinds the Compositions compose, by `apiVersion kind`. */
  composed: Map<string, Kind>;
  /** Kinds the function requires (reads), by `apiVersion kind`. */
  required: Map<string, Kind>;
  /** Rules of the Roles composed: Crossplane must hold them to create and bind them. */
  roleRules: PolicyRule[];
  /** Roles and ClusterRoles a composed (Cluster)RoleBinding binds that are not composed with it. */
  boundRoles: Array<{ kind: string; name: string }>;
  /**
   * ClusterRoles composed under fixed names (the CSI driver's): Crossplane creates them with
   * `escalate` and binds them with `bind` on exactly those names, rather than holding what they grant
   * across the whole cluster.
   */
  clusterRoles: Set<string>;
  /** Which example or variant showed each composed kind first, for messages. */
  source: Map<string, string>;
}

/**
 * Step inputs that pick another branch of a step than the shipped Composition does. Rendering the
 * examples with them shows the kinds those branches compose (the PlacementAPI backends a platform
 * can choose). Each names the Composition and deep-merges into the named step's input.
 */
export const INPUT_VARIANTS: ReadonlyArray<{
  name: string;
  composition: string;
  step: string;
  input: Record<string, unknown>;
  /** The composite's status for this variant: what a migration recorded, for a backend that needs it. */
  status?: Record<string, unknown>;
}> = [
  {
    name: 'operators',
    composition: 'placementapis.openstack.stackplane.io',
    step: 'placement',
    input: { database: { backend: 'mariadb-operator' }, keystone: { backend: 'keystone-operator' } },
  },
  {
    name: 'migrated from the placement-operator',
    composition: 'placementapis.openstack.stackplane.io',
    step: 'placement',
    input: {
      database: { backend: 'openstack-mariadb-operator' },
      keystone: { backend: 'keystone-operator' },
    },
    status: { adopted: { databaseUser: 'placement_3fa2', databasePasswordSecret: 'placement-db-secret' } },
  },
  {
    name: 'service-role',
    composition: 'placementapis.openstack.stackplane.io',
    step: 'placement',
    input: { keystone: { serviceProjectID: 'service', serviceRoleID: 'admin' } },
  },
  ...(['Route', 'Ingress'] as const).map((expose) => ({
    name: `public ${expose}`,
    composition: 'placementapis.openstack.stackplane.io',
    step: 'placement',
    input: { publicEndpoint: { expose, domain: 'apps.example.com' } },
  })),
  // A platform that gives its VPC gets a subnet group and a security group per database or cache.
  ...['postgres', 'redis'].map((kind) => ({
    name: 'aws network',
    composition: `${kind}.data.stackplane.io`,
    step: 'data-service',
    input: {
      aws: {
        network: {
          vpcId: 'vpc-0a1b2c',
          subnetIds: ['subnet-a', 'subnet-b'],
          clientCidrBlocks: ['10.0.0.0/16'],
        },
      },
    },
  })),
];

export const kindKey = (k: Kind) => `${k.apiVersion} ${k.kind}`;

/** Nothing collected yet. */
export const emptyAccess = (): ComposedAccess => ({
  composed: new Map(),
  required: new Map(),
  roleRules: [],
  boundRoles: [],
  clusterRoles: new Set(),
  source: new Map(),
});

function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isRecord(base) || !isRecord(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = deepMerge(base[k], v);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A Composition with one step's input merged with a variant's. */
export function withInput(
  composition: Composition,
  step: string,
  input: Record<string, unknown>,
): Composition {
  if (!composition.pipeline.some((s) => s.step === step)) {
    throw new Error(`Composition "${composition.name}" has no pipeline step "${step}"`);
  }
  return {
    ...composition,
    pipeline: composition.pipeline.map((s) =>
      s.step === step ? { ...s, input: deepMerge(s.input ?? {}, input) as KubeObject } : s,
    ),
  };
}

/** Records the kinds every RunFunction call asks Crossplane to fetch. */
class RecordingRunner implements FunctionRunner {
  readonly selectors: ResourceSelector[] = [];
  constructor(private readonly inner: FunctionRunner) {}

  async run(functionName: string, request: RunFunctionRequest): Promise<RunFunctionResponse> {
    const response = await this.inner.run(functionName, request);
    const { resources = {}, extraResources = {} } = response.requirements ?? {};
    this.selectors.push(...Object.values(resources), ...Object.values(extraResources));
    return response;
  }
}

const RBAC_API = 'rbac.authorization.k8s.io/v1';

/** Adds what one rendered composite composes to the access collected so far. */
export function record(access: ComposedAccess, composed: readonly KubeObject[], source: string): void {
  const roles = new Set<string>();
  for (const object of composed) {
    const kind = { apiVersion: String(object['apiVersion']), kind: String(object['kind']) };
    if (!access.composed.has(kindKey(kind))) access.source.set(kindKey(kind), source);
    access.composed.set(kindKey(kind), kind);
    if (kind.apiVersion === RBAC_API && (kind.kind === 'Role' || kind.kind === 'ClusterRole')) {
      const rules = (object['rules'] as PolicyRule[] | undefined) ?? [];
      const name = String((object['metadata'] as { name?: string }).name);
      if (rules.some((r) => (r as { nonResourceURLs?: string[] }).nonResourceURLs?.length)) {
        throw new Error(
          `cannot derive RBAC for ${kind.kind} "${name}" (${source}): it grants nonResourceURLs`,
        );
      }
      if (kind.kind === 'ClusterRole') access.clusterRoles.add(name);
      else access.roleRules.push(...rules);
      roles.add(`${kind.kind}/${name}`);
    }
  }
  for (const object of composed) {
    const kind = object['kind'];
    if (object['apiVersion'] !== RBAC_API || (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding'))
      continue;
    const ref = object['roleRef'] as { kind: string; name: string };
    if (!roles.has(`${ref.kind}/${ref.name}`)) access.boundRoles.push({ kind: ref.kind, name: ref.name });
  }
}

/**
 * Renders every example of the given XR API groups through its Composition's pipeline, with the
 * shipped inputs and with each input variant, and collects the kinds composed and required.
 */
export async function collectAccess(
  groups: readonly string[],
  functionAddress: string,
): Promise<ComposedAccess> {
  const access = emptyAccess();
  const compositions = await loadCompositions('compositions');
  const grpc = new GrpcFunctionRunner({ [FUNCTION_NAME]: functionAddress });
  const runner = new RecordingRunner(grpc);
  try {
    for (const example of await discoverExamples()) {
      const xr = await readRenderXr(example.request);
      if (!groups.includes(String(xr['apiVersion']).split('/')[0] ?? '')) continue;
      const observed = example.request.observedPath
        ? await readManifestPath(example.request.observedPath)
        : [];
      const required = await readManifestPaths(example.request.requiredPaths);
      const shipped = selectComposition(xr, compositions);
      const variants = [
        { name: example.name, composition: shipped },
        ...INPUT_VARIANTS.filter((v) => v.composition === shipped.name).map((v) => ({
          name: `${example.name} (${v.name})`,
          composition: withInput(shipped, v.step, v.input),
          ...(v.status ? { xr: { ...xr, status: { ...(xr['status'] as object), ...v.status } } } : {}),
        })),
      ];
      for (const variant of variants) {
        for (const step of variant.composition.pipeline) {
          for (const r of step.requirements?.requiredResources ?? []) {
            access.required.set(kindKey(r), { apiVersion: r.apiVersion, kind: r.kind });
          }
        }
        const outputs = await renderPipeline(runner, {
          xr: 'xr' in variant ? variant.xr : xr,
          composition: variant.composition,
          observed,
          required,
        });
        record(access, outputs.composed, variant.name);
      }
    }
  } finally {
    grpc.close();
  }
  for (const s of runner.selectors)
    access.required.set(kindKey(s), { apiVersion: s.apiVersion, kind: s.kind });
  return access;
}
