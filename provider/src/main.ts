#!/usr/bin/env node
// provider-stackplane: the managed resources of the reseller API and the block-storage API.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { FlagError, parseFlags, USAGE, type ProviderFlags } from './flags.js';
import { providerKinds, registerProviderKinds } from './kinds.js';
import { newProviderLogger } from './logger.js';
import { adoptionGrantsFrom, adoptionGrantType } from './reseller/adoption-grants.js';
import { messageOf } from './runtime/conditions.js';
import { firstContact } from './runtime/first-contact.js';
import { RestKubeClient } from './runtime/kube.js';
import { Manager, runUntilSignalled } from './runtime/manager.js';
import { providerConfigTypes } from './runtime/providerconfig.js';
import { loadRestConfig, RestConfigError } from './runtime/rest-config.js';
import { kubeSecretReader } from './secret-key.js';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}

let flags: ProviderFlags;
try {
  flags = parseFlags(argv, process.env);
} catch (error) {
  if (!(error instanceof FlagError)) throw error;
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}

const logger = newProviderLogger({ debug: flags.debug });
for (const warning of flags.warnings) logger.warn(warning);
// KUBECONFIG (or ~/.kube/config) when set, else the pod's service account; none is fatal, as in Go.
let kubeConfig;
try {
  kubeConfig = loadRestConfig();
} catch (error) {
  if (!(error instanceof RestConfigError)) throw error;
  logger.error(error.message);
  console.error(`provider-stackplane: ${error.message}`);
  process.exit(1);
}
const kube = new RestKubeClient(kubeConfig);
// A server that does not answer, or refuses these credentials, is fatal too; one still starting
// (429, 5xx) is waited for within a bound.
const server = kubeConfig.getCurrentCluster()?.server ?? '';
try {
  const firstList = new RestKubeClient(kubeConfig, 10_000);
  await firstContact(() => firstList.list(providerConfigTypes.ProviderConfig, flags.namespace));
} catch (error) {
  const message = `cannot reach the API server at ${server}: ${messageOf(error)}`;
  logger.error(message);
  console.error(`provider-stackplane: ${message}`);
  process.exit(1);
}
// The pod name identifies a replica; the suffix keeps a restarted one from taking over a stale lease.
const identity = `${process.env['POD_NAME'] ?? hostname()}-${randomBytes(4).toString('hex')}`;

const manager = new Manager({
  kubeConfig,
  kube,
  logger,
  component: 'provider-stackplane',
  metricsPort: flags.metrics.port,
  metricsHost: flags.metrics.host,
  healthProbePort: flags.healthProbes.port,
  healthProbeHost: flags.healthProbes.host,
  syncIntervalMs: flags.syncIntervalMs,
  leaderElection: flags.leaderElection
    ? { namespace: flags.providerNamespace, name: 'provider-stackplane', identity }
    : false,
  pollIntervalMs: flags.pollIntervalMs,
  pollJitter: flags.pollJitter,
  pollStateMetricIntervalMs: flags.pollStateMetricIntervalMs,
  // As crossplane-runtime's --max-reconcile-rate: reconciles at once, and per second (with a burst of
  // ten seconds' worth) of each provider config's external API.
  providerConfigRateLimit: { ratePerSecond: flags.maxReconcileRate, burst: flags.maxReconcileRate * 10 },
  controller: {
    concurrency: flags.maxReconcileRate,
    queue: { ratePerSecond: flags.maxReconcileRate, burst: flags.maxReconcileRate * 10 },
  },
  providerNamespace: flags.providerNamespace,
  ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
});
registerProviderKinds(
  manager,
  providerKinds({
    readSecret: kubeSecretReader(kube),
    log: logger,
    outbound: flags.outbound,
    ownership: {
      grants: adoptionGrantsFrom(manager.cache(adoptionGrantType)),
      unmarkedBefore: flags.adoptUnmarkedCreatedBefore,
    },
  }),
);
logger.info(
  {
    namespace: flags.namespace ?? '*',
    pollIntervalMs: flags.pollIntervalMs,
    pollJitter: flags.pollJitter,
    pollStateMetricIntervalMs: flags.pollStateMetricIntervalMs,
    syncIntervalMs: flags.syncIntervalMs,
    maxReconcileRate: flags.maxReconcileRate,
    leaderElection: flags.leaderElection,
    providerNamespace: flags.providerNamespace,
    adoptUnmarkedCreatedBefore: flags.adoptUnmarkedCreatedBefore?.toISOString(),
  },
  'starting provider-stackplane',
);
runUntilSignalled(manager, logger).catch((error: unknown) => {
  logger.error({ err: messageOf(error) }, 'cannot start provider');
  process.exit(1);
});
