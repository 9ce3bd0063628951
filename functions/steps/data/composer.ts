import type { DataPlatform, ResourceType } from '../../../apis/functions/data-service-input.js';
import type { DesiredResource, KubeObject, Requirement, StepCondition } from '../../types.js';

/** The composite a data service step works for. */
export interface DataComposite {
  kind: string;
  name: string;
  namespace: string;
  resourceType: ResourceType;
  /** The observed `status`, where earlier runs recorded what they decided. */
  status: Readonly<Record<string, unknown>>;
  /** The composite's annotations (for example the one that allows deleting protected data). */
  annotations: Readonly<Record<string, string>>;
}

/** Everything one provider's module needs to compose one data service: plain values, resolved. */
export interface ComposeRequest<Spec, Strategy> {
  xr: DataComposite;
  spec: Spec;
  tier: string;
  strategy: Strategy;
  platform: DataPlatform;
  controllerId: string;
  /** The name of the connection Secret the composite writes, in its namespace. */
  connectionSecretName: string;
  /** Management policies for every composed managed resource (skipCreate → Observe). */
  policies: string[];
  /** Tags for every cloud resource. */
  tags: Record<string, string>;
  /** Labels for every composed object. */
  labels: Record<string, string>;
  observed: Readonly<Record<string, KubeObject>>;
  required: Readonly<Record<string, KubeObject[]>>;
  random: (bytes: number) => Buffer;
}

/** What a provider module composed. */
export interface Composed {
  /** Composed resources by composition resource name (the connection Secret is added by the framework). */
  resources: Record<string, DesiredResource>;
  /** The connection Secret's values once every one is known; undefined while some are not. */
  connection: Record<string, string> | undefined;
  /** Resources the module reads (for example the Secret a provider writes connection details to). */
  requirements?: Record<string, Requirement>;
  /** Status fields besides provider and strategy: endpoint, version, externalName. */
  status: Record<string, string>;
  /** Warnings for the user, for example a spec field this provider does not use. */
  warnings?: string[];
  /** Conditions of the composite this provider reports, for example DeletionProtected. */
  conditions?: StepCondition[];
}

/** A spec the strategy refuses, for example a version it does not allow. */
export interface Refused {
  refused: { reason: string; message: string };
}

/** One provider's composition of one kind. Pure: no I/O, randomness only through `random`. */
export type Composer<Spec = unknown, Strategy = unknown> = (
  request: ComposeRequest<Spec, Strategy>,
) => Composed | Refused;
