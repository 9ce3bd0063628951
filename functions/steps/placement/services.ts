import { ENDPOINTS, type Endpoint } from '../../../apis/openstack/placementapi.js';
import type { KubeObject } from '../../types.js';
import { PLACEMENT_PORT, RESOURCE, commonLabels, objectNames, podLabels, type Placement } from './names.js';

/** The Service of one endpoint on 8778, with `override.service.<endpoint>` applied. */
export function endpointService(p: Placement, endpoint: Endpoint): KubeObject {
  const name = objectNames(p).service(endpoint);
  const override = p.spec.override?.service?.[endpoint];
  const annotations = override?.metadata?.annotations;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: p.namespace,
      labels: { ...commonLabels(p), service: 'placement', endpoint, ...override?.metadata?.labels },
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      type: 'ClusterIP',
      ...override?.spec,
      // The selector and port are the API's; overrides cannot point the endpoint elsewhere.
      selector: podLabels(p),
      ports: [{ name, port: PLACEMENT_PORT, targetPort: PLACEMENT_PORT, protocol: 'TCP' }],
    },
  };
}

/** Both endpoint Services, by composition resource name. */
export function serviceResources(p: Placement): Record<string, KubeObject> {
  const resourceName = { internal: RESOURCE.serviceInternal, public: RESOURCE.servicePublic };
  return Object.fromEntries(ENDPOINTS.map((e) => [resourceName[e], endpointService(p, e)]));
}
