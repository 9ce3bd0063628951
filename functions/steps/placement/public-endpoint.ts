import type { KubeObject } from '../../types.js';
import { PLACEMENT_PORT, commonLabels, objectNames, type Placement } from './names.js';

/** Composition resource name of the Route or Ingress of the public endpoint. */
export const PUBLIC_EXPOSURE = 'public-exposure';

/** The annotation that makes ingress-nginx talk TLS to the pods, which then serve the certificate. */
const NGINX_BACKEND_PROTOCOL = 'nginx.ingress.kubernetes.io/backend-protocol';

/**
 * The host the Route or Ingress answers to: the one of `override.service.public.endpointURL` when
 * the spec names it, else `placement-public-<namespace>.<domain>`; undefined when neither is known.
 */
export function publicHost(p: Placement): string | undefined {
  const override = p.spec.override?.service?.public?.endpointURL;
  if (override) return new URL(override).hostname;
  const domain = p.input.publicEndpoint.domain;
  return domain ? `${objectNames(p).service('public')}-${p.namespace}.${domain}` : undefined;
}

/** Why the platform's exposure cannot be composed for this PlacementAPI, or undefined. */
export function publicExposureProblem(p: Placement): string | undefined {
  const { expose } = p.input.publicEndpoint;
  if (expose === 'Service' || publicHost(p)) return undefined;
  return `input.publicEndpoint.domain: a ${expose} needs a host to register in Keystone as the public endpoint; set publicEndpoint.domain in the Composition input (for example apps.example.com) or spec.override.service.public.endpointURL`;
}

/** The URL of the Route or Ingress, registered in Keystone as the public endpoint. */
export function exposedURL(p: Placement, tls: boolean): string | undefined {
  const host = p.input.publicEndpoint.expose === 'Service' ? undefined : publicHost(p);
  return host ? `${tls ? 'https' : 'http'}://${host}` : undefined;
}

/**
 * The Route or Ingress in front of the placement-public Service. With a certificate on the public
 * endpoint, the pods terminate TLS: the Route passes it through, the Ingress re-encrypts.
 */
export function publicExposure(p: Placement): KubeObject | undefined {
  const { expose, ingressClassName, annotations } = p.input.publicEndpoint;
  const host = publicHost(p);
  if (expose === 'Service' || !host) return undefined;
  const service = objectNames(p).service('public');
  const tlsSecret = p.spec.tls?.api?.public?.secretName;
  const metadata = (extra: Record<string, string>) => {
    const all = { ...annotations, ...extra };
    return {
      name: service,
      namespace: p.namespace,
      labels: { ...commonLabels(p), service: 'placement', endpoint: 'public' },
      ...(Object.keys(all).length > 0 ? { annotations: all } : {}),
    };
  };
  if (expose === 'Route') {
    return {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: metadata({}),
      spec: {
        host,
        to: { kind: 'Service', name: service, weight: 100 },
        port: { targetPort: service },
        ...(tlsSecret
          ? { tls: { termination: 'passthrough', insecureEdgeTerminationPolicy: 'Redirect' } }
          : {}),
      },
    };
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: metadata(tlsSecret ? { [NGINX_BACKEND_PROTOCOL]: 'HTTPS' } : {}),
    spec: {
      ...(ingressClassName ? { ingressClassName } : {}),
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: service, port: { number: PLACEMENT_PORT } } },
              },
            ],
          },
        },
      ],
      ...(tlsSecret ? { tls: [{ hosts: [host], secretName: tlsSecret }] } : {}),
    },
  };
}
