import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMAIL_LOCAL_PART_MAX, EMAIL_PATTERN, EMAIL_SYNTAX_PATTERN } from '../../../apis/reseller/email.js';

/** What a CRD checks: the RE2 pattern and the CEL length rule. */
const crdAccepts = (email: string) =>
  EMAIL_SYNTAX_PATTERN.test(email) && email.indexOf('@') <= EMAIL_LOCAL_PART_MAX;

describe('the RE2 form of EMAIL_PATTERN', () => {
  it.each([
    ['user-team@abcdef.k8s', true],
    [`${'a'.repeat(64)}@x.k8s`, true],
    [`${'a'.repeat(65)}@x.k8s`, false],
    ['a..b@x.k8s', false],
    ['Upper@x.k8s', false],
  ])('%s: %s', (email, want) => {
    expect([EMAIL_PATTERN.test(email), crdAccepts(email)]).toEqual([want, want]);
  });

  it('has no look-around, which RE2 refuses', () => {
    expect(EMAIL_SYNTAX_PATTERN.source).not.toMatch(/\(\?[=!<]/);
  });

  it('accepts exactly what EMAIL_PATTERN accepts', () => {
    const local = fc.stringMatching(/^[a-z0-9.!-]{1,70}$/);
    const domain = fc.stringMatching(/^[a-z0-9.-]{1,20}$/);
    fc.assert(
      fc.property(local, domain, (l, d) => {
        const email = `${l}@${d}`;
        expect(crdAccepts(email)).toBe(EMAIL_PATTERN.test(email));
      }),
    );
  });
});
