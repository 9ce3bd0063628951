import {
  Ready,
  Severity,
  to,
  type Resources,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import type { Composition } from '../../../render/composition.js';
import {
  FatalResultError,
  firstNAndSomeMore,
  renderPipeline,
  RequiredResourceFetcher,
  type FunctionRunner,
} from '../../../render/pipeline.js';

const xr = {
  apiVersion: 'x.stackplane.io/v1',
  kind: 'XThing',
  metadata: { name: 'thing', namespace: 'team', uid: 'u-1' },
};
const composition = (...steps: string[]): Composition => ({
  name: 'c',
  compositeTypeRef: { apiVersion: 'x.stackplane.io/v1', kind: 'XThing' },
  pipeline: steps.map((step) => ({ step, functionRef: { name: 'fn' } })),
});

/** A runner whose steps are plain functions of the request: the pipeline's rules are what is under test. */
const runner = (
  behaviour: (req: RunFunctionRequest, calls: number) => RunFunctionResponse,
): FunctionRunner & { calls: number } => {
  const r = {
    calls: 0,
    run: async (_name: string, req: RunFunctionRequest) => behaviour(structuredClone(req), ++r.calls),
  };
  return r;
};

describe('renderPipeline', () => {
  it('passes desired state and context from step to step', async () => {
    const seen: unknown[] = [];
    const fn = runner((req) => {
      seen.push(req.context);
      const rsp = to(req);
      const count = Object.keys(rsp.desired?.resources ?? {}).length;
      rsp.desired!.resources[`r${count}`] = {
        resource: { apiVersion: 'v1', kind: 'ConfigMap' },
        connectionDetails: {},
        ready: Ready.READY_TRUE,
      };
      rsp.context = { ...(req.context ?? {}), [`step${count}`]: true };
      return rsp;
    });
    const out = await renderPipeline(fn, { xr, composition: composition('a', 'b') });
    expect(seen).toEqual([{}, { step0: true }]);
    expect(
      out.composed.map(
        (c) =>
          (c['metadata'] as { annotations: Record<string, string> }).annotations[
            'crossplane.io/composition-resource-name'
          ],
      ),
    ).toEqual(['r0', 'r1']);
    expect(out.composed[0]?.['metadata']).toEqual({
      generateName: 'thing-',
      namespace: 'team',
      annotations: { 'crossplane.io/composition-resource-name': 'r0' },
      labels: { 'crossplane.io/composite': 'thing' },
      ownerReferences: [
        {
          apiVersion: 'x.stackplane.io/v1',
          kind: 'XThing',
          name: 'thing',
          uid: 'u-1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(out.xr['status']).toEqual({
      conditions: [
        { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: '2024-01-01T00:00:00Z' },
      ],
    });
  });

  it('gives each step the credentials it names, from the Secrets passed as --function-credentials', async () => {
    const seen: Array<Record<string, string>> = [];
    const fn = runner((req) => {
      seen.push(
        Object.fromEntries(
          Object.entries(req.credentials).map(([name, c]) => [
            name,
            Buffer.from(c.credentialData?.data['key'] ?? []).toString(),
          ]),
        ),
      );
      return to(req);
    });
    const withCredentials: Composition = {
      ...composition('a', 'b'),
      pipeline: [
        { step: 'a', functionRef: { name: 'fn' } },
        {
          step: 'b',
          functionRef: { name: 'fn' },
          credentials: [{ name: 'api', source: 'Secret', secretRef: { namespace: 'ns', name: 'api' } }],
        },
      ],
    };
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'api', namespace: 'ns' },
      data: { key: 'dmFsdWU=' },
    };
    await renderPipeline(fn, { xr, composition: withCredentials, credentials: [secret] });
    expect(seen).toEqual([{}, { api: 'value' }]);
  });

  it('runs a step again with what it requires until its requirements are stable', async () => {
    const fn = runner((req) => {
      const rsp = to(req);
      rsp.requirements = {
        extraResources: {},
        schemas: {},
        resources: { cfg: { apiVersion: 'v1', kind: 'ConfigMap', matchName: 'cfg' } },
      };
      rsp.context = { items: req.requiredResources['cfg']?.items.length ?? -1 };
      return rsp;
    });
    const cfg = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } };
    const out = await renderPipeline(fn, { xr, composition: composition('a'), required: [cfg] });
    expect(out.iterations).toEqual({ a: 2 });
    expect(out.context).toEqual({ items: 1 });
  });

  it('gives up when requirements never stabilize', async () => {
    const fn = runner((req, calls) => {
      const rsp = to(req);
      rsp.requirements = {
        extraResources: {},
        schemas: {},
        resources: { [`r${calls}`]: { apiVersion: 'v1', kind: 'Secret' } },
      };
      return rsp;
    });
    await expect(renderPipeline(fn, { xr, composition: composition('a') })).rejects.toThrow(
      "requirements didn't stabilize after the maximum number of iterations (5)",
    );
    expect(fn.calls).toBe(6);
  });

  it('stops at a fatal result, before later steps run', async () => {
    const fn = runner((req) => {
      const rsp = to(req);
      rsp.results.push({ severity: Severity.SEVERITY_FATAL, message: 'no', reason: 'Bad' });
      return rsp;
    });
    await expect(renderPipeline(fn, { xr, composition: composition('a', 'b') })).rejects.toBeInstanceOf(
      FatalResultError,
    );
    expect(fn.calls).toBe(1);
  });

  it('reports unready resources the way Crossplane words it', async () => {
    const fn = runner((req) => {
      const rsp = to(req);
      for (const name of ['d', 'a', 'c', 'b'])
        rsp.desired!.resources[name] = {
          resource: { kind: 'X' },
          connectionDetails: {},
          ready: Ready.READY_UNSPECIFIED,
        };
      return rsp;
    });
    const out = await renderPipeline(fn, { xr, composition: composition('a') });
    expect((out.xr['status'] as { conditions: Array<{ message?: string }> }).conditions[0]?.message).toBe(
      'Unready resources: a, b, c, and 1 more',
    );
  });
});

describe('firstNAndSomeMore', () => {
  it.each([
    [['a'], 'a'],
    [['a', 'b'], 'a, b'],
    [['a', 'b', 'c'], 'a, b, and c'],
    [['a', 'b', 'c', 'd', 'e'], 'a, b, c, and 2 more'],
  ])('%j → %s', (names, want) => expect(firstNAndSomeMore(3, names)).toBe(want));
});

describe('RequiredResourceFetcher', () => {
  const fetcher = new RequiredResourceFetcher([
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b', namespace: 'x', labels: { app: 'y' } } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a', namespace: 'z', labels: { app: 'y' } } },
  ]);
  const names = (r: Resources) => r.items.map((i) => (i.resource?.['metadata'] as { name: string }).name);
  it.each([
    ['by name', { apiVersion: 'v1', kind: 'Secret', matchName: 'b' }, ['b']],
    [
      'by name in another namespace',
      { apiVersion: 'v1', kind: 'Secret', matchName: 'b', namespace: 'z' },
      [],
    ],
    [
      'by labels, sorted by name',
      { apiVersion: 'v1', kind: 'Secret', matchLabels: { labels: { app: 'y' } } },
      ['a', 'b'],
    ],
    ['other kind', { apiVersion: 'v1', kind: 'ConfigMap', matchName: 'b' }, []],
  ])('%s', (_name, selector, want) => expect(names(fetcher.fetch(selector))).toEqual(want));
});
