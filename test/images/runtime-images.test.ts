// The runtime images, built without a container engine: reproducible, two architectures in one
// index, nothing but node and the app, and they run: the function serves RunFunction over mTLS from
// the unpacked image as nonroot, the provider serves its metrics against a real API server.
import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverExamples } from '../../render/examples.js';
import { formatOutputs } from '../../render/format.js';
import { GrpcFunctionRunner } from '../../render/grpc.js';
import { readManifestPath, readManifestPaths } from '../../render/manifests.js';
import { renderPipeline } from '../../render/pipeline.js';
import { FUNCTION_NAME, loadCompositions, readRenderXr, renderFiles } from '../../render/render.js';
import { selectComposition } from '../../render/composition.js';
import { fetchInputs, DEBIAN, type ImageInputs } from '../../scripts/images/inputs.js';
import { buildRuntimeImages, RUNTIMES, type BuiltRuntime } from '../../scripts/images/runtime-images.js';
import { readTar } from '../../scripts/images/tar.js';
import { ARCHITECTURES, buildPackage, type RuntimeName } from '../../scripts/packages.js';
import { cliRequired, findCrossplaneCli } from '../support/crossplane-cli.js';
import { kubeApiServerOrSkip, startKubeApiServer, type KubeApiServer } from '../../testing/kube-apiserver.js';
import { installProviderCrds } from '../support/provider-cluster.js';
import { eventually } from '../support/runtime-cluster.js';
import { RestKubeClient } from '../../provider/src/runtime/kube.js';
import {
  hostArchitecture,
  mutualTLS,
  startEntrypoint,
  stop,
  unpackImage,
  whyImagesCannotRun,
  type ImageConfig,
} from '../support/image-root.js';
import { freePort } from '../../testing/wait.js';

const arch = hostArchitecture();
const why = whyImagesCannotRun() ?? (arch ? undefined : `no image is built for ${process.arch}`);
if (why) {
  // CI runs as root on Debian and sets this: there the test must run, never skip.
  if (process.env['STACKPLANE_REQUIRE_RUNTIME_IMAGES'] === '1') {
    throw new Error(`STACKPLANE_REQUIRE_RUNTIME_IMAGES=1 but ${why}`);
  }
  console.warn(`\n*** SKIPPING runtime image tests: ${why} ***\n`);
}

const NAMES = Object.keys(RUNTIMES) as RuntimeName[];
const cli = findCrossplaneCli();
if (!why && !cli && cliRequired)
  throw new Error('STACKPLANE_REQUIRE_CROSSPLANE_CLI=1 but the crossplane CLI is not installed');
const NONROOT_UID = 65532;
const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

let work: string;
let inputs: ImageInputs;
let first: Record<RuntimeName, BuiltRuntime>;
let second: Record<RuntimeName, BuiltRuntime>;

/** The entries of one file of a tar archive on disk. */
async function tarFile(archive: string, path: string): Promise<Buffer> {
  const entry = readTar(await readFile(archive)).find((e) => e.path === path);
  if (entry?.type !== 'file') throw new Error(`no ${path} in ${archive}`);
  return entry.data;
}

/** The uid a running process has, from /proc. */
async function uidOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
}

