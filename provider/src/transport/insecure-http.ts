/** The one rule for plain-HTTP endpoints of a provider config: refused unless spec.allowInsecureHTTP. */
import { ProviderConfigError } from '../runtime/providerconfig.js';

/** A URL of the provider config and the field (or Secret key) it came from. */
export interface ConfiguredURL {
  field: string;
  url: string | undefined;
}

/**
 * Throws for the first http:// URL unless `allowInsecureHTTP`: the credentials (a password, an
 * application credential secret, a token) would travel in clear text.
 */
export function refuseInsecureHTTP(urls: readonly ConfiguredURL[], allowInsecureHTTP: boolean): void {
  if (allowInsecureHTTP) return;
  const insecure = urls.find(({ url }) => url?.toLowerCase().startsWith('http://'));
  if (insecure === undefined) return;
  throw new ProviderConfigError(
    `cannot use provider config: ${insecure.field} is http://, which sends the credentials in clear text: ` +
      'use https://, or set spec.allowInsecureHTTP: true',
  );
}
