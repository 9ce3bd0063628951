import { ENDPOINTS, type Endpoint } from '../../../apis/openstack/placementapi.js';
import { PLACEMENT_PORT, objectNames, type Placement } from './names.js';
import { exposedURL } from './public-endpoint.js';

/** Whether an endpoint serves TLS: it has a certificate Secret. */
export function tlsEnabled(p: Placement, endpoint: Endpoint): boolean {
  return p.spec.tls?.api?.[endpoint] !== undefined;
}

/**
 * The URL registered in Keystone for an endpoint: `override.service.<endpoint>.endpointURL` when set,
 * else, for the public endpoint, the Route or Ingress the platform exposes it with, else the
 * Service's cluster DNS name on 8778; https when the endpoint has a certificate.
 */
export function endpointURL(p: Placement, endpoint: Endpoint): string {
  const override = p.spec.override?.service?.[endpoint]?.endpointURL;
  if (override) return override;
  const exposed = endpoint === 'public' ? exposedURL(p, tlsEnabled(p, endpoint)) : undefined;
  if (exposed) return exposed;
  const scheme = tlsEnabled(p, endpoint) ? 'https' : 'http';
  return `${scheme}://${objectNames(p).service(endpoint)}.${p.namespace}.svc:${PLACEMENT_PORT}`;
}

/** Both endpoint URLs. */
export function endpointURLs(p: Placement): Record<Endpoint, string> {
  return Object.fromEntries(ENDPOINTS.map((e) => [e, endpointURL(p, e)])) as Record<Endpoint, string>;
}

/** The host part of an endpoint's URL, the name its virtual host answers to. */
export function endpointHost(p: Placement, endpoint: Endpoint): string {
  return new URL(endpointURL(p, endpoint)).hostname;
}
