import type { z } from 'zod';

/**
 * Formats zod issues as `path: problem` lines rooted at `root` (for example `spec`), so a user
 * reads exactly which field is wrong and what was expected.
 */
export function describeIssues(root: string, error: z.ZodError): string {
  return error.issues.map((issue) => `${fieldPath(root, issue.path)}: ${problem(issue)}`).join('; ');
}

function problem(issue: z.core.$ZodIssue): string {
  // zod says "expected string, received undefined" for a missing field; say what the user must do.
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `is required (expected ${issue.expected})`;
  }
  return issue.message;
}

/** `spec.storageClasses[1].replicas` from a root and a zod path. */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || '<root>';
}