describe.skipIf(why)('runtime images', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stackplane-images-'));
    inputs = await fetchInputs(join(work, 'inputs'), ARCHITECTURES);
    first = await buildRuntimeImages(inputs, join(work, 'first'));
    second = await buildRuntimeImages(inputs, join(work, 'second'));
  }, 20 * 60_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it.each(NAMES)('%s: the same inputs give byte-identical images', async (name) => {
    expect(second[name].index).toBe(first[name].index);
    expect(await sha256(second[name].layout)).toBe(await sha256(first[name].layout));
    for (const a of ARCHITECTURES) {
      expect(second[name].manifests[a]).toBe(first[name].manifests[a]);
      expect(await sha256(second[name].tarballs[a])).toBe(await sha256(first[name].tarballs[a]));
    }
  });

  it.each(NAMES)('%s: one index of an amd64 and an arm64 image', async (name) => {
    const { layout, index } = first[name];
    const top = JSON.parse((await tarFile(layout, 'index.json')).toString()) as {
      manifests: Array<{ digest: string; mediaType: string }>;
    };
    expect(top.manifests.map((m) => [m.mediaType, m.digest])).toEqual([
      ['application/vnd.oci.image.index.v1+json', index],
    ]);
    const blob = async (digest: string) =>
      JSON.parse((await tarFile(layout, `blobs/sha256/${digest.slice(7)}`)).toString()) as Record<
        string,
        unknown
      >;
    const nested = (await blob(index)) as {
      manifests: Array<{ digest: string; platform: Record<string, string> }>;
    };
    expect(nested.manifests.map((m) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
    ]);
    for (const [i, a] of ARCHITECTURES.entries()) {
      const manifest = (await blob(nested.manifests[i]!.digest)) as { config: { digest: string } };
      expect(nested.manifests[i]!.digest).toBe(first[name].manifests[a]);
      expect(await blob(manifest.config.digest)).toMatchObject({ architecture: a, os: 'linux' });
    }
  });

  it(
    "labels the images with a release version when given one, else with package.json's",
    { timeout: 10 * 60_000 },
    async () => {
      const release = await buildRuntimeImages(inputs, join(work, 'release'), 'v9.8.7');
      const version = async (built: BuiltRuntime) => {
        const [manifest] = JSON.parse(
          (await tarFile(built.tarballs.amd64, 'manifest.json')).toString(),
        ) as Array<{
          Config: string;
        }>;
        const config = JSON.parse((await tarFile(built.tarballs.amd64, manifest!.Config)).toString()) as {
          config: { Labels: Record<string, string> };
        };
        return config.config.Labels['org.opencontainers.image.version'];
      };
      const packageVersion = (JSON.parse(await readFile('package.json', 'utf8')) as { version: string })
        .version;
      expect(await version(release['provider-stackplane'])).toBe('v9.8.7');
      expect(await version(first['provider-stackplane'])).toBe(`v${packageVersion}`);
    },
  );

  it.each(ARCHITECTURES)('the %s image holds Node.js and the C runtime for its architecture', async (a) => {
    const tarball = first['function-stackplane'].tarballs[a];
    const [manifest] = JSON.parse((await tarFile(tarball, 'manifest.json')).toString()) as Array<{
      Layers: string[];
    }>;
    const files = new Map<string, Buffer>();
    for (const layer of manifest!.Layers) {
      for (const e of readTar(gunzipSync(await tarFile(tarball, layer))))
        if (e.type === 'file') files.set(e.path, e.data);
    }
    // ELF e_machine: 0x3e x86-64, 0xb7 AArch64.
    const machine = { amd64: 0x3e, arm64: 0xb7 }[a];
    const loader = {
      amd64: 'lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
      arm64: 'lib/aarch64-linux-gnu/ld-linux-aarch64.so.1',
    }[a];
    const libstdcxx = {
      amd64: 'usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30',
      arm64: 'usr/lib/aarch64-linux-gnu/libstdc++.so.6.0.30',
    }[a];
    for (const path of ['nodejs/bin/node', loader, libstdcxx]) {
      expect(files.get(path)?.readUInt16LE(18), path).toBe(machine);
    }
  });

  it.skipIf(!cli).each(NAMES)('%s: the package embeds the image as its runtime', async (name) => {
    for (const a of ARCHITECTURES) {
      const xpkg = await buildPackage(cli!, name, join(work, 'xpkg'), {
        tarball: first[name].tarballs[a],
        arch: a,
      });
      expect(xpkg).toBe(join(work, 'xpkg', `${name}-${a}.xpkg`));
      const image = JSON.parse(
        (await tarFile(first[name].tarballs[a], 'manifest.json')).toString(),
      ) as Array<{
        Config: string;
        Layers: string[];
      }>;
      const pkg = JSON.parse((await tarFile(xpkg, 'manifest.json')).toString()) as Array<{
        Config: string;
        Layers: string[];
      }>;
      // The image's layers first, unchanged, then the package and its examples.
      expect(pkg[0]!.Layers.slice(0, image[0]!.Layers.length)).toEqual(image[0]!.Layers);
      expect(pkg[0]!.Layers).toHaveLength(image[0]!.Layers.length + 2);
      const config = JSON.parse((await tarFile(xpkg, pkg[0]!.Config)).toString()) as ImageConfig;
      const runtime = JSON.parse(
        (await tarFile(first[name].tarballs[a], image[0]!.Config)).toString(),
      ) as ImageConfig;
      expect(config).toMatchObject({ architecture: a, os: 'linux' });
      const { Labels, ...rest } = config.config;
      const { Labels: runtimeLabels, ...runtimeRest } = runtime.config;
      expect(rest).toEqual(runtimeRest);
      expect(Labels).toMatchObject(runtimeLabels!);
      expect(Object.values(Labels!).filter((v) => v === 'base')).toHaveLength(1);
    }
  });

  describe('unpacked and run as nonroot', () => {
    let root: string;
    let config: ImageConfig;
    beforeAll(async () => {
      ({ root, config } = await unpackImage(
        first['function-stackplane'].tarballs[arch!],
        join(work, 'run-function'),
      ));
    });

    it('has nothing but node and the app to run, and the nonroot user', async () => {
      expect(config.config).toMatchObject({
        User: `${NONROOT_UID}:${NONROOT_UID}`,
        Entrypoint: [
          '/nodejs/bin/node',
          '--max-semi-space-size=8',
          '--initial-old-space-size=64',
          'dist/functions/main.js',
        ],
        WorkingDir: '/app',
        ExposedPorts: { '9443/tcp': {} },
      });
      const exists = (path: string) =>
        stat(join(root, path)).then(
          () => true,
          () => false,
        );
      for (const path of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'usr/bin/apt', 'usr/bin/dpkg', 'bin/sh']) {
        expect(await exists(path), path).toBe(false);
      }
      expect(await readFile(join(root, 'etc/passwd'), 'utf8')).toContain(
        `nonroot:x:${NONROOT_UID}:${NONROOT_UID}:`,
      );
      expect((await stat(join(root, 'home/nonroot'))).uid).toBe(NONROOT_UID);
      // Production dependencies only.
      expect(await exists('app/node_modules/@grpc/grpc-js')).toBe(true);
      for (const dev of ['vitest', 'typescript', 'eslint', 'tsx'])
        expect(await exists(`app/node_modules/${dev}`), dev).toBe(false);
      // Scanners find the Debian packages; the CA bundle is there.
      for (const pkg of DEBIAN.packages) expect(await exists(`var/lib/dpkg/status.d/${pkg}`), pkg).toBe(true);
      expect(await readFile(join(root, 'etc/ssl/certs/ca-certificates.crt'), 'utf8')).toMatch(
        /^-----BEGIN CERTIFICATE-----/,
      );
    });

    describe('function-stackplane', () => {
      let fn: ReturnType<typeof startEntrypoint> | undefined;
      let tls: Awaited<ReturnType<typeof mutualTLS>>;
      let address: string;
      beforeAll(async () => {
        // Where Crossplane mounts the certificates it issues, readable by the image's user only.
        tls = await mutualTLS(join(work, 'tls'));
        const dir = join(root, 'tls/server');
        await mkdir(dir, { recursive: true });
        for (const [file, data] of [
          ['ca.crt', tls.ca],
          ['tls.crt', tls.server.cert],
          ['tls.key', tls.server.key],
        ] as const) {
          await writeFile(join(dir, file), data);
          await chown(join(dir, file), NONROOT_UID, NONROOT_UID);
          await chmod(join(dir, file), 0o400);
        }
        const port = await freePort();
        address = `127.0.0.1:${port}`;
        // The entrypoint as Crossplane runs it, on a free loopback port instead of :9443.
        fn = startEntrypoint(root, config, ['--address', address]);
        await eventually('function-stackplane listening', async () =>
          fn!.output().includes('listening')
            ? true
            : fn!.exitCode !== null
              ? Promise.reject(new Error(fn!.output()))
              : undefined,
        );
      });
      afterAll(async () => {
        await stop(fn);
      });

      it('runs as the nonroot user', async () => {
        expect(await uidOf(fn!.pid!)).toBe(NONROOT_UID);
      });

      it('serves RunFunction over mTLS with the answer the in-repo function gives', async () => {
        const [example] = (await discoverExamples()).filter((e) => e.name === 'storagetenant/basic');
        const { observedPath, requiredPaths } = example!.request;
        const xr = await readRenderXr(example!.request);
        const runner = new GrpcFunctionRunner(
          { [FUNCTION_NAME]: address },
          30_000,
          grpc.credentials.createSsl(tls.ca, tls.client.key, tls.client.cert),
        );
        try {
          const fromImage = await renderPipeline(runner, {
            xr,
            composition: selectComposition(xr, await loadCompositions('compositions')),
            observed: observedPath ? await readManifestPath(observedPath) : [],
            required: await readManifestPaths(requiredPaths),
          });
          expect(fromImage.composed.length).toBeGreaterThan(0);
          expect(formatOutputs(fromImage, { includeResults: true })).toBe(
            formatOutputs(await renderFiles(example!.request), { includeResults: true }),
          );
        } finally {
          runner.close();
        }
      });
    });
  });

  const kubeBinaries = why ? undefined : kubeApiServerOrSkip('runtime image of provider-stackplane');
  describe.skipIf(!kubeBinaries)('provider-stackplane', () => {
    let server: KubeApiServer;
    let provider: ReturnType<typeof startEntrypoint> | undefined;
    let metricsURL: string;
    beforeAll(async () => {
      server = await startKubeApiServer(kubeBinaries!);
      await installProviderCrds(new RestKubeClient(server.kubeConfig));
      const { root, config } = await unpackImage(
        first['provider-stackplane'].tarballs[arch!],
        join(work, 'run-provider'),
      );
      expect(config.config.Entrypoint).toEqual(['/nodejs/bin/node', 'dist/provider/src/main.js']);
      // In NODE_OPTIONS, so that a DeploymentRuntimeConfig's env can replace them; the provider
      // starting below proves Node.js accepts them there.
      expect(config.config.Env).toContain('NODE_OPTIONS=--max-old-space-size=256 --max-semi-space-size=8');
      // The API server's address in a kubeconfig the nonroot user can read, as a service account would be.
      await writeFile(join(root, 'tmp/kubeconfig'), server.kubeConfig.exportConfig());
      await chown(join(root, 'tmp/kubeconfig'), NONROOT_UID, NONROOT_UID);
      const port = await freePort();
      metricsURL = `http://127.0.0.1:${port}/metrics`;
      // Today's flags: metrics on --metrics-address (default :8080), moved to a free port here.
      provider = startEntrypoint(root, config, ['--metrics-address', `127.0.0.1:${port}`], {
        KUBECONFIG: '/tmp/kubeconfig',
      });
    });
    afterAll(async () => {
      await stop(provider);
      await server?.stop();
    });

    it('starts as nonroot against the API server and serves its metrics', async () => {
      const metrics = await eventually(
        'provider metrics',
        () =>
          new Promise<string | undefined>((resolve) => {
            request(metricsURL, (res) => {
              let body = '';
              res.on('data', (d: Buffer) => (body += d.toString()));
              res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
            })
              .on('error', () =>
                resolve(provider!.exitCode !== null ? `exited: ${provider!.output()}` : undefined),
              )
              .end();
          }),
        60_000,
      );
      expect(metrics).toContain('stackplane_managed_reconciles_total');
      expect(metrics).toContain('process_cpu_seconds_total');
      expect(await uidOf(provider!.pid!)).toBe(NONROOT_UID);
      expect(provider!.output()).toContain('starting provider-stackplane');
      expect(provider!.exitCode).toBeNull();
    });
  });
});
