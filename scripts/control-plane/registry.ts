/**
 * An OCI registry on loopback (`crane registry serve`, go-containerregistry's in-memory registry) that
 * the built `.xpkg` files are pushed to with `crossplane xpkg push`, so Crossplane's package manager
 * installs them as it would from any registry. go-containerregistry speaks plain HTTP to loopback
 * registries, so neither side needs a certificate.
 */
import type { Processes } from '../../testing/processes.js';
import { freePort, waitFor } from '../../testing/wait.js';

/** A running registry: `host` is `127.0.0.1:<port>`. */
export interface Registry {
  host: string;
  /** Pushes a package file under `<host>/<repository>:<tag>` and returns that reference. */
  push(file: string, repository: string, tag: string): Promise<string>;
}

/** Starts the registry. */
export async function startRegistry(
  processes: Processes,
  binaries: { crane: string; crossplaneCli: string },
): Promise<Registry> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const registry = processes.start({
    name: 'registry',
    command: binaries.crane,
    args: ['registry', 'serve', '--address', host],
  });
  await waitFor('registry', registry, async () => (await fetch(`http://${host}/v2/`)).ok, 30_000);
  return {
    host,
    push: async (file, repository, tag) => {
      const reference = `${host}/${repository}:${tag}`;
      await processes.run({
        name: `push-${repository.replaceAll('/', '-')}`,
        command: binaries.crossplaneCli,
        args: ['xpkg', 'push', '--package-files', file, reference],
      });
      return reference;
    },
  };
}
