import { DataServiceInput } from '../../../apis/functions/data-service-input.js';
import { BlobStorage, type BlobStorageSpec } from '../../../apis/data/blobstorage.js';
import { Postgres, type PostgresSpec } from '../../../apis/data/postgres.js';
import { Redis, type RedisSpec } from '../../../apis/data/redis.js';
import { SMTPCredentials, type SMTPCredentialsSpec } from '../../../apis/data/smtpcredentials.js';
import { VALID_CONDITION } from '../../objects.js';
import {
  CONTROLLER_ID_CONFIG,
  KUBE_SYSTEM_NAMESPACE,
  controllerIdRequirements,
  resolveControllerId,
} from '../../naming/controller-id.js';
import { requeueWhile } from '../../requeue.js';
import {
  defineStep,
  type DesiredResource,
  type KubeObject,
  type StepResponse,
  type StepResult,
} from '../../types.js';
import type { ComposeRequest, Composer, DataComposite } from './composer.js';
import { composers, RESOURCE_TYPE_OF_KIND } from './composers.js';
import { CONNECTION_SECRET, connectionSecret } from './connection.js';
import { managementPolicies } from './managed.js';
import { composeObservingOnly } from './observe-only.js';
import { resolvePlacement } from './placement.js';
import { DEPRECATED_CONDITION, resolveSecretName } from './secret-ref.js';
import { platformConfig } from './platform.js';
import { cloudTags, workloadLabels } from './tags.js';
import { conditionOf } from '../../observed.js';

/**
 * Composes a data service: resolves the deployment type to a provider and the tier to a strategy
 * (platform tables from the Composition input, overridden by the platform EnvironmentConfig), keeps
 * both once chosen, lets the provider's module compose, and adds the connection Secret.
 */
export const dataServiceStep = defineStep({
  input: DataServiceInput,
  composite: [Postgres, Redis, BlobStorage, SMTPCredentials],
  run({ composite, spec, input, observed, required, random }) {
    const xr = dataComposite(composite);
    const requirements = controllerIdRequirements(input.environmentConfig?.name);
    // Until Crossplane has fetched what the step needs, change nothing and ask for it.
    if (Object.keys(requirements).some((name) => required[name] === undefined)) {
      return { requirements };
    }
    const refuse = (reason: string, message: string, invalidSpec: boolean): StepResponse => ({
      requirements,
      results: [{ severity: 'Fatal', reason, message }],
      ...(invalidSpec ? { conditions: [{ type: VALID_CONDITION, status: 'False', reason, message }] } : {}),
    });
    const what = `${xr.kind} ${xr.namespace}/${xr.name}`;

    const environmentConfig = required[CONTROLLER_ID_CONFIG]?.[0];
    const config = platformConfig(input, environmentConfig);
    if ('problem' in config)
      return refuse('InvalidPlatformConfig', `cannot compose ${what}: ${config.problem}`, false);
    const controllerId = resolveControllerId({
      pinned: input.controllerID,
      environmentConfig,
      environmentConfigName: input.environmentConfig?.name,
      kubeSystem: required[KUBE_SYSTEM_NAMESPACE]?.[0],
    });
    if ('problem' in controllerId)
      return refuse('MissingControllerID', `cannot compose ${what}: ${controllerId.problem}`, false);

    const secretName = resolveSecretName({
      xrName: xr.name,
      namespace: xr.namespace,
      spec,
      deprecatedBefore: conditionOf(composite, DEPRECATED_CONDITION) !== undefined,
    });
    if ('refused' in secretName)
      return refuse(secretName.refused.reason, `cannot compose ${what}: ${secretName.refused.message}`, true);

    const placement = resolvePlacement({
      resourceType: xr.resourceType,
      spec,
      recorded: { provider: stringOrUndefined(xr.status['provider']) },
      platform: config.platform,
    });
    if ('reason' in placement)
      return refuse(placement.reason, `cannot compose ${what}: ${placement.message}`, true);
    const compose = composers[xr.resourceType][placement.provider];
    if (!compose) {
      return refuse(
        'UnsupportedProvider',
        `cannot compose ${what}: provider ${placement.provider} does not offer ${xr.resourceType} yet`,
        false,
      );
    }
    const composeWith = composerOver(compose, {
      xr,
      spec,
      tier: placement.tier,
      strategy: placement.strategy,
      platform: config.platform,
      controllerId: controllerId.id,
      connectionSecretName: secretName.name,
      required,
      random,
    });
    let out = composeWith(observed);
    if ('refused' in out)
      return refuse(out.refused.reason, `cannot compose ${what}: ${out.refused.message}`, true);

    const results: StepResult[] = (out.warnings ?? []).map((message) => ({
      severity: 'Warning',
      reason: 'Ignored',
      message,
    }));
    // skipCreate in the cluster: create or change nothing, compose from what exists.
    if (spec.skipCreate && placement.provider === 'in-cluster') {
      const observing = composeObservingOnly({
        compose: composeWith,
        first: out,
        observed,
        required,
        what,
        namespace: xr.namespace,
      });
      if ('needs' in observing) return { requirements: { ...requirements, ...observing.needs } };
      if ('refused' in observing)
        return refuse(observing.refused.reason, `cannot compose ${what}: ${observing.refused.message}`, true);
      out = observing.composed;
      results.push(...observing.results);
    }

    const composed: Record<string, DesiredResource> = { ...out.resources };
    const secret = connectionSecret({
      name: secretName.name,
      namespace: xr.namespace,
      labels: workloadLabels(xr.resourceType, xr.name),
      values: out.connection,
      observed: observed[CONNECTION_SECRET],
    });
    if (secret) composed[CONNECTION_SECRET] = secret;
    const allRequirements = { ...requirements, ...out.requirements };
    // A new requirement (a provider-written Secret) is fetched before anything is judged ready.
    return {
      composed,
      requirements: allRequirements,
      status: {
        provider: placement.provider,
        strategy: placement.tier,
        connectionSecret: secretName.name,
        ...out.status,
      },
      conditions: [placement.condition, ...secretName.conditions, ...(out.conditions ?? [])],
      results,
      ...(out.connection ? {} : { compositeReady: false as const }),
      // Everything composed is ready but the connection details are not: they wait on a Secret a
      // provider writes, which is read, not composed, so nothing else re-runs the step for it.
      ...requeueWhile(!out.connection && Object.values(out.resources).every((r) => r.ready === true)),
    };
  },
});

