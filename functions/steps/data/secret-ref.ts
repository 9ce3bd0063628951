import type { StepCondition } from '../../types.js';

/** The condition that names a field of the original operator a spec still uses. */
export const DEPRECATED_CONDITION = 'Deprecated';

/** The connection Secret fields of a data service spec. */
export interface SecretFields {
  writeConnectionSecretToRef: { name?: string | undefined };
  secretRef?: { name?: string | undefined; namespace?: string | undefined } | undefined;
}

/** The connection Secret's name, with the condition to publish, or why the spec cannot be honoured. */
export type SecretNameResolution =
  { name: string; conditions: StepCondition[] } | { refused: { reason: string; message: string } };

/**
 * The connection Secret's name: `writeConnectionSecretToRef.name`, else the original operator's
 * `secretRef.name` (so a ported manifest's consumers keep finding their Secret), else
 * `<name>-connection`. While `secretRef` is used, condition Deprecated says what to write instead;
 * once it no longer is, a Deprecated condition set earlier turns False.
 */
export function resolveSecretName(options: {
  xrName: string;
  namespace: string;
  spec: SecretFields;
  /** Whether the composite already carries a Deprecated condition from an earlier run. */
  deprecatedBefore: boolean;
}): SecretNameResolution {
  const { spec, namespace } = options;
  const current = spec.writeConnectionSecretToRef.name;
  const legacy = spec.secretRef;
  if (legacy?.namespace && legacy.namespace !== namespace) {
    return {
      refused: {
        reason: 'SecretNamespaceUnsupported',
        message: `spec.secretRef.namespace: the connection Secret is always written to the resource's own namespace "${namespace}", not "${legacy.namespace}"; remove spec.secretRef.namespace, or create the resource in namespace "${legacy.namespace}"`,
      },
    };
  }
  if (legacy?.name && current && legacy.name !== current) {
    return {
      refused: {
        reason: 'ConflictingSecretNames',
        message: `spec.secretRef.name "${legacy.name}" and spec.writeConnectionSecretToRef.name "${current}" name different Secrets; keep only spec.writeConnectionSecretToRef.name`,
      },
    };
  }
  const name = current ?? legacy?.name ?? `${options.xrName}-connection`;
  if (legacy) {
    return {
      name,
      conditions: [
        {
          type: DEPRECATED_CONDITION,
          status: 'True',
          reason: 'SecretRefUsed',
          message: `spec.secretRef is the original operator's field; the connection Secret is "${name}" as it says. Write spec.writeConnectionSecretToRef.name: ${name} instead and remove spec.secretRef`,
        },
      ],
    };
  }
  return {
    name,
    conditions: options.deprecatedBefore
      ? [{ type: DEPRECATED_CONDITION, status: 'False', reason: 'NoDeprecatedFields' }]
      : [],
  };
}
