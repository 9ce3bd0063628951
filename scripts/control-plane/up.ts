// npm run e2e:up: starts the end-to-end control plane and keeps it up until Ctrl-C, for poking at it
// with kubectl and `crossplane beta trace`. Needs the binaries (npm run e2e builds them).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findKeystone } from '../../testing/keystone.js';
import { findBinaries } from './binaries.js';
import { startControlPlane } from './index.js';

const binaries = findBinaries();
if ('missing' in binaries) {
  console.error(`cannot start the control plane: missing ${binaries.missing.join('; ')}`);
  process.exit(1);
}
// The region's identity is a real Keystone when one is installed (scripts/install-keystone.sh).
const keystone = findKeystone();
if ('missing' in keystone) console.warn(`the fake Keystone stands in: ${keystone.missing}`);
const controlPlane = await startControlPlane({
  binaries,
  ...('missing' in keystone ? {} : { keystone }),
});
const env = join(controlPlane.dir, 'env.sh');
writeFileSync(
  env,
  [
    `export KUBECONFIG=${controlPlane.cluster.adminKubeconfig}`,
    `alias kubectl=${binaries.kubectl}`,
    `alias crossplane=${binaries.crossplaneCli}`,
    '',
  ].join('\n'),
);
console.log(`The control plane is up (seconds per phase: ${JSON.stringify(controlPlane.timings)}).
  logs:     ${controlPlane.logDir}
  shell:    source ${env}
  then:     kubectl apply -f examples/project/sample/xr.yaml
            crossplane beta trace project.reseller.stackplane.io/project-sample -n default
  fakes:    reseller API ${controlPlane.fakes.reseller.url}, Keystone ${controlPlane.fakes.identity.url}${controlPlane.fakes.identity.admin ? ' (real)' : ' (fake)'}, storage API ${controlPlane.fakes.storage.endpoint}
Ctrl-C stops every process.`);

const stop = async (): Promise<void> => {
  console.log('stopping the control plane');
  await controlPlane.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
