import { z } from 'zod';
import { StorageTenant } from '../../apis/storage/storagetenant.js';
import type { Inventory, KubeObject, MigrationSource, OriginalRef, PlanEntry } from '../plan.js';

/** The duros-controller's API (metal-stack/duros-controller api/v1). */
export const DUROS_GROUP = 'storage.metal-stack.io';
export const DUROS_API_VERSION = `${DUROS_GROUP}/v1`;
/** The finalizer the controller declares (controllers/duros_controller.go DurosFinalizerName). */
export const DUROS_FINALIZER = 'storage.metal-stack.io/finalizer';

/** The provider-kubernetes config kind through which a StorageTenant reaches the tenant's cluster. */
const PROVIDER_KUBERNETES_API_VERSION = 'kubernetes.m.crossplane.io/v1alpha1';

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const durosSchema = z.object({
  spec: z.object({
    metalProjectID: z.string().optional(),
    storageClasses: z
      .array(
        z.object({
          name: z.string(),
          replicas: z.number().int(),
          compression: z.boolean(),
          // The CRD requires it, yet upstream's own sample leaves it out: Go reads that as false.
          default: z.boolean().default(false),
          encryption: z.boolean().optional(),
        }),
      )
      .optional(),
  }),
  status: z
    .object({
      reconcileStatus: z
        .object({ lastReconcile: z.string().optional(), error: z.string().optional() })
        .optional(),
      managedResourceStatuses: z
        .array(z.object({ name: z.string(), group: z.string().optional(), state: z.string().optional() }))
        .optional(),
    })
    .default({}),
});
type Duros = z.output<typeof durosSchema>;
type DurosClass = NonNullable<Duros['spec']['storageClasses']>[number];

/**
 * metal-stack's duros-controller: each Duros becomes a StorageTenant that adopts the storage project
 * named after the cloud project (and its root credential) and composes the StorageClasses and the
 * Lightbits CSI driver the controller deployed, as they were: reclaim policy Delete and immediate
 * binding, as the controller's classes had.
 */
export const durosController: MigrationSource = {
  name: 'duros-controller',
  // As its manifest installs it (config/manager/duros-controller.yaml): Deployment duros/duros-controller.
  operator: { namespace: 'duros', name: 'duros-controller' },
  // Its reconcile loop redeploys the driver, classes and token Secret it manages on every pass
  // (controllers/duros_controller.go): beside the StorageTenant, both would rewrite them.
  stopsFirst:
    'it redeploys the Lightbits CSI driver, the StorageClasses and Secret lb-csi-creds that the StorageTenant composes',
  kinds: [{ group: DUROS_GROUP, version: 'v1', kind: 'Duros', plural: 'duros' }],
  plan(inventory: Inventory): PlanEntry[] {
    const originals = inventory.objects.filter(
      (o) => o.apiVersion === DUROS_API_VERSION && o.kind === 'Duros',
    );
    const local = originals.filter(
      (o) => providerConfigsIn(inventory.objects, o.metadata.namespace).length === 0,
    );
    return originals.map((object) => planDuros(object, inventory.objects, local.length));
  },
};

