import { join } from 'node:path';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverExamples } from '../../render/examples.js';
import { formatOutputs } from '../../render/format.js';
import { startLocalFunction, type LocalFunction } from '../../render/grpc.js';
import { renderFiles } from '../../render/render.js';
import { coreKindValidators } from '../support/core-kinds.js';
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
    // Built-in kinds checked against the Kubernetes OpenAPI schema, offline.
    for (const object of outputs.composed.filter((o) => o['kind'] === 'StorageClass')) {
      expect(() => new StorageClass(object as never).validate()).not.toThrow();
    }
    for (const object of outputs.composed) {
      const validate = coreKindValidators[`${String(object['apiVersion'])}/${String(object['kind'])}`];
      if (validate) expect(() => validate(object), String(object['kind'])).not.toThrow();
    }
    await expectGolden(
      join('test/golden', `${name.replaceAll('/', '-')}.yaml`),
      formatOutputs(outputs, { includeResults: true }),
    );
  });
});
