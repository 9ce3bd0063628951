/**
 * The platform's AdoptionGrants as the Project and User clients read them: from the manager's
 * informer cache of the cluster-scoped kind (the API server until the cache is synced), so looking
 * one up costs no request in steady state. Grants are consulted only when an object does not carry
 * the managed resource's own marker.
 */
import { AdoptionGrant, adoptionGrantSpecSchema } from '../../../apis/provider/adoption-grant.js';
import type { KubeObject, ResourceType } from '../runtime/kube.js';
import type { AdoptionGrants } from './ownership.js';

/** The REST type of AdoptionGrants. */
export const adoptionGrantType: ResourceType = {
  group: AdoptionGrant.group,
  version: AdoptionGrant.version,
  plural: AdoptionGrant.plural,
  namespaced: false,
};

/** Grants among the objects `list` returns; an object whose spec does not parse grants nothing. */
export function adoptionGrantsFrom(list: () => Promise<ReadonlyArray<KubeObject>>): AdoptionGrants {
  return {
    async allows({ kind, namespace, externalName }) {
      return (await list()).some((object) => {
        const spec = adoptionGrantSpecSchema.safeParse((object as { spec?: unknown }).spec);
        return (
          spec.success &&
          spec.data.kind === kind &&
          spec.data.namespace === namespace &&
          spec.data.externalName === externalName
        );
      });
    },
  };
}
