import { randomBytes } from 'node:crypto';
import {
  to,
  type FunctionHandler,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import type { Logger } from 'pino';
import { apiVersionOf, type CompositeKind } from '../apis/definition.js';
import {
  addCondition,
  addResult,
  desiredComposed,
  mergeComposed,
  observedComposed,
  observedComposite,
  requiredResources,
  writeStepResponse,
} from './protocol.js';
import type { KubeObject, Step } from './types.js';
import { describeObject, VALID_CONDITION } from './objects.js';
import { fatalResults, requestFields, responseFields } from './request-log.js';
import { parseSpec } from './spec-revisions.js';
import { withoutEmptyObjects } from './status.js';
import { usagesStillInUse } from './usage-retention.js';
import { describeIssues } from './validation.js';

/** Everything a step-independent failure needs: why, and the condition it sets, if any. */
interface Rejection {
  message: string;
  reason: string;
  /** Invalid user input also sets Valid=False on the composite, so `kubectl describe` shows it. */
  invalidSpec?: boolean;
}

/**
 * The function's gRPC handler: selects the step by the input's kind, validates the input and the
 * composite's spec with their zod schemas, runs the step and writes its response. Expected failures
 * become fatal results; nothing a request carries can make it throw.
 */
export class StackplaneFunction implements FunctionHandler {
  private readonly steps: ReadonlyMap<string, Step>;

  constructor(
    steps: readonly Step[],
    private readonly logger?: Logger,
    /** Entropy for generated secrets; node:crypto unless a test injects a deterministic source. */
    private readonly random: (bytes: number) => Buffer = randomBytes,
  ) {
    this.steps = new Map(steps.map((step) => [step.input.kind, step]));
  }

  async RunFunction(req: RunFunctionRequest): Promise<RunFunctionResponse> {
    const rsp = to(req);
    const composite = observedComposite(req);
    const { tag, xr } = requestFields(req, composite);
    const log = this.logger?.child({ xr, step: inputKindOf(req) ?? '<none>' });
    log?.debug({ tag }, 'Running function');
    try {
      const rejection = this.run(req, rsp, composite);
      if (rejection) rejectWith(rsp, rejection);
    } catch (error) {
      // Last resort: a bug in a step must reach the user as a fatal result, never crash the server.
      const message = error instanceof Error ? error.message : String(error);
      log?.error({ err: error }, 'step failed unexpectedly');
      rejectWith(rsp, { message: `cannot run step: ${message}`, reason: 'InternalError' });
    }
    // A fatal result fails the XR's reconcile: the function's log says why even without --debug.
    for (const fatal of fatalResults(rsp)) log?.info({ reason: fatal.reason }, fatal.message);
    log?.debug({ tag, ...responseFields(rsp) }, 'Ran function');
    return rsp;
  }

  private run(
    req: RunFunctionRequest,
    rsp: RunFunctionResponse,
    composite: KubeObject | undefined,
  ): Rejection | undefined {
    const input = req.input;
    const known = [...this.steps.keys()].sort().join(', ');
    if (!input || typeof input['kind'] !== 'string') {
      return {
        reason: 'MissingInput',
        message: `cannot select step: the pipeline step has no input.kind; set input.apiVersion fn.stackplane.io/v1alpha1 and input.kind to one of: ${known}`,
      };
    }
    const step = this.steps.get(input['kind']);
    if (!step) {
      return {
        reason: 'UnknownInputKind',
        message: `cannot select step: unknown input kind "${input['kind']}"; expected one of: ${known}`,
      };
    }
    const wantInputVersion = apiVersionOf(step.input);
    if (input['apiVersion'] !== wantInputVersion) {
      return {
        reason: 'UnknownInputKind',
        message: `cannot select step: input.apiVersion of kind ${step.input.kind} is "${String(input['apiVersion'])}"; set it to ${wantInputVersion}`,
      };
    }
    const { apiVersion: _a, kind: _k, ...fields } = input;
    const parsedInput = step.input.schema.safeParse(fields);
    if (!parsedInput.success) {
      return {
        reason: 'InvalidInput',
        message: `invalid step input: ${describeIssues('input', parsedInput.error)}`,
      };
    }

    const kinds = Array.isArray(step.composite) ? step.composite : [step.composite as CompositeKind];
    const wantXR = kinds.map((kind) => `${kind.kind} (${apiVersionOf(kind)})`).join(', ');
    if (!composite) {
      return {
        reason: 'MissingComposite',
        message: `cannot run step ${step.input.kind}: the request has no observed composite resource`,
      };
    }
    const kind = kinds.find(
      (candidate) =>
        composite['apiVersion'] === apiVersionOf(candidate) && composite['kind'] === candidate.kind,
    );
    if (!kind) {
      return {
        reason: 'WrongCompositeKind',
        message: `cannot run step ${step.input.kind}: it composes ${wantXR}, not ${String(composite['kind'])} (${String(composite['apiVersion'])}); check the Composition's compositeTypeRef`,
      };
    }
    const parsedSpec = parseSpec(kind.spec, composite);
    if (!parsedSpec.success) {
      return {
        reason: 'InvalidSpec',
        invalidSpec: true,
        message: `invalid ${kind.kind} ${describeObject(composite)}: ${describeIssues('spec', parsedSpec.error)}`,
      };
    }

    const desired = desiredComposed(req);
    const observed = observedComposed(req);
    const out = step.run({
      composite,
      spec: parsedSpec.data,
      input: parsedInput.data,
      observed,
      desired,
      required: requiredResources(req),
      context: req.context ?? {},
      random: this.random,
    });
    // A step that judged the spec itself (for example against platform tables) reports Valid on its own.
    if (!out.conditions?.some((condition) => condition.type === VALID_CONDITION)) {
      addCondition(rsp, { type: VALID_CONDITION, status: 'True', reason: 'ValidSpec' });
    }
    // A Usage the step dropped stays until its user is gone: see usagesStillInUse.
    const kept = usagesStillInUse(observed, mergeComposed(desired, out));
    const composed = Object.keys(kept).length > 0 ? { ...kept, ...out.composed } : out.composed;
    const response = composed ? { ...out, composed } : out;
    // Emptied maps are left out rather than applied as {}: see withoutEmptyObjects.
    writeStepResponse(
      rsp,
      response.status ? { ...response, status: withoutEmptyObjects(response.status) } : response,
      desired,
    );
    return undefined;
  }
}

function rejectWith(rsp: RunFunctionResponse, rejection: Rejection): void {
  if (rejection.invalidSpec) {
    addCondition(rsp, {
      type: VALID_CONDITION,
      status: 'False',
      reason: rejection.reason,
      message: rejection.message,
    });
  }
  addResult(rsp, { severity: 'Fatal', reason: rejection.reason, message: rejection.message });
}

function inputKindOf(req: RunFunctionRequest): string | undefined {
  const kind = req.input?.['kind'];
  return typeof kind === 'string' ? kind : undefined;
}
