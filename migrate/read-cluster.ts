/**
 * Reads an inventory from a cluster: every original of the sources' kinds (in all namespaces or the
 * selected ones), the Secrets beside them (in the originals' namespaces, the namespaces their
 * `spec.secretRef` names, and the operators' own, where the pco operator keeps its id), and what each
 * source reads alongside (the cloud-resource-operator's strategy ConfigMap and cluster id).
 */
import type { Cluster } from './cluster.js';
import type { Alongside, Inventory, KubeObject, MigrationSource } from './plan.js';

export interface ReadOptions {
  /** Only originals of these namespaces; all when empty. Cluster-scoped originals are always read. */
  namespaces: string[];
  /** Namespaces whose Secrets are read besides the originals' (the operators' own). */
  secretNamespaces: string[];
  /** Each source's operator Deployment, by source name: where its `inOperatorNamespace` objects are. */
  operators: ReadonlyMap<string, { namespace: string }>;
}

function secretRefNamespace(object: KubeObject): string | undefined {
  const ref = (object['spec'] as { secretRef?: { namespace?: unknown } } | undefined)?.secretRef;
  return typeof ref?.namespace === 'string' ? ref.namespace : undefined;
}

export async function readCluster(
  cluster: Cluster,
  sources: MigrationSource[],
  options: ReadOptions,
): Promise<Inventory> {
  const originals: KubeObject[] = [];
  const companions: KubeObject[] = [];
  for (const source of sources)
    for (const kind of source.kinds) {
      const all = await cluster.list(`${kind.group}/${kind.version}`, kind.kind);
      (kind.companion ? companions : originals).push(
        ...all.filter(
          (o) =>
            options.namespaces.length === 0 ||
            o.metadata.namespace === undefined ||
            options.namespaces.includes(o.metadata.namespace),
        ),
      );
    }
  const namespaces = new Set([
    ...options.secretNamespaces,
    ...options.namespaces,
    ...originals.flatMap((o) => [o.metadata.namespace, secretRefNamespace(o)].filter((n) => n !== undefined)),
  ]);
  const secrets: KubeObject[] = [];
  for (const namespace of [...namespaces].sort())
    secrets.push(...(await cluster.list('v1', 'Secret', namespace)));
  const alongside: KubeObject[] = [];
  for (const source of sources)
    for (const wanted of source.alongside ?? []) {
      const found = await readAlongside(cluster, wanted, options.operators.get(source.name)?.namespace);
      if (found) alongside.push(found);
    }
  return { objects: [...originals, ...companions, ...secrets, ...alongside] };
}

/**
 * One object a source reads alongside, if it exists: listed rather than got, so a kind the cluster
 * does not serve (an Infrastructure off OpenShift) is simply absent and the plan says what is missing.
 */
async function readAlongside(
  cluster: Cluster,
  wanted: Alongside,
  operatorNamespace: string | undefined,
): Promise<KubeObject | undefined> {
  if (wanted.inOperatorNamespace && operatorNamespace === undefined) return undefined;
  const namespace = wanted.inOperatorNamespace ? operatorNamespace : undefined;
  const all = await cluster.list(wanted.apiVersion, wanted.kind, namespace);
  return all.find((o) => o.metadata.name === wanted.name);
}
