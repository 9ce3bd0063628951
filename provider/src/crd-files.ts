/**
 * The provider package's CRDs as files: every managed kind of apis/provider, ProviderConfig,
 * ClusterProviderConfig, ProviderConfigUsage and AdoptionGrant, rendered as `npm run generate` renders every manifest.
 */
import { join } from 'node:path';
import { renderManifest } from '../../apis/generate.js';
import { AdoptionGrant } from '../../apis/provider/adoption-grant.js';
import { providerManagedKinds } from '../../apis/provider/kinds.js';
import { providerConfigSpecSchema, providerConfigStatusSchema } from '../../apis/provider/providerconfig.js';
import {
  managedCustomResourceDefinition,
  platformCustomResourceDefinition,
  providerConfigCustomResourceDefinitions,
} from './runtime/crds.js';

/** Where the provider package's CRDs live, relative to the repository root. */
export const PROVIDER_CRD_DIR = 'package/provider/crds';

/** The CRD files, keyed by path relative to the repository root. */
export function providerCrdFiles(): Map<string, string> {
  const crds = [
    ...providerManagedKinds.map((kind) => managedCustomResourceDefinition(kind)),
    ...providerConfigCustomResourceDefinitions(providerConfigSpecSchema, providerConfigStatusSchema),
    platformCustomResourceDefinition(AdoptionGrant),
  ];
  return new Map(
    crds.map((crd) => [
      join(PROVIDER_CRD_DIR, `${(crd['metadata'] as { name: string }).name}.yaml`),
      renderManifest(crd),
    ]),
  );
}
