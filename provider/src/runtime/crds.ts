/**
 * CustomResourceDefinitions of managed kinds and of the provider config kinds, derived from the zod
 * schemas, so the API server validates exactly what the reconciler parses.
 */
import type { z } from 'zod';
import { toOpenApiSchema, type OpenApiSchema } from '../../../apis/openapi.js';
import { PROVIDER_CONFIG_GROUP, PROVIDER_CONFIG_VERSION } from './providerconfig.js';

/** A Kubernetes manifest as a plain object. */
export type CrdManifest = Record<string, unknown>;

/** Categories of managed kinds: `kubectl get managed` lists them. */
const MANAGED_CATEGORIES = ['crossplane', 'managed', 'stackplane'];
/** Categories of provider configs and usages, as Go providers have them: not `managed`. */
const PROVIDER_CATEGORIES = ['crossplane', 'provider', 'stackplane'];

const conditions: OpenApiSchema = {
  type: 'array',
  description: 'Conditions of the resource: Ready and Synced.',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
  items: {
    type: 'object',
    required: ['type', 'status', 'reason', 'lastTransitionTime'],
    properties: {
      type: { type: 'string' },
      status: { type: 'string' },
      reason: { type: 'string' },
      message: { type: 'string' },
      lastTransitionTime: { type: 'string', format: 'date-time' },
      observedGeneration: { type: 'integer', format: 'int64' },
    },
  },
};

const reference = (description: string, kinds?: string[]): OpenApiSchema => ({
  type: 'object',
  description,
  required: ['name'],
  properties: {
    name: { type: 'string' },
    ...(kinds ? { kind: { type: 'string', enum: kinds } } : {}),
  },
});

/**
 * What a managed kind's CRD derives from: its API location, description and schemas. Shaped like the
 * kind definitions in apis/provider, which pass as they are.
 */
export interface ManagedKindSchema {
  group: string;
  version: string;
  kind: string;
  plural: string;
  description: string;
  forProvider: z.ZodType;
  /** status.atProvider; free-form when absent. */
  atProvider?: z.ZodType;
}

