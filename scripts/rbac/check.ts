import { allows, describePermission, expandRule, type Permission, type PolicyRule } from './policy.js';
import { grantedByCrossplane, type BaseGrants } from './role.js';

/** Permissions the Compositions need that neither Crossplane nor the shipped rules grant. */
export function missingPermissions(
  needed: readonly Permission[],
  base: BaseGrants,
  shipped: readonly PolicyRule[],
): string[] {
  return needed.filter((p) => !grantedByCrossplane(base, p) && !allows(shipped, p)).map(describePermission);
}

/**
 * Permissions the shipped rules grant beyond what the Compositions need, or that Crossplane holds
 * already (a wildcard counts as excess: a shipped role names what it grants).
 */
export function excessPermissions(
  needed: readonly Permission[],
  base: BaseGrants,
  shipped: readonly PolicyRule[],
): string[] {
  const out: string[] = [];
  for (const rule of shipped) {
    if ([...rule.apiGroups, ...rule.resources, ...rule.verbs].includes('*')) {
      out.push(`wildcard rule ${JSON.stringify(rule)}`);
      continue;
    }
    for (const p of expandRule(rule)) {
      const isNeeded = needed.some(
        (n) =>
          n.group === p.group &&
          n.resource === p.resource &&
          n.verb === p.verb &&
          (n.resourceName ?? '') === (p.resourceName ?? ''),
      );
      if (!isNeeded) out.push(`${describePermission(p)}: nothing composes or requires it`);
      else if (grantedByCrossplane(base, p))
        out.push(`${describePermission(p)}: Crossplane holds it already`);
    }
  }
  return out;
}
