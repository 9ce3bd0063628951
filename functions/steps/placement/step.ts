import { PlacementAPIInput } from '../../../apis/functions/placement-input.js';
import {
  PlacementAPI,
  placementAdoptedSchema,
  type PlacementAdopted,
} from '../../../apis/openstack/placementapi.js';
import { requeueWhile } from '../../requeue.js';
import { VALID_CONDITION } from '../../objects.js';
import { composer } from '../../composer.js';
import { defineStep, type KubeObject, type StepResponse } from '../../types.js';
import { allReady, placementConditions, type Progress } from './conditions.js';
import { configHash, configSecret } from './config.js';
import { databaseAccountReady, databaseBackendProblem, databaseResources } from './database.js';
import { dbSyncJob } from './dbsync.js';
import { deployment } from './deployment.js';
import { endpointURLs } from './endpoints.js';
import { API_PODS, inputProblems, requirementsFor } from './inputs.js';
import { keystoneResources, keystoneWarnings } from './keystone.js';
import { RESOURCE, databaseHostname, type Placement } from './names.js';
import { attachmentIPs } from './network.js';
import { PUBLIC_EXPOSURE, publicExposure, publicExposureProblem } from './public-endpoint.js';
import { rbacResources } from './rbac.js';
import { TOPOLOGY, podTopology, topologyCondition, topologyRefProblem } from './topology.js';
import { asObserved, deploymentReady, jobComplete, readyReplicas } from '../../observed.js';
import { serviceResources } from './services.js';

/** Composition resource name of the db-sync Job for a config hash: a new hash is a new Job. */
export const dbSyncResourceName = (hash: string): string => `${RESOURCE.dbSync}-${hash.slice(0, 10)}`;

/**
 * Composes an OpenStack Placement service in order: config, RBAC, Services and database first;
 * db-sync once the database and input Secrets are there; the Deployment once db-sync completed;
 * the Keystone registration once the Deployment is ready. Ready only when every part is.
 */