/** The CRD of a managed kind: namespaced, with the managed-resource spec and status fields. */
export function managedCustomResourceDefinition(kind: ManagedKindSchema): CrdManifest {
  const spec: OpenApiSchema = {
    type: 'object',
    required: ['forProvider'],
    properties: {
      forProvider: toOpenApiSchema(kind.forProvider),
      managementPolicies: {
        type: 'array',
        description: 'What the provider may do to the external resource. Default ["*"].',
        default: ['*'],
        items: { type: 'string', enum: ['Observe', 'Create', 'Update', 'Delete', 'LateInitialize', '*'] },
      },
      providerConfigRef: {
        ...reference('The provider config to use. Default ClusterProviderConfig "default".', [
          'ProviderConfig',
          'ClusterProviderConfig',
        ]),
        default: { kind: 'ClusterProviderConfig', name: 'default' },
      },
      writeConnectionSecretToRef: reference(
        'The Secret in this namespace that receives the connection details.',
      ),
    },
  };
  const status: OpenApiSchema = {
    type: 'object',
    properties: {
      conditions,
      atProvider: kind.atProvider
        ? toOpenApiSchema(kind.atProvider)
        : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      observedGeneration: { type: 'integer', format: 'int64' },
    },
  };
  return crd(
    kind.group,
    kind.version,
    kind.kind,
    kind.plural,
    'Namespaced',
    kind.description,
    { spec, status },
    [
      { name: 'READY', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
      { name: 'SYNCED', type: 'string', jsonPath: ".status.conditions[?(@.type=='Synced')].status" },
      {
        name: 'EXTERNAL-NAME',
        type: 'string',
        jsonPath: '.metadata.annotations.crossplane\\.io/external-name',
      },
      { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    MANAGED_CATEGORIES,
  );
}

/**
 * The CRDs of ProviderConfig (namespaced), ClusterProviderConfig and ProviderConfigUsage. status
 * always has `users` and `conditions`; a status schema adds what the provider learns from its APIs.
 */
export function providerConfigCustomResourceDefinitions(spec: z.ZodType, status?: z.ZodType): CrdManifest[] {
  const configSpec = toOpenApiSchema(spec);
  const statusSchema = status === undefined ? undefined : toOpenApiSchema(status);
  const configStatus: OpenApiSchema = {
    ...statusSchema,
    type: 'object',
    properties: {
      users: { type: 'integer' },
      ...(statusSchema?.['properties'] as Record<string, OpenApiSchema> | undefined),
      conditions,
    },
  };
  const usage: Record<string, OpenApiSchema> = {
    providerConfigRef: reference('The provider config in use.', ['ProviderConfig', 'ClusterProviderConfig']),
    resourceRef: {
      type: 'object',
      description: 'The managed resource that uses it.',
      required: ['apiVersion', 'kind', 'name'],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        name: { type: 'string' },
        uid: { type: 'string' },
      },
    },
  };
  const group = PROVIDER_CONFIG_GROUP;
  const version = PROVIDER_CONFIG_VERSION;
  // The columns Go providers show for their provider configs and usages.
  const configColumns: OpenApiSchema[] = [
    { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'SECRET-NAME', type: 'string', jsonPath: '.spec.credentials.secretRef.name', priority: 1 },
  ];
  const config = (kind: string, plural: string, scope: string, description: string) =>
    crd(
      group,
      version,
      kind,
      plural,
      scope,
      description,
      { spec: configSpec, status: configStatus },
      configColumns,
      PROVIDER_CATEGORIES,
    );
  return [
    config(
      'ProviderConfig',
      'providerconfigs',
      'Namespaced',
      'How the provider reaches its external APIs for managed resources of this namespace that reference ' +
        'it. It reads Secrets of its own namespace only. While managed resources use it (status.users), ' +
        'the finalizer in-use.crossplane.io keeps it.',
    ),
    config(
      'ClusterProviderConfig',
      'clusterproviderconfigs',
      'Cluster',
      'How the provider reaches its external APIs for managed resources of any namespace that reference ' +
        'it; the one named "default" serves resources without spec.providerConfigRef. Secret references ' +
        "without a namespace read the provider's namespace. While managed resources use it (status.users), " +
        'the finalizer in-use.crossplane.io keeps it.',
    ),
    crd(
      group,
      version,
      'ProviderConfigUsage',
      'providerconfigusages',
      'Namespaced',
      'Records that a managed resource uses a provider config, so the config is not deleted while in use. ' +
        'The provider creates one per managed resource (named by its UID) and removes it when the resource ' +
        'is released.',
      usage,
      [
        { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        { name: 'CONFIG-NAME', type: 'string', jsonPath: '.providerConfigRef.name' },
        { name: 'RESOURCE-KIND', type: 'string', jsonPath: '.resourceRef.kind' },
        { name: 'RESOURCE-NAME', type: 'string', jsonPath: '.resourceRef.name' },
      ],
      PROVIDER_CATEGORIES,
      false,
    ),
  ];
}

/**
 * The CRD of a cluster-scoped kind the platform writes and the provider only reads (AdoptionGrant):
 * a spec, no status.
 */
export function platformCustomResourceDefinition(kind: {
  group: string;
  version: string;
  kind: string;
  plural: string;
  description: string;
  spec: z.ZodType;
}): CrdManifest {
  const spec = toOpenApiSchema(kind.spec);
  const columns: OpenApiSchema[] = [
    { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ...Object.keys((spec['properties'] as Record<string, unknown> | undefined) ?? {}).map((field) => ({
      name: field.toUpperCase(),
      type: 'string',
      jsonPath: `.spec.${field}`,
    })),
  ];
  return crd(
    kind.group,
    kind.version,
    kind.kind,
    kind.plural,
    'Cluster',
    kind.description,
    { spec: { ...spec, type: 'object' } },
    columns,
    PROVIDER_CATEGORIES,
    false,
  );
}

function crd(
  group: string,
  version: string,
  kind: string,
  plural: string,
  scope: string,
  description: string,
  properties: Record<string, OpenApiSchema>,
  printerColumns: OpenApiSchema[],
  categories: string[],
  statusSubresource = true,
): CrdManifest {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), categories },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          ...(statusSubresource ? { subresources: { status: {} } } : {}),
          ...(printerColumns.length > 0 ? { additionalPrinterColumns: printerColumns } : {}),
          schema: { openAPIV3Schema: { type: 'object', description, properties } },
        },
      ],
    },
  };
}
