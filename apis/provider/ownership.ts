import type { z } from 'zod';

/**
 * The ownership marker provider-stackplane writes as the last word of the description of every
 * reseller project and user it creates: `stackplane-owner_` and 20 hexadecimal digits of a hash of
 * the managed resource's namespace and name. It fits the reseller API's Description pattern (words of
 * letters, digits, "_" and "-"), and a description coming from a spec may never contain it.
 */
export const OWNER_MARKER_PREFIX = 'stackplane-owner_';

/** The marker as the last word of a description. */
export const OWNER_MARKER_PATTERN = /(?:^| )(stackplane-owner_[0-9a-f]{20})$/;

/** The API's Description limit, less the marker and the space before it. */
export const MARKED_DESCRIPTION_MAX = 254 - (OWNER_MARKER_PREFIX.length + 20) - 1;

/** Refuses a description that carries marker text: a tenant must not claim another resource's object. */
export function withoutOwnerMarker<T extends z.ZodType<string>>(schema: T) {
  return schema
    .refine((description) => !description.includes(OWNER_MARKER_PREFIX), {
      message: `must not contain "${OWNER_MARKER_PREFIX}": the provider keeps it for its ownership marker`,
    })
    .meta({
      'x-kubernetes-validations': [
        {
          rule: `!self.contains('${OWNER_MARKER_PREFIX}')`,
          message: `description must not contain "${OWNER_MARKER_PREFIX}": the provider keeps it for its ownership marker`,
        },
      ],
    });
}
