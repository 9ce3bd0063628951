/** A provider config cannot be used; the message names the field or Secret key, never a value. */
export class ProviderConfigError extends Error {
  override name = 'ProviderConfigError';
}
