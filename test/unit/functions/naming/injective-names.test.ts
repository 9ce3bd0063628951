import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  openstackLogin,
  openstackProjectName,
  regionalUserName,
} from '../../../../functions/naming/openstack-names.js';
import { NAME_LIMITS } from '../../../../functions/steps/data/names.js';
import { stableHash, uniqueName, type NameParts } from '../../../../functions/naming/unique-name.js';

/**
 * Every generated external name is an injective function of (controller id, namespace, name): a
 * tenant choosing its namespace's object names, even as another pair's hashed name read as a plain
 * one, never meets another namespace's name.
 */
const ID = 'qxmrtb';
const PROJECT = { maxLength: 48 };

const REGIONAL = 'regional user (user, region)';

/** Every external name scheme, as a function of the parts. */
const schemes: Record<string, (parts: NameParts) => string> = {
  'openstack project': (parts) => openstackProjectName(parts, PROJECT),
  'openstack login': (parts) => openstackLogin(parts),
  // Names a provider User in the tenant's namespace; the region takes the namespace's place here.
  [REGIONAL]: (parts) => regionalUserName(parts.name, parts.namespace),
  ...Object.fromEntries(
    Object.entries(NAME_LIMITS).map(([system, limits]) => [
      system,
      (parts: NameParts) => uniqueName(parts, limits),
    ]),
  ),
};

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const subdomain = fc.stringMatching(
  /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?){0,2}$/,
);
const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * Every (namespace, name) an attacker could pick to make `target` their plain name: each "-" of it
 * read as the separator of controller id, namespace and name (projects, data systems) or of name and
 * namespace (logins, regional users), kept when Kubernetes would accept the pieces.
 */
function plainReadings(target: string, controllerId: string): Array<[string, string]> {
  const local = target.includes('@') ? target.slice(0, target.indexOf('@')) : target;
  const out: Array<[string, string]> = [];
  const body = local.startsWith(`${controllerId}-`) ? local.slice(controllerId.length + 1) : undefined;
  for (let i = 0; i < local.length; i++) {
    if (local[i] !== '-') continue;
    // <name>-<namespace> (logins, regional users)
    out.push([local.slice(i + 1), local.slice(0, i)]);
  }
  if (body !== undefined) {
    for (let i = 0; i < body.length; i++) {
      // <controller-id>-<namespace>-<name>
      if (body[i] === '-') out.push([body.slice(0, i), body.slice(i + 1)]);
    }
  }
  return out.filter(([namespace, name]) => dnsLabel.test(namespace) && dnsSubdomain.test(name));
}

/**
 * The readings a tenant can pick in a scheme: a region is a ClusterProviderConfig the platform named,
 * so no tenant makes one look like a hash (and regional user names keep their form, see
 * regionalUserName).
 */
function readings(scheme: string, target: string): Array<[string, string]> {
  const all = plainReadings(target, ID);
  return scheme === REGIONAL ? all.filter(([region]) => !/^[a-z2-7]{10}$/.test(region)) : all;
}

describe('generated names are injective in (controller id, namespace, name)', () => {
  it.each(Object.keys(schemes))('%s: team/a-web-<hash> never meets team-a/web', (scheme) => {
    const name = schemes[scheme]!;
    const victim = name({ controllerId: ID, namespace: 'team-a', name: 'web' });
    const crafted = readings(scheme, victim);
    expect(crafted.length).toBeGreaterThan(0);
    for (const [namespace, craftedName] of crafted) {
      expect(name({ controllerId: ID, namespace, name: craftedName })).not.toBe(victim);
    }
  });

  it('the exact issue case: the project of team/a-web-<hash> is not the project of team-a/web', () => {
    const victim = openstackProjectName({ controllerId: ID, namespace: 'team-a', name: 'web' }, PROJECT);
    const hash = stableHash(`${ID}/team-a/web`);
    expect(victim).toBe(`${ID}-team-a-web-${hash}`);
    const attacker = openstackProjectName(
      { controllerId: ID, namespace: 'team', name: `a-web-${hash}` },
      PROJECT,
    );
    expect(attacker).toBe(`${ID}-team-a-web-${hash}-${stableHash(`${ID}/team/a-web-${hash}`)}`);
  });

  it.each(Object.keys(schemes))(
    '%s: random pairs and every plain reading of their names never collide',
    (scheme) => {
      const name = schemes[scheme]!;
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.tuple(label, subdomain), {
            minLength: 5,
            maxLength: 30,
            selector: ([a, b]) => `${a}/${b}`,
          }),
          (pairs) => {
            const all = new Map<string, string>();
            const add = (namespace: string, n: string) => {
              const key = `${namespace}/${n}`;
              const out = name({ controllerId: ID, namespace, name: n });
              for (const [other, otherOut] of all) {
                if (other !== key && otherOut === out)
                  throw new Error(`${key} and ${other} both give ${out}`);
              }
              all.set(key, out);
            };
            for (const [namespace, n] of pairs) add(namespace, n);
            // The attacker's move: another pair's name, read as their own plain name.
            for (const [namespace, n] of pairs) {
              for (const [craftedNs, craftedName] of readings(
                scheme,
                name({ controllerId: ID, namespace, name: n }),
              )) {
                add(craftedNs, craftedName);
              }
            }
          },
        ),
        { numRuns: 100 },
      );
    },
  );

  it.each([
    [
      'a project name ending like a hash is hashed',
      openstackProjectName({ controllerId: ID, namespace: 'default', name: 'production' }, PROJECT),
      `${ID}-default-production-${stableHash(`${ID}/default/production`)}`,
    ],
    [
      'a regional user name keeps its form for a region that ends like a hash (the platform named it)',
      regionalUserName('alice', 'production'),
      'alice-production',
    ],
  ])('%s', (_reason, got, want) => {
    expect(got).toBe(want);
  });

  it('a name with "/" or NUL in a segment is hashed over an unambiguous encoding', () => {
    // "/"-joined, ["a","b/c"] and ["a/b","c"] would be hashed alike.
    const limits = { maxLength: 64, lowercase: false, invalid: /[^\w-]/g };
    const left = uniqueName({ controllerId: 'a', namespace: 'b/c', name: 'd' }, limits);
    const right = uniqueName({ controllerId: 'a', namespace: 'b', name: 'c/d' }, limits);
    expect(left).not.toBe(right);
  });
});
