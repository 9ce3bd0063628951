// The upgrade pass's next version: the working tree is released one minor above the last release.
import { describe, expect, it } from 'vitest';
import { nextMinor } from '../../../scripts/control-plane/releases.js';

describe('nextMinor', () => {
  it.each([
    { reason: 'a minor release', version: 'v0.1.0', want: 'v0.2.0' },
    { reason: 'a patch release resets the patch', version: 'v1.4.2', want: 'v1.5.0' },
    { reason: 'a prerelease is left behind', version: 'v0.3.0-rc.1', want: 'v0.4.0' },
  ])('$reason: $version → $want', ({ version, want }) => {
    expect(nextMinor(version)).toBe(want);
  });

  it('refuses a version that is not semantic', () => {
    expect(() => nextMinor('0.1')).toThrow('cannot release after 0.1: it is not a semantic version');
  });
});
