/**
 * Node.js flags provider-stackplane runs with: the runtime image's entrypoint passes them, and
 * the scale scenario of bench:provider starts the provider with them too.
 */
export const PROVIDER_NODE_FLAGS: readonly string[] = [];
