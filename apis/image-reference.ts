import { z } from 'zod';

/**
 * An image reference as a container runtime reads it: registry/repository with a :tag or an @digest.
 * Only its characters are checked here; the platform writes these, and compares them exactly.
 */
export const imageReference = z
  .string()
  .min(1)
  .max(512)
  .regex(
    /^[a-z0-9][a-z0-9._\-/:]*(@sha256:[a-f0-9]{64}|:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/,
    'must be an image reference with a tag or digest, for example quay.io/org/image:2025.1',
  );
