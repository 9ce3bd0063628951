/**
 * A pipeline step's credentials, as `crossplane render --function-credentials` supplies them: each
 * of the step's `credentials` with `source: Secret` is the data of the Secret of that name and
 * namespace among the given Secrets. Other sources are left out, as the CLI does.
 */
import type { Credentials } from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from '../functions/types.js';
import type { PipelineStep } from './composition.js';
import { metadataOf, nameOf, stringMap } from './manifests.js';

/** The step's credentials by name; throws naming the Secret that no given Secret is. */
export function stepCredentials(
  step: PipelineStep,
  secrets: readonly KubeObject[],
): Record<string, Credentials> {
  const out: Record<string, Credentials> = {};
  for (const credential of step.credentials ?? []) {
    if (credential.source !== 'Secret' || !credential.secretRef) continue;
    const { name, namespace } = credential.secretRef;
    const secret = secrets.find(
      (s) => s['kind'] === 'Secret' && nameOf(s) === name && metadataOf(s)['namespace'] === namespace,
    );
    if (!secret) {
      throw new Error(
        `cannot get the credentials "${credential.name}" of step "${step.step}": no Secret ${namespace}/${name} ` +
          'in --function-credentials',
      );
    }
    const data: Record<string, Buffer> = {};
    for (const [key, value] of Object.entries(stringMap(secret['data'])))
      data[key] = Buffer.from(value, 'base64');
    for (const [key, value] of Object.entries(stringMap(secret['stringData'])))
      data[key] = Buffer.from(value, 'utf8');
    out[credential.name] = { credentialData: { data } };
  }
  return out;
}