export const placementStep = defineStep({
  input: PlacementAPIInput,
  composite: PlacementAPI,
  run({ composite, spec, input, observed, required }) {
    const meta = composite['metadata'] as { name: string; namespace?: string };
    const adopted = adoptedOf(composite);
    const p: Placement = {
      name: meta.name,
      namespace: meta.namespace ?? 'default',
      spec,
      input,
      ...(adopted ? { adopted } : {}),
    };
    const refused = refusal(p);
    if (refused) return refused;
    const requirements = requirementsFor(p);
    // Until Crossplane has fetched what the step reads, change nothing and ask for it.
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { requirements };
    }
    const { composed, put, exists, ready } = composer(observed);

    const inputs = inputProblems(p, required);
    const hash = configHash(p);
    put({ [RESOURCE.configSecret]: configSecret(p) }, exists);
    // The RoleBinding follows its Role: the API server checks a binding against the Role it names
    // (Crossplane holds the Role's rules, not bind), and answers NotFound while that Role is missing.
    const rbac = rbacResources(p);
    if (!exists(RESOURCE.role) && !exists(RESOURCE.roleBinding)) delete rbac[RESOURCE.roleBinding];
    put(rbac, exists);
    put(serviceResources(p), exists);
    const exposure = publicExposure(p);
    if (exposure) put({ [PUBLIC_EXPOSURE]: exposure }, exists);
    const database = databaseResources(p);
    put(database, ready);
    const databaseReady = ready(RESOURCE.database);
    const accountReady = databaseAccountReady(database, ready);

    // db-sync: status.hash.dbsync remembers the hash it completed for, so the Job can go.
    const previous = (composite['status'] as { hash?: { dbsync?: string } } | undefined)?.hash?.dbsync;
    const jobName = dbSyncResourceName(hash);
    const syncedNow = previous === hash || jobComplete(observed[jobName]);
    const inputsReady = !inputs.secret && !inputs.tls;
    const dbSync = dbSyncProgress(syncedNow, inputsReady, databaseReady && accountReady);
    const keepJob =
      dbSync === 'Running' ||
      (!syncedNow && exists(jobName)) ||
      (syncedNow && (previous !== hash || spec.preserveJobs));
    if (keepJob) put({ [jobName]: dbSyncJob(p, hash) }, () => syncedNow);

    // The Deployment waits for the first db-sync; later config changes roll it with the new hash.
    const syncedOnce = syncedNow || previous !== undefined;
    // A referenced Topology must exist first, as with the operator; an existing Deployment is kept.
    const topology = required[TOPOLOGY]?.[0];
    const topologyWaits = spec.topologyRef !== undefined && topology === undefined;
    const observedDeployment = observed[RESOURCE.deployment];
    if ((syncedOnce && !topologyWaits) || observedDeployment) {
      put(
        {
          [RESOURCE.deployment]:
            topologyWaits && observedDeployment
              ? asObserved(observedDeployment)
              : deployment(p, hash, topology ? podTopology(p, topology) : undefined),
        },
        () => deploymentReady(observed[RESOURCE.deployment], spec.replicas),
      );
    }
    const apiReady = deploymentReady(observed[RESOURCE.deployment], spec.replicas);

    // Register in Keystone only once the API answers, as the original did; never unregister after.
    const keystone = keystoneResources(p);
    const registered = apiReady || Object.keys(keystone).some(exists);
    if (registered) put(keystone, ready);
    const keystoneNames = Object.keys(keystone);
    const endpointNames = keystoneNames.filter((n) => n.startsWith('keystone-endpoint'));

    const wanted = spec.networkAttachments ?? [];
    const ips = attachmentIPs(wanted, p.namespace, required[API_PODS] ?? []);
    const readyCount = readyReplicas(observed[RESOURCE.deployment]);
    const progress: Progress = {
      inputs,
      configReady: exists(RESOURCE.configSecret),
      rbac: {
        serviceAccount: exists(RESOURCE.serviceAccount),
        role: exists(RESOURCE.role),
        roleBinding: exists(RESOURCE.roleBinding),
      },
      servicesReady: [
        RESOURCE.serviceInternal,
        RESOURCE.servicePublic,
        ...(exposure ? [PUBLIC_EXPOSURE] : []),
      ].every(exists),
      databaseReady,
      accountReady,
      dbSync,
      deployment: {
        ready: apiReady,
        readyCount,
        replicas: spec.replicas,
        created: exists(RESOURCE.deployment),
      },
      keystone: {
        registered,
        serviceReady: registered && keystoneNames.filter((n) => !endpointNames.includes(n)).every(ready),
        endpointsReady: registered && endpointNames.every(ready),
      },
      networksMissing: wanted.filter((a) => (ips[a]?.length ?? 0) < Math.max(readyCount, 1)),
    };
    const conditions = [
      ...placementConditions(progress),
      ...topologyCondition(p, topology, reportedTopology(composite)),
    ];
    return {
      composed,
      requirements,
      conditions,
      results: keystoneWarnings(p, observed[RESOURCE.keystoneRoleAssignment]),
      status: {
        readyCount,
        databaseHostname: databaseHostname(p),
        endpoints: endpointURLs(p),
        ...(wanted.length > 0 ? { networkAttachments: ips } : {}),
        hash: { config: hash, ...(syncedNow ? { dbsync: hash } : previous ? { dbsync: previous } : {}) },
        ...(adopted ? { adopted } : {}),
      },
      ...(allReady(conditions) ? {} : { compositeReady: false as const }),
      // The input Secrets and the API pods' network status are read, not composed: nothing re-runs
      // the step when they appear.
      ...requeueWhile(
        inputs.secret !== undefined ||
          topologyWaits ||
          inputs.tls !== undefined ||
          (exists(RESOURCE.deployment) && progress.networksMissing.length > 0),
      ),
    };
  },
});

/**
 * Refuses a topologyRef, public exposure or database backend the step cannot honour: a fatal result,
 * nothing changed.
 */
function refusal(p: Placement): StepResponse | undefined {
  const refused = topologyRefProblem(p);
  if (refused) {
    const message = `invalid PlacementAPI ${p.namespace}/${p.name}: ${refused}`;
    return {
      results: [{ severity: 'Fatal', reason: 'InvalidSpec', message }],
      conditions: [{ type: VALID_CONDITION, status: 'False', reason: 'InvalidSpec', message }],
    };
  }
  const exposureProblem = publicExposureProblem(p) ?? databaseBackendProblem(p);
  if (!exposureProblem) return undefined;
  const message = `cannot compose PlacementAPI ${p.namespace}/${p.name}: ${exposureProblem}`;
  return { results: [{ severity: 'Fatal', reason: 'InvalidInput', message }] };
}

/** Where db-sync stands: done for this config, or what it waits for before it runs. */
function dbSyncProgress(synced: boolean, inputsReady: boolean, databaseReady: boolean): Progress['dbSync'] {
  if (synced) return 'Completed';
  if (!inputsReady) return 'WaitingForInputs';
  return databaseReady ? 'Running' : 'WaitingForDatabase';
}

/** Whether the composite reported a TopologyReady condition before: it then keeps reporting one. */
function reportedTopology(composite: KubeObject): boolean {
  const conditions = (composite['status'] as { conditions?: Array<{ type?: unknown }> } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'TopologyReady') ?? false;
}

/** What a migration recorded in status of the objects this resource took over; invalid is none. */
function adoptedOf(composite: KubeObject): PlacementAdopted | undefined {
  const recorded = (composite['status'] as { adopted?: unknown } | undefined)?.adopted;
  if (recorded === undefined) return undefined;
  const parsed = placementAdoptedSchema.safeParse(recorded);
  return parsed.success ? parsed.data : undefined;
}
