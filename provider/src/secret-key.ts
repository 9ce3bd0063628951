/**
 * Managed kinds whose spec.forProvider names a Secret key (a user's password) get the value before their
 * external client sees them: an adapter between the kind's spec and the client's resolved parameters.
 * The Secret is read in the managed resource's namespace only, on every call, so a changed password is
 * used at the next reconcile.
 */
import type {
  ExternalClient,
  ExternalConnector,
  ExternalCreation,
  ExternalObservation,
  ExternalUpdate,
  ManagedView,
} from './runtime/external.js';
import type { KubeClient } from './runtime/kube.js';
import { readSecretData } from './runtime/secrets.js';

/** A key of a Secret in the managed resource's namespace. */
export interface SecretKeySelector {
  name: string;
  key: string;
}

/** Reads a Secret's data; undefined when the Secret does not exist. */
export type SecretReader = (namespace: string, name: string) => Promise<Record<string, Buffer> | undefined>;

/** The SecretReader over the API server. */
export function kubeSecretReader(kube: KubeClient): SecretReader {
  return (namespace, name) => readSecretData(kube, namespace, name);
}

/** The Secret a managed resource references is missing or lacks the key; retried after a back-off. */
export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

/**
 * How a kind's spec becomes its client's parameters: which Secret key to read (`field` names it in
 * messages) and how the value joins the rest of the spec.
 */
export interface SecretKeyResolution<Spec, Resolved> {
  field: string;
  selector(spec: Spec): SecretKeySelector;
  resolve(spec: Spec, value: string): Resolved;
  /**
   * Whether delete needs the value. When not, delete gets an empty value without reading the Secret.
   * When it does, delete (and observe while deleting) get the value while the Secret holds it, and an
   * empty value once it is gone: a Secret deleted first never blocks a deletion by itself, the
   * client says whether it can do without.
   */
  deleteNeedsValue: boolean;
}

/** Wraps a connector over resolved parameters into one over the kind's spec. */
export function resolvingSecretKey<Spec, Resolved, ProviderConfig>(
  inner: ExternalConnector<Resolved, ProviderConfig>,
  readSecret: SecretReader,
  resolution: SecretKeyResolution<Spec, Resolved>,
): ExternalConnector<Spec, ProviderConfig> {
  return {
    async connect(config) {
      return new SecretKeyExternal(await inner.connect(config), readSecret, resolution);
    },
  };
}

class SecretKeyExternal<Spec, Resolved> implements ExternalClient<Spec> {
  constructor(
    private readonly inner: ExternalClient<Resolved>,
    private readonly readSecret: SecretReader,
    private readonly resolution: SecretKeyResolution<Spec, Resolved>,
  ) {}

  async observe(mr: ManagedView<Spec>): Promise<ExternalObservation> {
    // While deleting, a Secret already gone must not block: the client decides whether it needs it.
    return this.inner.observe(await this.resolved(mr, mr.deleting === true));
  }

  async create(mr: ManagedView<Spec>): Promise<ExternalCreation> {
    return this.inner.create(await this.resolved(mr));
  }

  async update(mr: ManagedView<Spec>): Promise<ExternalUpdate> {
    return this.inner.update(await this.resolved(mr));
  }

  async delete(mr: ManagedView<Spec>): Promise<void> {
    if (!this.resolution.deleteNeedsValue) {
      return this.inner.delete({ ...mr, forProvider: this.resolution.resolve(mr.forProvider, '') });
    }
    return this.inner.delete(await this.resolved(mr, true));
  }

  async disconnect(): Promise<void> {
    await this.inner.disconnect?.();
  }

  /** The spec with the Secret's value; with `missingAsEmpty`, an empty value when it is missing. */
  private async resolved(mr: ManagedView<Spec>, missingAsEmpty = false): Promise<ManagedView<Resolved>> {
    const { field } = this.resolution;
    const ref = this.resolution.selector(mr.forProvider);
    const namespace = mr.namespace ?? 'default';
    const data = await this.readSecret(namespace, ref.name);
    if (missingAsEmpty && !data?.[ref.key]?.length)
      return { ...mr, forProvider: this.resolution.resolve(mr.forProvider, '') };
    if (data === undefined) {
      throw new SecretKeyError(`cannot read ${field}: Secret "${ref.name}" not found in "${namespace}"`);
    }
    const value = data[ref.key]?.toString('utf8');
    if (value === undefined || value === '') {
      throw new SecretKeyError(`cannot read ${field}: Secret "${ref.name}" has no key "${ref.key}"`);
    }
    return { ...mr, forProvider: this.resolution.resolve(mr.forProvider, value) };
  }
}
