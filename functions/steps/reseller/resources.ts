import { RESELLER_GROUP } from '../../../apis/reseller/common.js';
import type { KubeObject, Requirement, StepCondition } from '../../types.js';

/** apiVersion of provider-stackplane's reseller managed resources. */
export const MR_API_VERSION = 'reseller.m.stackplane.io/v1alpha1';
/** apiVersion of provider-stackplane's provider configs; a region is a ClusterProviderConfig. */
export const PROVIDER_CONFIG_API_VERSION = 'm.stackplane.io/v1alpha1';
export const REGION_KIND = 'ClusterProviderConfig';
/** apiVersion of the reseller composite kinds. */
export const XR_API_VERSION = `${RESELLER_GROUP}/v1alpha1`;
export const USAGE_API_VERSION = 'protection.crossplane.io/v1beta1';

/** Kubernetes object names derived from the composite names. */
export const names = {
  /** The provider Project of a Project XR: same name, so bindings can reference it. */
  projectMR: (project: string) => project,
  /** The user's credentials Secret, as the original named it. */
  userSecret: (user: string) => `${user}-openstack`,
  /** The Secret with the user's password, generated once and shared by its regional users. */
  passwordSecret: (user: string) => `${user}-openstack-password`,
  /** The application credential Secret of a binding, as the original named it. */
  appCredSecret: (binding: string) => `${binding}-appcred`,
} as const;

/** `spec.providerConfigRef` of a managed resource in a region. */
export const regionRef = (region: string) => ({ kind: REGION_KIND, name: region });

/** Every ClusterProviderConfig: the regions there are. */
export const regionsRequirement = (): Requirement => ({
  apiVersion: PROVIDER_CONFIG_API_VERSION,
  kind: REGION_KIND,
  matchLabels: {},
});

/** Every composite of a reseller kind in a namespace (the function filters by spec). */
export const allInNamespace = (kind: string, namespace: string): Requirement => ({
  apiVersion: XR_API_VERSION,
  kind,
  matchLabels: {},
  namespace,
});

export const byName = (apiVersion: string, kind: string, name: string, namespace: string): Requirement => ({
  apiVersion,
  kind,
  matchName: name,
  namespace,
});

/** `metadata` of a composed object. */
export function metadata(name: string, namespace: string) {
  return { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'stackplane' } };
}

/** What a Usage names: a provider managed resource unless `apiVersion` says otherwise. */
export interface UsageTarget {
  apiVersion?: string;
  kind: string;
  name: string;
}

/** A Usage that keeps `of` from being deleted while `by` exists, and replays the deletion after. */
export function usage(name: string, namespace: string, of: UsageTarget, by: UsageTarget): KubeObject {
  const ref = (r: UsageTarget) => ({
    apiVersion: r.apiVersion ?? MR_API_VERSION,
    kind: r.kind,
    resourceRef: { name: r.name },
  });
  return {
    apiVersion: USAGE_API_VERSION,
    kind: 'Usage',
    metadata: metadata(name, namespace),
    spec: { of: ref(of), by: ref(by), replayDeletion: true },
  };
}

export const metaOf = (object: KubeObject | undefined) =>
  (object?.['metadata'] ?? {}) as {
    name?: string;
    namespace?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
  };

export const specOf = <T>(object: KubeObject | undefined) => (object?.['spec'] ?? {}) as Partial<T>;

export const statusOf = <T>(object: KubeObject | undefined) => (object?.['status'] ?? {}) as Partial<T>;

/** Objects not being deleted, oldest first (then by name): the first binding decides defaults. */
export function live(objects: readonly KubeObject[]): KubeObject[] {
  return objects
    .filter((o) => !metaOf(o).deletionTimestamp)
    .sort((a, b) => {
      const [ma, mb] = [metaOf(a), metaOf(b)];
      return (
        (ma.creationTimestamp ?? '').localeCompare(mb.creationTimestamp ?? '') ||
        (ma.name ?? '').localeCompare(mb.name ?? '')
      );
    });
}

/** A condition saying which bindings a deletion waits for. */
export function inUseCondition(what: string, bindings: readonly string[], why: string): StepCondition {
  return bindings.length === 0
    ? {
        type: 'InUse',
        status: 'False',
        reason: 'NoBindings',
        message: `no UserProjectBinding names this ${what}`,
      }
    : {
        type: 'InUse',
        status: 'True',
        reason: 'Bound',
        message: `bound by UserProjectBinding ${bindings.join(', ')}: deleting this ${what} waits until they are deleted (${why})`,
      };
}

/** Base64 of a UTF-8 string, for Secret data. */
export const base64 = (value: string): string => Buffer.from(value, 'utf8').toString('base64');
