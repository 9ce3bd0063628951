// The upgrade pass on a control plane of its own (test/e2e/upgrade.ts): the last recorded release
// installed through the package manager, its examples Ready, then every package upgraded to the
// working tree released as the next version. Its own control plane, since the main one installs the
// working tree's packages under the same names.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, onTestFailed } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../scripts/control-plane/index.js';
import { coreVersion } from '../../scripts/control-plane/binaries.js';
import {
  extractLastRelease,
  installRelease,
  type ReleaseTree,
} from '../../scripts/control-plane/releases.js';
import { keystoneOrSkip } from '../../testing/keystone.js';
import { controlPlaneOrSkip, diagnostics } from './support.js';
import { upgradesFromLastRelease } from './upgrade.js';

const binaries = controlPlaneOrSkip('the upgrade pass on a real Crossplane control plane');
const keystone = keystoneOrSkip('the real Keystone of the upgrade pass: the FakeKeystone stands in');

describe.skipIf(!binaries)(
  'Stackplane upgraded from its last release on a real Crossplane control plane',
  () => {
    let cp: ControlPlane | undefined;
    let release: ReleaseTree;

    beforeAll(async () => {
      const base = process.env['STACKPLANE_CONTROL_PLANE_DIR'];
      const dir = base ? join(base, 'upgrade') : mkdtempSync(join(tmpdir(), 'stackplane-upgrade-'));
      release = await extractLastRelease(dir);
      cp = await startControlPlane({
        binaries: binaries!,
        dir,
        install: installRelease(release),
        ...(keystone ? { keystone } : {}),
      });
      console.log(
        `control plane up with Stackplane ${release.version} (${release.commit.slice(0, 7)}) on Crossplane core ${coreVersion()} (seconds per phase: ${JSON.stringify(cp.timings)}); logs in ${cp.logDir}`,
      );
    }, 900_000);
    afterAll(async () => {
      await cp?.stop();
    }, 60_000);

    it('upgrades every package to the working tree through the package manager: new revisions Active and Healthy, every XR Ready again, no create or delete in the external APIs, connection Secrets kept', async () => {
      onTestFailed(() => console.error(diagnostics(cp)));
      const started = Date.now();
      await upgradesFromLastRelease(cp!, release, binaries!.crossplaneCli);
      console.log(`upgrade pass took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }, 600_000);
  },
);
