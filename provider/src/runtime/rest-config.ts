/**
 * Where the provider finds its API server, as controller-runtime's GetConfig does: $KUBECONFIG, else
 * ~/.kube/config, else the pod's service account. Unlike client-node's loadFromDefault, which falls
 * back to http://localhost:8080, finding none is an error, so the provider exits at once with a
 * reason rather than retrying watches against nothing.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { messageOf } from './conditions.js';

/** The service account token Kubernetes mounts into every pod that has one. */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The environment GetConfig reads. */
export interface RestConfigEnvironment {
  KUBECONFIG?: string | undefined;
  KUBERNETES_SERVICE_HOST?: string | undefined;
}

/** The provider has no usable API server configuration. */
export class RestConfigError extends Error {
  override name = 'RestConfigError';
}

/** The KubeConfig of the API server to reconcile against; throws RestConfigError when there is none. */
export function loadRestConfig(
  env: RestConfigEnvironment = process.env,
  exists: (path: string) => boolean = existsSync,
  home: string = homedir(),
): KubeConfig {
  const fail = (cause: string, error?: unknown): never => {
    throw new RestConfigError(`cannot get API server rest config: ${cause}`, { cause: error });
  };
  const kubeConfig = new KubeConfig();
  const paths = (env.KUBECONFIG ?? '').split(delimiter).filter((path) => path !== '');
  const homeConfig = join(home, '.kube', 'config');
  try {
    if (paths.length > 0) {
      const missing = paths.filter((path) => !exists(path));
      if (missing.length === paths.length)
        fail(`KUBECONFIG names ${missing.join(', ')}, which does not exist`);
      kubeConfig.loadFromDefault();
    } else if (exists(homeConfig)) {
      kubeConfig.loadFromFile(homeConfig);
    } else if (env.KUBERNETES_SERVICE_HOST && exists(SERVICE_ACCOUNT_TOKEN)) {
      kubeConfig.loadFromCluster();
    } else {
      fail(
        'KUBECONFIG is unset, ~/.kube/config does not exist and this is not a pod with a service account; ' +
          'set KUBECONFIG to a kubeconfig file or run the provider in the cluster',
      );
    }
  } catch (error) {
    if (error instanceof RestConfigError) throw error;
    fail(`cannot load kubeconfig: ${messageOf(error)}`, error);
  }
  if (kubeConfig.getCurrentCluster() === null) {
    fail(`the kubeconfig's current context "${kubeConfig.getCurrentContext()}" names no cluster`);
  }
  return kubeConfig;
}
