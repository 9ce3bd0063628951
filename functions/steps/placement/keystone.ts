import type { Endpoint } from '../../../apis/openstack/placementapi.js';
import type { KubeObject, StepResult } from '../../types.js';
import { endpointURLs } from './endpoints.js';
import { RESOURCE, metadata, type Placement } from './names.js';
import { conditionTrue } from '../../observed.js';

/** The Keystone service placement registers as: name and type are both `placement`. */
export const KEYSTONE_SERVICE = { name: 'placement', type: 'placement', description: 'Placement Service' };

const PROVIDER_GROUP = 'identity.openstack.m.crossplane.io/v1alpha1';
const OPERATOR_GROUP = 'keystone.openstack.org/v1beta1';

/** The Keystone registration (service, user and endpoints), by composition resource name. */
export function keystoneResources(p: Placement): Record<string, KubeObject> {
  return p.input.keystone.backend === 'openstack-provider' ? openstackProvider(p) : keystoneOperator(p);
}

function openstackProvider(p: Placement): Record<string, KubeObject> {
  const providerConfigRef = {
    kind: p.input.keystone.providerConfigRef.kind,
    name: p.input.keystone.providerConfigRef.name ?? 'default',
  };
  const serviceObject = `${p.name}-placement`;
  const userObject = `${p.name}-${p.spec.serviceUser}`;
  const urls = endpointURLs(p);
  const endpoint = (which: Endpoint): KubeObject => ({
    apiVersion: PROVIDER_GROUP,
    kind: 'EndpointV3',
    metadata: adopting(metadata(p, `${p.name}-placement-${which}`), p.adopted?.keystoneEndpointIDs?.[which]),
    spec: {
      forProvider: {
        name: `placement-${which}`,
        interface: which,
        url: urls[which],
        endpointRegion: p.spec.region,
        serviceIdRef: { name: serviceObject },
      },
      providerConfigRef,
    },
  });
  const resources: Record<string, KubeObject> = {
    [RESOURCE.keystoneService]: {
      apiVersion: PROVIDER_GROUP,
      kind: 'ServiceV3',
      metadata: adopting(metadata(p, serviceObject), p.adopted?.keystoneServiceID),
      spec: { forProvider: { ...KEYSTONE_SERVICE, enabled: true }, providerConfigRef },
    },
    [RESOURCE.keystoneUser]: {
      apiVersion: PROVIDER_GROUP,
      kind: 'UserV3',
      metadata: metadata(p, userObject),
      spec: {
        forProvider: {
          name: p.spec.serviceUser,
          description: 'placement service user',
          enabled: true,
          ignorePasswordExpiry: true,
          // The provider reads the password from the user's Secret; it never passes through here.
          passwordSecretRef: { name: p.spec.secret, key: p.spec.passwordSelectors.service },
          ...(p.input.keystone.serviceProjectID
            ? { defaultProjectId: p.input.keystone.serviceProjectID }
            : {}),
        },
        providerConfigRef,
      },
    },
    [RESOURCE.keystoneEndpointInternal]: endpoint('internal'),
    [RESOURCE.keystoneEndpointPublic]: endpoint('public'),
  };
  // Ids when the Composition pins them, else references the provider resolves by name.
  const { serviceProjectID, serviceRoleID, serviceProjectRef, serviceRoleRef } = p.input.keystone;
  resources[RESOURCE.keystoneRoleAssignment] = {
    apiVersion: PROVIDER_GROUP,
    kind: 'RoleAssignmentV3',
    metadata: metadata(p, `${userObject}-service-role`),
    spec: {
      forProvider: {
        ...(serviceProjectID ? { projectId: serviceProjectID } : { projectIdRef: serviceProjectRef }),
        ...(serviceRoleID ? { roleId: serviceRoleID } : { roleIdRef: serviceRoleRef }),
        userIdRef: { name: userObject },
      },
      providerConfigRef,
    },
  };
  return resources;
}

/**
 * The metadata of a provider-openstack object that takes over an existing Keystone object: its id
 * as the external name, which the provider observes instead of creating another (ids come only
 * from a migration's record in status, never from the tenant).
 */
function adopting<M extends object>(meta: M, id: string | undefined): M {
  return id ? { ...meta, annotations: { 'crossplane.io/external-name': id } } : meta;
}

/**
 * Warns while the service user's role assignment, resolved by name, is not ready: without a role in
 * the service project, placement cannot validate the tokens clients present. Provider-openstack
 * finds cloud objects by id only, so the names are of observe-only resources the platform imports.
 */
export function keystoneWarnings(p: Placement, assignment?: KubeObject): StepResult[] {
  const { backend, serviceProjectID, serviceRoleID, serviceProjectRef, serviceRoleRef } = p.input.keystone;
  if (backend !== 'openstack-provider' || (serviceProjectID && serviceRoleID)) return [];
  if (!assignment || conditionTrue(assignment)) return [];
  const where = (ref: { name: string; namespace?: string | undefined }, kind: string) =>
    `${kind} ${ref.namespace ?? p.namespace}/${ref.name}`;
  const missing = [
    ...(serviceProjectID ? [] : [where(serviceProjectRef, 'ProjectV3')]),
    ...(serviceRoleID ? [] : [where(serviceRoleRef, 'RoleV3')]),
  ];
  return [
    {
      severity: 'Warning',
      reason: 'ServiceRoleMissing',
      message:
        `Keystone user "${p.spec.serviceUser}" has no role yet: its role assignment waits for ${missing.join(' and ')}; ` +
        "import the cloud's service project and admin role under those names (managementPolicies [Observe], " +
        'their ids as crossplane.io/external-name) or set input.keystone.serviceProjectID and serviceRoleID; ' +
        'until then placement cannot validate client tokens',
    },
  ];
}

function keystoneOperator(p: Placement): Record<string, KubeObject> {
  const urls = endpointURLs(p);
  return {
    [RESOURCE.keystoneService]: {
      apiVersion: OPERATOR_GROUP,
      kind: 'KeystoneService',
      metadata: metadata(p, p.name),
      spec: {
        serviceType: KEYSTONE_SERVICE.type,
        serviceName: KEYSTONE_SERVICE.name,
        serviceDescription: KEYSTONE_SERVICE.description,
        enabled: true,
        serviceUser: p.spec.serviceUser,
        secret: p.spec.secret,
        passwordSelector: p.spec.passwordSelectors.service,
      },
    },
    [RESOURCE.keystoneEndpoint]: {
      apiVersion: OPERATOR_GROUP,
      kind: 'KeystoneEndpoint',
      metadata: metadata(p, p.name),
      spec: {
        serviceName: KEYSTONE_SERVICE.name,
        endpoints: { internal: urls.internal, public: urls.public },
      },
    },
  };
}
