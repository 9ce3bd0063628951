// What steps pass to later steps of the same pipeline, through the RunFunction context: the key
// and shape of each entry, so a step that writes one and a step that reads it share one contract
// without one importing the other.
import { z } from 'zod';

/** The pipeline context key later steps read the UniqueName step's name from. */
export const UNIQUE_NAME_CONTEXT = 'stackplane.io/unique-name';

/** What the UniqueName step leaves in the pipeline context. */
export const uniqueNameContextSchema = z.object({ name: z.string().min(1) });

/** The name a pipeline's earlier UniqueName step derived, if it ran. */
export function uniqueNameFromContext(context: Readonly<Record<string, unknown>>): string | undefined {
  const parsed = uniqueNameContextSchema.safeParse(context[UNIQUE_NAME_CONTEXT]);
  return parsed.success ? parsed.data.name : undefined;
}
