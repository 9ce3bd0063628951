// Kubernetes built-in kinds that rendered output may contain. They have no CRD for
// `crossplane beta validate`; the render tests validate them with kubernetes-models instead, which is
// generated from the Kubernetes OpenAPI document.
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { KubeObject } from '../../functions/types.js';

type Validator = (object: KubeObject) => void;

/** Validators by `apiVersion/kind`. */
export const coreKindValidators: Readonly<Record<string, Validator>> = {
  'v1/Secret': (o) => new Secret(o as never).validate(),
  'v1/Service': (o) => new Service(o as never).validate(),
  'apps/v1/StatefulSet': (o) => new StatefulSet(o as never).validate(),
  'apps/v1/Deployment': (o) => new Deployment(o as never).validate(),
  'batch/v1/Job': (o) => new Job(o as never).validate(),
};

/** How `crossplane beta validate` names a kind it has no schema for: `/v1, Kind=Secret`. */
export function cliKindName(apiVersionKind: string): string {
  const slash = apiVersionKind.lastIndexOf('/');
  const apiVersion = apiVersionKind.slice(0, slash);
  const kind = apiVersionKind.slice(slash + 1);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return `${group}/${version}, Kind=${kind}`;
}

/** The kinds `crossplane beta validate` reported as missing a schema, from its output. */
export function missingSchemas(output: string): string[] {
  return [...output.matchAll(/^\[!\] could not find CRD\/XRD for: (.+)$/gm)].map((m) => m[1]!.trim());
}
