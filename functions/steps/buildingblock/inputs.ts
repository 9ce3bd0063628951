import { z } from 'zod';
import type { KubeObject, Requirement } from '../../types.js';
import { describeIssues } from '../../validation.js';
import { holdsKeys } from '../../observed.js';
import type { Block } from './names.js';
import { hostSelector } from './scheduling.js';

/** Requirement names: the Secrets the agents and notifications read, and the platform configuration. */
export const NOVA_SECRET = 'nova-secret';
export const VMWARE_SECRET = 'vmware-secret';
export const VMWARE_CA_SECRET = 'vmware-ca-secret';
export const WEBHOOK_SECRET = 'webhook-secret';
export const WEBHOOK_CA_SECRET = 'webhook-ca-secret';
export const ENVIRONMENT_CONFIG = 'environment-config';
export const NODES = 'nodes';

const secret = (name: string, namespace: string): Requirement => ({
  apiVersion: 'v1',
  kind: 'Secret',
  matchName: name,
  namespace,
});

/** The Secrets a block reads (keys only, never values) and the requirement each is fetched under. */
function secretsOf(b: Block): { requirement: string; name: string; keys: string[] }[] {
  const { nova, vmware, notifications } = b.spec;
  const out = [
    {
      requirement: NOVA_SECRET,
      name: nova.secret,
      keys: [nova.passwordSelectors.service, nova.passwordSelectors.transportURL],
    },
  ];
  if (vmware) {
    out.push({
      requirement: VMWARE_SECRET,
      name: vmware.credentialsSecret,
      keys: [vmware.usernameKey, vmware.passwordKey],
    });
    if (vmware.caBundleSecretName)
      out.push({ requirement: VMWARE_CA_SECRET, name: vmware.caBundleSecretName, keys: ['ca.crt'] });
  }
  const webhook = notifications?.webhook;
  if (webhook) {
    out.push({
      requirement: WEBHOOK_SECRET,
      name: webhook.urlSecretRef.name,
      keys: [webhook.urlSecretRef.key],
    });
    if (webhook.caSecretRef)
      out.push({
        requirement: WEBHOOK_CA_SECRET,
        name: webhook.caSecretRef.name,
        keys: [webhook.caSecretRef.key],
      });
  }
  return out;
}

/** What the step asks Crossplane to fetch for a block. */
export function requirementsFor(b: Block): Record<string, Requirement> {
  const out: Record<string, Requirement> = {
    [ENVIRONMENT_CONFIG]: {
      apiVersion: 'apiextensions.crossplane.io/v1beta1',
      kind: 'EnvironmentConfig',
      matchName: b.input.environmentConfig.name,
    },
  };
  for (const s of secretsOf(b)) out[s.requirement] = secret(s.name, b.namespace);
  if (b.spec.hypervisor === 'kvm' && !b.spec.hosts && b.spec.nodeSelector) {
    // Only the platform's compute nodes can be hosts: its selector is part of every fetch.
    out[NODES] = { apiVersion: 'v1', kind: 'Node', matchLabels: hostSelector(b) };
  }
  return out;
}

/** The Secrets that do not exist yet or lack a key, as one message; undefined when all are there. */
export function missingSecrets(
  b: Block,
  required: Readonly<Record<string, KubeObject[]>>,
  which: 'agents' | 'webhook',
): string | undefined {
  const relevant = secretsOf(b).filter((s) =>
    which === 'webhook'
      ? s.requirement === WEBHOOK_SECRET || s.requirement === WEBHOOK_CA_SECRET
      : s.requirement !== WEBHOOK_SECRET && s.requirement !== WEBHOOK_CA_SECRET,
  );
  const missing = relevant
    .filter((s) => !holdsKeys(required[s.requirement]?.[0], s.keys))
    .map((s) => `Secret ${s.name} with key${s.keys.length > 1 ? 's' : ''} ${s.keys.join(', ')}`);
  if (missing.length === 0) return undefined;
  return `${missing.join(' and ')} ${missing.length > 1 ? 'do' : 'does'} not exist yet`;
}

/** The region the agents register in. */
export interface Platform {
  keystoneAuthURL: string;
  region: string;
}

const platformSchema = z.object({
  openstack: z
    .object({
      keystoneAuthURL: z.url().optional(),
      region: z.string().min(1).optional(),
    })
    .optional(),
});

/**
 * Keystone URL and region from the platform's EnvironmentConfig (data.openstack), else the Composition
 * input's defaults; or why there is none, with the fix.
 */
export function resolvePlatform(b: Block, config: KubeObject | undefined): Platform | { problem: string } {
  const name = b.input.environmentConfig.name;
  const parsed = platformSchema.safeParse(config?.['data'] ?? {});
  if (!parsed.success) {
    return { problem: `EnvironmentConfig "${name}" is not usable: ${describeIssues('data', parsed.error)}` };
  }
  const keystoneAuthURL = parsed.data.openstack?.keystoneAuthURL ?? b.input.keystone.authURL;
  if (!keystoneAuthURL) {
    return {
      problem:
        `no Keystone URL: set data.openstack.keystoneAuthURL of EnvironmentConfig "${name}" ` +
        'or input.keystone.authURL of the Composition',
    };
  }
  return { keystoneAuthURL, region: parsed.data.openstack?.region ?? b.input.keystone.region };
}
