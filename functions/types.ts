import type { CompositeKind, InputKind } from '../apis/definition.js';
import type { z } from 'zod';

/** A Kubernetes object as plain JSON. */
export type KubeObject = Record<string, unknown>;

/** A composed resource a step wants to exist, with its readiness when the step knows it. */
export interface DesiredResource {
  resource: KubeObject;
  ready?: boolean;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A status condition for the composite resource. */
export interface StepCondition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message?: string;
}

/** An event-like result. Fatal stops the pipeline and leaves every composed resource as it was. */
export interface StepResult {
  severity: 'Normal' | 'Warning' | 'Fatal';
  message: string;
  reason?: string;
}

/** A resource the step needs to see, fetched by Crossplane before the step runs again. */
export interface Requirement {
  apiVersion: string;
  kind: string;
  matchName?: string;
  matchLabels?: Record<string, string>;
  namespace?: string;
}

/** What a step is given: plain values, already validated. */
export interface StepRequest<Spec, Input> {
  /** The observed composite resource, as the API server has it. */
  composite: KubeObject;
  /** The composite's spec, parsed by its zod schema (defaults applied). */
  spec: Spec;
  /** The step input, parsed by its zod schema (defaults applied). */
  input: Input;
  /** Observed composed resources by composition resource name. */
  observed: Readonly<Record<string, KubeObject>>;
  /**
   * Desired composed resources left by earlier steps, to read; a step's response merges over them
   * (see StepResponse), so a step never copies them into what it returns.
   */
  desired: Readonly<Record<string, DesiredResource>>;
  /** Required resources by requirement name; a name is absent until Crossplane has fetched it. */
  required: Readonly<Record<string, KubeObject[]>>;
  /** Context shared by the steps of one pipeline run. */
  context: Readonly<Record<string, unknown>>;
  /**
   * Cryptographically strong random bytes, for secrets a step must generate (passwords). The handler
   * provides node:crypto; tests inject a deterministic source. Prefer a value read back from
   * observed state: a step calls this only when nothing was generated before.
   */
  random: (bytes: number) => Buffer;
}

/**
 * What a step returns: plain values, written into the RunFunctionResponse by the handler.
 *
 * A step returns only what it composes. The handler merges `composed` over the desired resources
 * earlier steps left (as function-sdk-go's SetDesiredComposedResources does), so a step cannot drop
 * another step's resources by forgetting them; dropping one is said out loud, in `removed`.
 */
export interface StepResponse {
  /**
   * The composed resources this step wants, by composition resource name. Each replaces a desired
   * resource of the same name an earlier step left; every other desired resource stays. Left out,
   * the desired resources stay as they came (a step that waits or refuses composes nothing).
   */
  composed?: Record<string, DesiredResource>;
  /** Names dropped from the desired resources after the merge: Crossplane deletes what they name. */
  removed?: readonly string[];
  /** Fields merged into the composite's desired status. */
  status?: Record<string, unknown>;
  /** False holds the composite not Ready whatever its resources say (for example mid-replacement). */
  compositeReady?: false;
  conditions?: StepCondition[];
  results?: StepResult[];
  requirements?: Record<string, Requirement>;
  context?: Record<string, unknown>;
  /** How soon Crossplane should run the pipeline again, when sooner than the default. */
  ttlSeconds?: number;
}

/**
 * A pipeline step: the logic behind one input kind. `run` is pure: it reads the request and
 * returns the response, with no I/O, no clock and no randomness of its own.
 */
export interface Step<C extends CompositeKind = CompositeKind, I extends InputKind = InputKind> {
  input: I;
  /**
   * The composite kind the step composes, or several when one logic serves a family of kinds (the
   * data services); the observed composite's apiVersion and kind select whose spec schema applies.
   */
  composite: C | readonly C[];
  run(request: StepRequest<z.output<C['spec']>, z.output<I['schema']>>): StepResponse;
}

/** Declares a step with its types inferred from its kinds. */
export function defineStep<C extends CompositeKind, I extends InputKind>(step: Step<C, I>): Step {
  return step as unknown as Step;
}
