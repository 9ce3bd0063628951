import { createHash } from 'node:crypto';
import { CONTROLLER_ID_PATTERN } from '../../apis/functions/controller-id.js';
import type { KubeObject, Requirement } from '../types.js';

/** Requirement names a step uses to learn its controller identifier. */
export const CONTROLLER_ID_CONFIG = 'controller-id-config';
export const KUBE_SYSTEM_NAMESPACE = 'kube-system-namespace';

/** The resources that tell a cluster's controller identifier, when the Composition does not pin one. */
export function controllerIdRequirements(environmentConfig?: string): Record<string, Requirement> {
  const out: Record<string, Requirement> = {
    [KUBE_SYSTEM_NAMESPACE]: { apiVersion: 'v1', kind: 'Namespace', matchName: 'kube-system' },
  };
  if (environmentConfig) {
    out[CONTROLLER_ID_CONFIG] = {
      apiVersion: 'apiextensions.crossplane.io/v1beta1',
      kind: 'EnvironmentConfig',
      matchName: environmentConfig,
    };
  }
  return out;
}

export type ControllerId = { id: string; source: string } | { problem: string };

/**
 * The controller identifier, first found of: the Composition input's pin, `data.controllerID` of the
 * platform EnvironmentConfig (so a cluster migrating from the operator keeps its id), or 6 letters
 * derived from the UID of the kube-system Namespace, which never changes for a cluster.
 */
export function resolveControllerId(options: {
  pinned?: string | undefined;
  environmentConfig?: KubeObject | undefined;
  environmentConfigName?: string | undefined;
  kubeSystem?: KubeObject | undefined;
}): ControllerId {
  if (options.pinned) return { id: options.pinned, source: 'the Composition input' };
  const data = options.environmentConfig?.['data'] as Record<string, unknown> | undefined;
  const configured = data?.['controllerID'];
  if (configured !== undefined) {
    const where = `EnvironmentConfig "${options.environmentConfigName ?? ''}" data.controllerID`;
    if (typeof configured !== 'string' || !CONTROLLER_ID_PATTERN.test(configured)) {
      return {
        problem: `${where} must be 1-16 lowercase letters or digits, got ${JSON.stringify(configured)}`,
      };
    }
    return { id: configured, source: where };
  }
  const uid = (options.kubeSystem?.['metadata'] as { uid?: unknown } | undefined)?.uid;
  if (typeof uid !== 'string' || uid === '') {
    return {
      problem:
        'no controller identifier: pin one in the Composition input or the platform EnvironmentConfig ' +
        '(data.controllerID), or let Crossplane read the kube-system Namespace',
    };
  }
  return { id: controllerIdFromUid(uid), source: 'the kube-system Namespace UID' };
}

/** Six lowercase letters derived from a cluster's kube-system Namespace UID. */
export function controllerIdFromUid(uid: string): string {
  const digest = createHash('sha256').update(uid).digest();
  return Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(97 + (byte % 26))).join('');
}
