/**
 * Who may manage an existing reseller project or user. The provider marks every object it creates
 * with its managed resource (the last word of the description, see apis/provider/ownership.ts) and
 * adopts an existing object only when:
 * - it carries this managed resource's marker (a create whose answer was lost, a recreated resource);
 * - an AdoptionGrant of the platform allows this namespace to adopt its name (it then gets the marker
 *   on the next update; a grant overrides another resource's marker, which then refuses the object);
 * - it carries no marker at all, the managed resource already recorded its id as external name and
 *   was created before the platform's cutoff: objects this provider created before it wrote markers.
 * Nothing a tenant writes (an external name, a spec, `naming: original`) is proof on its own.
 */
import { createHash } from 'node:crypto';
import { OWNER_MARKER_PATTERN, OWNER_MARKER_PREFIX } from '../../../apis/provider/ownership.js';
import { AdoptionGrant } from '../../../apis/provider/adoption-grant.js';
import type { ManagedView } from '../runtime/external.js';

/** The reseller kinds that adopt by name. */
export type AdoptingKind = 'Project' | 'User';

/** Answers whether the platform granted a namespace an object's name; reads a cache, never blocks long. */
export interface AdoptionGrants {
  allows(request: { kind: AdoptingKind; namespace: string; externalName: string }): Promise<boolean>;
}

/** No grants: every adoption of a foreign object is refused. */
export const noAdoptionGrants: AdoptionGrants = { allows: () => Promise.resolve(false) };

/** The platform's ownership settings, shared by the Project and User clients. */
export interface OwnershipPolicy {
  grants: AdoptionGrants;
  /**
   * Managed resources created (metadata.creationTimestamp, which only the API server sets) before
   * this instant keep an unmarked object their recorded external name points at, and mark it: the
   * objects the provider created before it wrote markers. Unset: none.
   */
  unmarkedBefore?: Date | undefined;
}

/** Refuses every unmarked object: only markers and grants count. */
export const strictOwnership: OwnershipPolicy = { grants: noAdoptionGrants };

/** The object exists but is not this managed resource's to manage. */
export class NotOwnedError extends Error {
  override name = 'NotOwnedError';
}

/** The marker of one managed resource: a hash of its namespace and name. */
export function ownerMarker(mr: Pick<ManagedView<unknown>, 'name' | 'namespace'>): string {
  const digest = createHash('sha256')
    .update(`${mr.namespace ?? ''}/${mr.name}`)
    .digest('hex');
  return `${OWNER_MARKER_PREFIX}${digest.slice(0, 20)}`;
}

/** The description the provider writes: the spec's, then the marker. */
export function markedDescription(
  description: string,
  mr: Pick<ManagedView<unknown>, 'name' | 'namespace'>,
): string {
  return `${description} ${ownerMarker(mr)}`;
}

/** The marker an object's description ends with, if any. */
export function markerOf(description: string | undefined): string | undefined {
  return OWNER_MARKER_PATTERN.exec(description ?? '')?.[1];
}

/** What is known of the object found. */
export interface FoundObject {
  kind: AdoptingKind;
  /** How messages name it, e.g. `project "c0042-team-web" (3f…)`. */
  what: string;
  description: string | undefined;
  /** The name a grant gives: spec.forProvider.name of a Project, the e-mail of a User. */
  grantName: string;
  /** The object has that name (a grant never covers an object of another name). */
  named: boolean;
}

/**
 * Decides whether mr may manage the object; throws NotOwnedError, naming the object and the grant
 * that would allow it, when not. `recorded` says the object was found by mr's recorded external name
 * (observe), not by name (create).
 */
export async function requireOwnership(
  policy: OwnershipPolicy,
  mr: ManagedView<unknown>,
  found: FoundObject,
  recorded: boolean,
): Promise<void> {
  const marker = markerOf(found.description);
  if (marker === ownerMarker(mr)) return;
  const namespace = mr.namespace ?? '';
  const grant = { kind: found.kind, namespace, externalName: found.grantName };
  if (found.named && (await policy.grants.allows(grant))) return;
  if (marker === undefined && recorded && createdBefore(mr, policy.unmarkedBefore)) return;
  const why =
    marker === undefined
      ? 'it carries no ownership marker, so another resource or a person created it'
      : 'it carries the ownership marker of another managed resource';
  const remedy = found.named
    ? `the platform can allow namespace "${namespace}" to adopt it with an AdoptionGrant ` +
      `(${AdoptionGrant.group}/${AdoptionGrant.version}) of kind ${found.kind} and externalName "${found.grantName}"`
    : `its name is not "${found.grantName}", so no AdoptionGrant covers it: correct the external name`;
  throw new NotOwnedError(`cannot adopt ${found.what}: ${why}; nothing was changed; ${remedy}`);
}

function createdBefore(mr: ManagedView<unknown>, cutoff: Date | undefined): boolean {
  if (cutoff === undefined || mr.createdAt === undefined) return false;
  const created = Date.parse(mr.createdAt);
  return Number.isFinite(created) && created < cutoff.getTime();
}