/** The facts about the observed composite a data service step works from. */
function dataComposite(composite: KubeObject): DataComposite {
  const metadata = (composite['metadata'] ?? {}) as {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  return {
    kind: String(composite['kind']),
    name: metadata.name ?? '',
    namespace: metadata.namespace ?? '',
    resourceType: RESOURCE_TYPE_OF_KIND[String(composite['kind'])] ?? 'postgres',
    status: (composite['status'] ?? {}) as Record<string, unknown>,
    annotations: metadata.annotations ?? {},
  };
}

/** The spec of any data service kind, as the step is given it. */
type DataServiceSpec = PostgresSpec | RedisSpec | BlobStorageSpec | SMTPCredentialsSpec;

/** What a data service composes over a given set of observed resources, with everything else fixed. */
type ComposeOver = (observed: Readonly<Record<string, KubeObject>>) => ReturnType<Composer>;

/**
 * The provider module's composition, its request completed from the resolved facts: management
 * policies, cloud tags and workload labels. Observed resources stay open, as observing-only
 * composition runs it again over what exists.
 */
function composerOver(
  compose: Composer,
  facts: Omit<ComposeRequest<DataServiceSpec, unknown>, 'policies' | 'tags' | 'labels' | 'observed'>,
): ComposeOver {
  const { xr, spec, controllerId, platform } = facts;
  const tags = cloudTags(
    {
      controllerId,
      resourceType: xr.resourceType,
      namespace: xr.namespace,
      name: xr.name,
      productName: spec.productName,
      deploymentType: spec.type,
    },
    platform.aws.tags,
  );
  const policies = managementPolicies(spec.skipCreate);
  const labels = workloadLabels(xr.resourceType, xr.name);
  return (observed) => compose({ ...facts, policies, tags, labels, observed });
}

const stringOrUndefined = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
