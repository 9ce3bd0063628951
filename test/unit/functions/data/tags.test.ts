import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import { dataXR, fakeRandom, platformFetched, shippedInput } from '../../../support/data.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, summarize } from '../../../support/responses.js';

const run = (xr: KubeObject, dataServices?: unknown) =>
  new StackplaneFunction(steps, undefined, fakeRandom(3)).RunFunction(
    runFunctionRequest({
      xr,
      input: shippedInput(`${String(xr['kind']).toLowerCase()}.yaml`),
      required: platformFetched(dataServices),
    }),
  );
const tagsOf = (object: KubeObject | undefined) =>
  (object?.['spec'] as { forProvider: { tags?: Record<string, string> } }).forProvider.tags;

/** The original operator's tag keys, as a migrating platform configures them. */
const ORIGINAL_TAGS = { aws: { tags: { prefix: 'integreatly.org/', keys: { clusterId: 'clusterID' } } } };

describe('cloud resource tags: prefix and keys from the platform', () => {
  it('tags every cloud resource with the deployment type too, under stackplane.io/ by default', async () => {
    const rsp = await run(dataXR('Postgres', { type: 'managed', tier: 'development', productName: 'shop' }));
    expect(tagsOf(desiredResources(rsp)['instance'])).toEqual({
      'stackplane.io/cluster-id': 'qwerty',
      'stackplane.io/resource-type': 'postgres',
      'stackplane.io/resource-name': 'team-a/orders',
      'stackplane.io/product-name': 'shop',
      'stackplane.io/deployment-type': 'managed',
    });
  });

  it("keeps the original operator's keys, which cost reports and tag queries rely on", async () => {
    const rsp = await run(
      dataXR('BlobStorage', { type: 'managed', tier: 'development', productName: 'shop' }),
      ORIGINAL_TAGS,
    );
    const want = {
      'integreatly.org/clusterID': 'qwerty',
      'integreatly.org/resource-type': 'blobstorage',
      'integreatly.org/resource-name': 'team-a/orders',
      'integreatly.org/product-name': 'shop',
      'integreatly.org/deployment-type': 'managed',
    };
    const resources = desiredResources(rsp);
    expect(tagsOf(resources['bucket'])).toEqual(want);
    // Every tagged cloud resource, not only the first.
    const tagged = Object.values(resources).filter((r) => tagsOf(r) !== undefined && r['kind'] !== 'Secret');
    expect(tagged.length).toBeGreaterThan(1);
    for (const resource of tagged) expect(tagsOf(resource)).toEqual(want);
  });

  it('refuses a prefix AWS would refuse, naming the field', async () => {
    const rsp = await run(dataXR('Postgres', { type: 'managed', tier: 'development' }), {
      aws: { tags: { prefix: 'cost#center/' } },
    });
    expect(summarize(rsp).results).toEqual([
      expect.objectContaining({
        severity: 'Fatal',
        reason: 'InvalidPlatformConfig',
        message: expect.stringContaining(
          'aws.tags.prefix: must be letters, digits, spaces and _ . : / = + - @',
        ),
      }),
    ]);
  });
});