function planDuros(object: KubeObject, objects: readonly KubeObject[], localCount: number): PlanEntry {
  const original: OriginalRef = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
  };
  const refuse = (reasons: string[]): PlanEntry => ({ outcome: 'refuse', original, reasons });
  const parsed = durosSchema.safeParse(object);
  if (!parsed.success)
    return refuse(
      parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(object)'}: ${issue.message}; fix the original and plan again`,
      ),
    );
  const { spec, status } = parsed.data;
  const namespace = object.metadata.namespace ?? '';

  const reconcile = status.reconcileStatus;
  if (reconcile?.error)
    return refuse([
      `status.reconcileStatus.error says "${reconcile.error}": the duros-controller's last reconcile failed, ` +
        'so the storage project or the driver may be incomplete; fix that first and plan again',
    ]);
  if (!reconcile?.lastReconcile)
    return refuse([
      'status.reconcileStatus.lastReconcile is empty: the duros-controller never reconciled it, so there is ' +
        'no storage project to adopt; let it reconcile and plan again',
    ]);

  const reasons: string[] = [];
  const projectID = spec.metalProjectID ?? '';
  if (projectID === '')
    reasons.push(
      'spec.metalProjectID is empty: there is no storage project to adopt; set it to the cloud project id ' +
        'the storage project is named after and plan again',
    );
  const classes = spec.storageClasses ?? [];
  if (classes.length === 0)
    reasons.push(
      'spec.storageClasses is empty: the duros-controller refuses that too (at least one storageclass must ' +
        'be defined); add the classes the cluster uses and plan again',
    );
  reasons.push(...classReasons(classes));
  const configs = providerConfigsIn(objects, namespace);
  if (configs.length > 1)
    reasons.push(
      `namespace ${namespace} holds provider-kubernetes ProviderConfigs ${configs.join(', ')}, so the tenant's ` +
        'cluster is ambiguous; keep only the one that reaches it and plan again',
    );
  if (configs.length === 0 && localCount > 1)
    reasons.push(
      `${localCount} Duros have no provider-kubernetes ProviderConfig (${PROVIDER_KUBERNETES_API_VERSION}) in ` +
        'their namespace, and a StorageTenant without spec.target deploys into this cluster, one tenant per ' +
        "cluster; create a ProviderConfig reaching each tenant's cluster in its Duros's namespace and plan again",
    );
  if (reasons.length > 0) return refuse(reasons);

  const target = configs[0];
  const tenantName =
    namespace === '' || namespace === object.metadata.name
      ? object.metadata.name
      : `${namespace}-${object.metadata.name}`;
  const where = target
    ? `the tenant's cluster through ProviderConfig ${namespace}/${target}`
    : 'this cluster';
  const notRunning = (status.managedResourceStatuses ?? []).filter((r) => r.state && r.state !== 'Running');
  return {
    outcome: 'migrate',
    original,
    platform: [],
    resources: [
      {
        apiVersion: `${StorageTenant.group}/${StorageTenant.version}`,
        kind: StorageTenant.kind,
        metadata: { name: tenantName },
        spec: {
          projectID,
          storageClasses: classes.map(storageClass),
          ...(target
            ? { target: { namespace, providerConfigRef: { kind: 'ProviderConfig', name: target } } }
            : {}),
        },
      },
    ],
    adopted: [
      { what: 'storage project', externalName: projectID },
      { what: 'storage credential', externalName: `${projectID}:root` },
    ],
    release: {
      finalizers: (object.metadata.finalizers ?? []).filter((f) => f === DUROS_FINALIZER),
      orphanDependents: true,
    },
    notes: [
      `adopts storage project ${projectID} and its credential root by name; the StorageTenant composes them ` +
        'without the Delete policy, so deleting it keeps them, as the duros-controller did',
      `composes in ${where} what the duros-controller deployed there: StorageClasses ` +
        `${classes.map((c) => c.name).join(', ')}, the Lightbits CSI driver (kube-system/lb-csi-controller, ` +
        'kube-system/lb-csi-node) and Secret kube-system/lb-csi-creds; --apply scales the duros-controller down ' +
        'before applying the StorageTenant, as it rewrites what it deployed on every reconcile',
      "reclaimPolicy Delete and volumeBindingMode Immediate, as the duros-controller's classes had (Stackplane's " +
        'default is Retain); a class whose parameters differ is recreated under the same name, and volumes keep theirs',
      'the duros-controller took the storage endpoints from its command line: the StorageTenant reads ' +
        'data.storage.endpoints of EnvironmentConfig stackplane-storage',
      ...(target
        ? []
        : [
            'Secret kube-system/lb-csi-creds, which the duros-controller wrote without an owner, must be deleted ' +
              "once the StorageTenant is applied: provider-stackplane's Token writes only a Secret it controls, " +
              'and signs a new token with the admin key (no call to the storage API); until it has, new volumes ' +
              'wait, mounted ones are untouched',
          ]),
      ...notRunning.map(
        (r) =>
          `status.managedResourceStatuses says ${r.name} is ${r.state ?? ''}: the StorageTenant is Ready only once the CSI pods are`,
      ),
    ],
  };
}

/** Why the classes cannot become a StorageTenant's as they are, each naming its index. */
function classReasons(classes: readonly DurosClass[]): string[] {
  const reasons: string[] = [];
  const first = new Map<string, number>();
  classes.forEach((c, index) => {
    const at = `spec.storageClasses[${index}]`;
    if (!DNS_1123_SUBDOMAIN.test(c.name))
      reasons.push(
        `${at}.name "${c.name}" is not a DNS-1123 subdomain, so no StorageClass has that name; fix it and plan again`,
      );
    const seen = first.get(c.name);
    if (seen !== undefined)
      reasons.push(`${at}.name "${c.name}" repeats storageClasses[${seen}]; remove one and plan again`);
    else first.set(c.name, index);
    if (c.replicas < 1 || c.replicas > 3)
      reasons.push(
        `${at}.replicas ${c.replicas}: the storage keeps 1 to 3 copies of a volume; set 1, 2 or 3 and plan again`,
      );
    if (c.encryption && c.compression)
      reasons.push(
        `${at}: compression and encryption are both true, which Stackplane refuses (encrypted volumes are not ` +
          'compressed); set compression: false on the original and plan again',
      );
  });
  const defaults = classes.flatMap((c, index) => (c.default ? [`storageClasses[${index}]`] : []));
  if (defaults.length > 1)
    reasons.push(
      `spec.storageClasses: ${defaults.join(' and ')} are all the default; at most one class can be, so set ` +
        'default: false on all but one and plan again',
    );
  return reasons;
}

/** A StorageTenant class with the duros-controller's behaviour spelled out. */
function storageClass(c: DurosClass): Record<string, unknown> {
  return {
    name: c.name,
    replicas: c.replicas,
    compression: c.compression,
    ...(c.encryption ? { encryption: true } : {}),
    default: c.default,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  };
}

/** Names of the provider-kubernetes ProviderConfigs in a namespace, sorted. */
function providerConfigsIn(objects: readonly KubeObject[], namespace: string | undefined): string[] {
  return objects
    .filter(
      (o) =>
        o.apiVersion === PROVIDER_KUBERNETES_API_VERSION &&
        o.kind === 'ProviderConfig' &&
        o.metadata.namespace === namespace,
    )
    .map((o) => o.metadata.name)
    .sort();
}
