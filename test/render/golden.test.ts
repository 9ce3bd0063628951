import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverExamples } from '../../render/examples.js';
import { formatOutputs } from '../../render/format.js';
import { startLocalFunction, type LocalFunction } from '../../render/grpc.js';
import { renderFiles } from '../../render/render.js';
import { CORE_KIND_MODELS, kindKey } from '../support/core-kinds.js';
import { expectGolden } from '../support/golden.js';

const examples = await discoverExamples();

let fn: LocalFunction;

beforeAll(async () => {
  fn = await startLocalFunction();
});
afterAll(async () => {
  await fn.stop();
});

describe('every example renders through the pipeline as reviewed', () => {
  it('has examples to render', () => {
    expect(examples.map((e) => e.name)).toContain('storagetenant/basic');
  });

  it.each(examples.map((e) => [e.name, e] as const))('%s', async (name, example) => {
    const outputs = await renderFiles({ ...example.request, functionAddress: fn.address });
    for (const object of outputs.composed) {
      const Model = CORE_KIND_MODELS[kindKey(String(object['apiVersion']), String(object['kind']))];
      if (Model) expect(() => new Model(object as never).validate()).not.toThrow();
    }
    await expectGolden(
      join('test/golden', `${name.replaceAll('/', '-')}.yaml`),
      formatOutputs(outputs, { includeResults: true }),
    );
  });
});
