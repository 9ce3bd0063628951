/**
 * A trivial managed kind for runtime tests, Widget, and an in-memory "external system" behind it
 * that counts every call and can fail a share of them.
 */
import { z } from 'zod';
import type { ExternalClient, ExternalConnector, ManagedView } from '../../provider/src/runtime/external.js';
import { providerConfigFromSpec, type ManagedKind } from '../../provider/src/runtime/kind.js';
import { seededRandom } from '../../testing/fakes/faults.js';

/** spec.forProvider of a Widget. */
export const widgetForProvider = z.object({
  size: z.number().int().min(1).describe('How big the widget is.'),
  color: z.string().optional().describe('Its color; the external system defaults it to "blue".'),
});
/** The parsed forProvider. */
export type WidgetForProvider = z.infer<typeof widgetForProvider>;

/** The provider config spec Widgets need. */
export const widgetProviderConfig = z.object({
  endpoint: z.string().default('memory://widgets').describe('Where the widget API is.'),
});
/** The parsed provider config spec. */
export type WidgetProviderConfig = z.infer<typeof widgetProviderConfig>;

/** A widget as the external system stores it. */
export interface ExternalWidget {
  id: string;
  /** "namespace/name" of the managed resource that created it, to find duplicates. */
  owner: string;
  size: number;
  color: string;
}

type Operation = 'observe' | 'create' | 'update' | 'delete';

/** Thrown by an injected fault. */
export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

/**
 * The external widget API, in memory. IDs are assigned by the system (as real APIs do), so a
 * resource that loses its external name cannot find its widget again: exactly the case the
 * create-pending annotation protects. Faults fail a call before it has any effect.
 */
export class WidgetSystem {
  readonly widgets = new Map<string, ExternalWidget>();
  readonly calls: Record<Operation, number> = { observe: 0, create: 0, update: 0, delete: 0 };
  /** Calls per operation and resource ("namespace/name"). */
  readonly callsBy = new Map<string, Record<Operation, number>>();
  /** When each resource was observed (ms since epoch). */
  readonly observedAt = new Map<string, number[]>();
  /** Widgets ever created per resource: more than one is a duplicate. */
  readonly createdBy = new Map<string, number>();
  faultRate = 0;
  private readonly random: () => number;
  private nextId = 1;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** The connector the Widget kind registers. */
  connector(): ExternalConnector<WidgetForProvider, WidgetProviderConfig> {
    return { connect: async () => this.client() };
  }

  /** Widgets created by a resource. */
  widgetsOf(owner: string): ExternalWidget[] {
    return [...this.widgets.values()].filter((w) => w.owner === owner);
  }

  private count(operation: Operation, mr: ManagedView<WidgetForProvider>): void {
    const key = `${mr.namespace}/${mr.name}`;
    this.calls[operation]++;
    const counts = this.callsBy.get(key) ?? { observe: 0, create: 0, update: 0, delete: 0 };
    counts[operation]++;
    this.callsBy.set(key, counts);
    if (operation === 'observe') this.observedAt.set(key, [...(this.observedAt.get(key) ?? []), Date.now()]);
    if (this.faultRate > 0 && this.random() < this.faultRate) {
      throw new InjectedFault(`injected fault in ${operation} of ${key}`);
    }
  }

  private client(): ExternalClient<WidgetForProvider> {
    return {
      observe: async (mr) => {
        this.count('observe', mr);
        const widget = mr.externalName === undefined ? undefined : this.widgets.get(mr.externalName);
        if (widget === undefined) return { resourceExists: false, resourceUpToDate: false };
        return {
          resourceExists: true,
          resourceUpToDate:
            widget.size === mr.forProvider.size && widget.color === (mr.forProvider.color ?? 'blue'),
          lateInitialized: { color: widget.color },
          atProvider: { id: widget.id, size: widget.size, color: widget.color },
          available: true,
          connectionDetails: {
            endpoint: Buffer.from(`widget://${widget.id}`),
            password: Buffer.from(`secret-${widget.id}`),
          },
        };
      },
      create: async (mr) => {
        this.count('create', mr);
        const owner = `${mr.namespace}/${mr.name}`;
        const id = `w-${this.nextId++}`;
        this.widgets.set(id, { id, owner, size: mr.forProvider.size, color: mr.forProvider.color ?? 'blue' });
        this.createdBy.set(owner, (this.createdBy.get(owner) ?? 0) + 1);
        return { externalName: id };
      },
      update: async (mr) => {
        this.count('update', mr);
        const widget = mr.externalName === undefined ? undefined : this.widgets.get(mr.externalName);
        if (widget === undefined) throw new Error(`widget ${mr.externalName} not found`);
        widget.size = mr.forProvider.size;
        widget.color = mr.forProvider.color ?? 'blue';
        // As most APIs do, the update answers with the resource as it now is.
        return { atProvider: { id: widget.id, size: widget.size, color: widget.color } };
      },
      delete: async (mr) => {
        this.count('delete', mr);
        if (mr.externalName !== undefined) this.widgets.delete(mr.externalName);
      },
    };
  }
}

/** The Widget kind, bound to a WidgetSystem. */
export function widgetKind(system: WidgetSystem): ManagedKind<WidgetForProvider, WidgetProviderConfig> {
  return {
    group: 'test.m.stackplane.io',
    version: 'v1alpha1',
    kind: 'Widget',
    plural: 'widgets',
    forProvider: widgetForProvider,
    providerConfig: providerConfigFromSpec(widgetProviderConfig),
    connector: system.connector(),
  };
}
