import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableHash, uniqueName, type NameLimits } from '../../../../functions/naming/unique-name.js';

const DNS_LABEL: NameLimits = {
  maxLength: 63,
  lowercase: true,
  invalid: /[^a-z0-9-]/g,
  collapseHyphens: true,
};
const SHORT: NameLimits = { maxLength: 40, lowercase: true, invalid: /[^a-z0-9-]/g, collapseHyphens: true };
const PROJECT: NameLimits = { maxLength: 64, lowercase: false, invalid: /[^\w-]/g };

describe('uniqueName', () => {
  it.each([
    [
      'the plain scheme when it is unambiguous and fits',
      { controllerId: 'abcdef', namespace: 'team', name: 'db' },
      DNS_LABEL,
      'abcdef-team-db',
    ],
    [
      'a hash when the namespace has a hyphen',
      { controllerId: 'abcdef', namespace: 'team-a', name: 'db' },
      DNS_LABEL,
      `abcdef-team-a-db-${stableHash('abcdef/team-a/db')}`,
    ],
    [
      'a hash when a character had to change',
      { controllerId: 'abcdef', namespace: 'team', name: 'My.DB' },
      DNS_LABEL,
      `abcdef-team-my-db-${stableHash('abcdef/team/My.DB')}`,
    ],
    [
      'a hash when hyphens had to be collapsed',
      { controllerId: 'abcdef', namespace: 'team', name: 'a--b' },
      DNS_LABEL,
      `abcdef-team-a-b-${stableHash('abcdef/team/a--b')}`,
    ],
    [
      'a readable prefix and a hash when too long',
      { controllerId: 'abcdef', namespace: 'team', name: 'x'.repeat(60) },
      SHORT,
      `abcdef-team-${'x'.repeat(17)}-${stableHash(`abcdef/team/${'x'.repeat(60)}`)}`,
    ],
  ] as const)('%s', (_reason, parts, limits, want) => {
    const name = uniqueName(parts, limits);
    expect(name).toBe(want);
    expect(name.length).toBeLessThanOrEqual(limits.maxLength);
  });

  it('is stable: the same parts give the same name', () => {
    const parts = { controllerId: 'abcdef', namespace: 'team-a', name: 'db' };
    expect(uniqueName(parts, SHORT)).toBe(uniqueName({ ...parts }, SHORT));
  });

  const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  const pairs = fc.uniqueArray(fc.tuple(label, label), {
    minLength: 50,
    maxLength: 300,
    selector: ([ns, n]) => `${ns}/${n}`,
  });

  it.each([
    ['DNS label, 63', DNS_LABEL, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/],
    ['40 characters', SHORT, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/],
    ['reseller project pattern', PROJECT, /^(?:\w|-)+$/],
  ] as const)('never collides and always fits: %s', (_name, limits, pattern) => {
    fc.assert(
      fc.property(pairs, (namespaceNamePairs) => {
        const names = namespaceNamePairs.map(([namespace, name]) =>
          uniqueName({ controllerId: 'qwerty', namespace, name }, limits),
        );
        expect(new Set(names).size).toBe(names.length);
        for (const name of names) {
          expect(name.length).toBeLessThanOrEqual(limits.maxLength);
          expect(name).toMatch(pattern);
          if (limits.collapseHyphens) expect(name).not.toContain('--');
        }
      }),
      { numRuns: 200 },
    );
  });
});
