import { apiVersionOf, type CompositeKind, type InputKind } from './definition.js';
import { withBounds } from './bounds.js';
import { toOpenApiSchema, type OpenApiSchema } from './openapi.js';

/** A Kubernetes manifest as a plain object. */
export type Manifest = Record<string, unknown>;

/** Categories every Stackplane kind joins, so `kubectl get stackplane` lists them all. */
const CATEGORIES = ['crossplane', 'stackplane'];

/** The `apiextensions.crossplane.io/v2` CompositeResourceDefinition of a composite kind. */
export function compositeResourceDefinition(kind: CompositeKind): Manifest {
  const schema: OpenApiSchema = {
    type: 'object',
    description: kind.description,
    properties: {
      spec: withBounds(toOpenApiSchema(kind.spec)),
      status: withAtomicObjects(toOpenApiSchema(kind.status)),
    },
    required: ['spec'],
  };
  return {
    apiVersion: 'apiextensions.crossplane.io/v2',
    kind: 'CompositeResourceDefinition',
    metadata: { name: `${kind.plural}.${kind.group}` },
    spec: {
      scope: kind.scope,
      group: kind.group,
      names: { kind: kind.kind, plural: kind.plural, categories: CATEGORIES },
      defaultCompositionRef: { name: `${kind.plural}.${kind.group}` },
      versions: [
        {
          name: kind.version,
          served: true,
          referenceable: true,
          additionalPrinterColumns: kind.printerColumns,
          schema: { openAPIV3Schema: schema },
        },
      ],
    },
  };
}

/**
 * Marks every object below the status root `x-kubernetes-map-type: atomic`. Crossplane core applies
 * an XR's status with server-side apply as the function returned it; a granular map that loses its
 * last key becomes `null` there, which the schema refuses and which stops every later status update.
 * Atomic, the function's value replaces the whole map (`{}` stays `{}`) and a map it leaves out is
 * removed. The root stays granular: Crossplane's own status fields (conditions) live beside ours.
 */
export function withAtomicObjects(status: OpenApiSchema): OpenApiSchema {
  // granular: the API server refuses atomic items in a list keyed by their fields.
  const visit = (node: OpenApiSchema, granular: boolean): OpenApiSchema => {
    const out: OpenApiSchema = { ...node };
    if (node['type'] === 'object' && !granular) out['x-kubernetes-map-type'] = 'atomic';
    const properties = node['properties'] as Record<string, OpenApiSchema> | undefined;
    if (properties) {
      out['properties'] = Object.fromEntries(
        Object.entries(properties).map(([name, child]) => [name, visit(child, false)]),
      );
    }
    if (node['items']) {
      out['items'] = visit(node['items'] as OpenApiSchema, node['x-kubernetes-list-type'] === 'map');
    }
    const values = node['additionalProperties'];
    if (values && typeof values === 'object')
      out['additionalProperties'] = visit(values as OpenApiSchema, false);
    return out;
  };
  return visit(status, true);
}

/** The CustomResourceDefinition of a function input kind, so `kubectl explain` and validators know it. */
export function inputCustomResourceDefinition(input: InputKind): Manifest {
  const fields = toOpenApiSchema(input.schema);
  const properties = {
    apiVersion: { type: 'string', enum: [apiVersionOf(input)] },
    kind: { type: 'string', enum: [input.kind] },
    metadata: { type: 'object' },
    ...(fields['properties'] as OpenApiSchema),
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${input.plural}.${input.group}` },
    spec: {
      group: input.group,
      scope: 'Namespaced',
      names: {
        kind: input.kind,
        listKind: `${input.kind}List`,
        plural: input.plural,
        singular: input.kind.toLowerCase(),
        categories: ['crossplane'],
      },
      versions: [
        {
          name: input.version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: input.description,
              properties,
              ...(fields['required'] ? { required: fields['required'] } : {}),
            },
          },
        },
      ],
    },
  };
}
