// Every file `npm run generate` writes from the zod schemas: the XRDs and function input CRDs of apis/,
// and the provider package's CRDs.
import { generatedFiles, INPUT_CRD_DIR, XRD_DIR } from '../apis/generate.js';
import { PROVIDER_CRD_DIR, providerCrdFiles } from '../provider/src/crd-files.js';

/** The directories that hold generated files only. */
export const GENERATED_DIRS = [XRD_DIR, INPUT_CRD_DIR, PROVIDER_CRD_DIR] as const;

/** Every generated file, keyed by its path relative to the repository root. */
export function allGeneratedFiles(): Map<string, string> {
  return new Map([...generatedFiles(), ...providerCrdFiles()]);
}
