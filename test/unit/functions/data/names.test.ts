import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  externalName,
  localName,
  NAME_LIMITS,
  type ExternalSystem,
} from '../../../../functions/steps/data/names.js';

/** What each AWS system documents as a valid name. */
const RULES: Record<ExternalSystem, RegExp> = {
  rds: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/,
  elasticache: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/,
  s3: /^[a-z0-9][a-z0-9-]*[a-z0-9]$/,
  iam: /^[\w+=,.@-]+$/,
};

describe('external names of data services', () => {
  const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  const controllerId = fc.stringMatching(/^[a-z0-9]{1,16}$/);
  const inputs = fc.uniqueArray(fc.tuple(controllerId, label, label), {
    minLength: 20,
    maxLength: 200,
    selector: ([c, ns, n]) => `${c}/${ns}/${n}`,
  });

  it.each(Object.keys(NAME_LIMITS) as ExternalSystem[])(
    '%s: always valid, within the limit, and never the same for different inputs',
    (system) => {
      fc.assert(
        fc.property(inputs, (all) => {
          const names = all.map(([c, namespace, name]) =>
            externalName(system, { controllerId: c, namespace, name }),
          );
          expect(new Set(names).size).toBe(names.length);
          for (const name of names) {
            expect(name.length).toBeLessThanOrEqual(NAME_LIMITS[system].maxLength);
            expect(name).toMatch(RULES[system]);
          }
        }),
        { numRuns: 100 },
      );
    },
  );

  it.each([
    [
      'a controller id starting with a digit still starts RDS names with a letter',
      'rds',
      '1abc',
      /^x1abc-team-db-/,
    ],
    ['the plain scheme when it fits', 'elasticache', 'qwerty', /^qwerty-team-db$/],
  ] as const)('%s', (_reason, system, id, want) => {
    expect(externalName(system, { controllerId: id, namespace: 'team', name: 'db' })).toMatch(want);
  });

  it('keeps the recorded name: renaming is never a side effect', () => {
    expect(externalName('rds', { controllerId: 'new', namespace: 'team', name: 'db' }, 'old-team-db')).toBe(
      'old-team-db',
    );
  });

  it('local names fit a StatefulSet and stay unique', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,251}[a-z0-9])?$/), { minLength: 2 }),
        (xrs) => {
          const names = xrs.map((xr) => localName(xr, 'postgres'));
          expect(new Set(names).size).toBe(names.length);
          for (const name of names) {
            expect(name.length).toBeLessThanOrEqual(52);
            expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
          }
        },
      ),
    );
  });
});
