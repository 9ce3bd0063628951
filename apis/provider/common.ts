import { z } from 'zod';

/** Crossplane's immutability rule for a field, enforced by the API server. */
export function immutable(field: string): {
  'x-kubernetes-validations': { rule: string; message: string }[];
} {
  return { 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: `${field} is immutable` }] };
}

/** A reseller API project or user id: 32 lowercase hex digits (the API's Id32 schema). */
export const id32Schema = z
  .string()
  .length(32)
  .regex(/^[a-f0-9]+$/, 'must be 32 lowercase hexadecimal digits')
  .describe('A reseller API id: 32 lowercase hexadecimal digits.');

/** A key of a Secret in the managed resource's namespace. */
export const secretKeySelectorSchema = z
  .object({
    name: z.string().min(1).describe('Name of the Secret.'),
    key: z.string().min(1).describe('Key in the Secret whose value is used.'),
  })
  .describe('A key of a Secret in the namespace of the managed resource.');

/** A Secret anywhere in the cluster, for provider configs. */
export const secretReferenceSchema = z
  .object({
    name: z.string().min(1).describe('Name of the Secret.'),
    namespace: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Namespace of the Secret. A ProviderConfig reads Secrets of its own namespace only (another ' +
          "namespace is an error); a ClusterProviderConfig defaults to the provider's namespace " +
          '(POD_NAMESPACE, usually crossplane-system).',
      ),
  })
  .describe('A reference to a Secret.');

/** A key of a Secret anywhere in the cluster, for provider configs. */
export const secretKeyReferenceSchema = secretReferenceSchema
  .extend({ key: z.string().min(1).describe('Key in the Secret whose value is used.') })
  .describe('A key of a Secret.');
