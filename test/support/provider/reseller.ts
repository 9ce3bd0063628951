/** A reseller provider config pointing at a fake reseller API. */
import type { ResellerProviderConfig } from '../../../provider/src/reseller/config.js';
import { DEFAULT_ACCOUNT, type FakeResellerAPI } from '../../../testing/fakes/reseller-api.js';

export function resellerConfig(
  fake: FakeResellerAPI,
  change: Partial<ResellerProviderConfig> = {},
): ResellerProviderConfig {
  return {
    id: 'ClusterProviderConfig/default',
    endpoint: fake.url,
    username: DEFAULT_ACCOUNT.username,
    password: DEFAULT_ACCOUNT.password,
    ...change,
  };
}
