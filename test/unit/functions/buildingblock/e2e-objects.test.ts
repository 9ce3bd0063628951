// The objects an end-to-end run creates for the building block examples give every example what it
// reads: each renders with InputReady=True against them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import {
  buildingBlockObjects,
  startBuildingBlockFakes,
  type BuildingBlockFakes,
} from '../../../support/buildingblock-e2e.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { summarize } from '../../../support/responses.js';

let fakes: BuildingBlockFakes;
beforeAll(async () => {
  fakes = await startBuildingBlockFakes();
});
afterAll(async () => {
  await fakes.stop();
});

describe('buildingBlockObjects', () => {
  it.each(['kvm', 'vmware', 'maintenance'])(
    'give examples/buildingblock/%s its Secrets and platform configuration',
    async (example) => {
      const xr = parse(readFileSync(`examples/buildingblock/${example}/xr.yaml`, 'utf8')) as KubeObject;
      const objects = buildingBlockObjects(fakes);
      // Crossplane answers each requirement with the objects of that kind and name.
      const rsp1 = await new StackplaneFunction(steps).RunFunction(
        runFunctionRequest({ xr, input: { apiVersion: 'fn.stackplane.io/v1alpha1', kind: 'BuildingBlock' } }),
      );
      const required: Record<string, KubeObject[]> = {};
      for (const [name, selector] of Object.entries(rsp1.requirements?.resources ?? {})) {
        required[name] = objects.filter(
          (o) =>
            o['kind'] === selector.kind && (o['metadata'] as { name: string }).name === selector.matchName,
        );
      }
      const rsp = await new StackplaneFunction(steps).RunFunction(
        runFunctionRequest({
          xr,
          input: { apiVersion: 'fn.stackplane.io/v1alpha1', kind: 'BuildingBlock' },
          required,
        }),
      );
      expect(summarize(rsp).conditions.find((c) => c.type === 'InputReady')).toMatchObject({
        status: 'True',
      });
    },
  );
});
