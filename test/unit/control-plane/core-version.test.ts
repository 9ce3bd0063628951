import { afterEach, describe, expect, it } from 'vitest';
import { coreModuleDir, coreVersion, pinned } from '../../../scripts/control-plane/binaries.js';

const saved = process.env['STACKPLANE_CROSSPLANE_CORE'];
afterEach(() => {
  if (saved === undefined) delete process.env['STACKPLANE_CROSSPLANE_CORE'];
  else process.env['STACKPLANE_CROSSPLANE_CORE'] = saved;
});

describe('the Crossplane core the control plane runs', () => {
  it.each([
    [undefined, 'tools/go'],
    ['pinned', 'tools/go'],
    ['next', 'tools/crossplane-next'],
  ])('STACKPLANE_CROSSPLANE_CORE=%s takes core from %s', (choice, dir) => {
    if (choice === undefined) delete process.env['STACKPLANE_CROSSPLANE_CORE'];
    else process.env['STACKPLANE_CROSSPLANE_CORE'] = choice;
    expect(coreModuleDir()).toBe(dir);
    expect(coreVersion()).toBe(pinned(`${dir}/go.mod`, 'github.com/crossplane/crossplane/v2'));
  });

  it('refuses an unknown choice, naming both', () => {
    process.env['STACKPLANE_CROSSPLANE_CORE'] = 'v2.4';
    expect(() => coreModuleDir()).toThrow(
      'STACKPLANE_CROSSPLANE_CORE=v2.4: must be "pinned" (tools/go) or "next" (tools/crossplane-next)',
    );
  });

  it('pins the newest core above the CLI, with its apis module at the same version', () => {
    const next = pinned('tools/crossplane-next/go.mod', 'github.com/crossplane/crossplane/v2');
    const cli = pinned('tools/go/go.mod', 'github.com/crossplane/crossplane/v2');
    expect(next.localeCompare(cli, undefined, { numeric: true })).toBe(1);
    expect(pinned('tools/crossplane-next/go.mod', 'github.com/crossplane/crossplane/apis/v2')).toBe(next);
  });
});
