/**
 * The replaced controller's resource fields that a StorageTenant still accepts, each with a warning
 * that says what to write instead. (Its `compression: "true"` string is refused, by the API server's
 * type check and by the function's message naming the fix: a boolean cannot also be a string.)
 */
import type { StorageTenantSpec } from '../../../apis/storage/storagetenant.js';
import type { StepResult } from '../../types.js';

export function migrationWarnings(spec: StorageTenantSpec): StepResult[] {
  if (spec.metalProjectID === undefined) return [];
  return [
    {
      severity: 'Warning',
      reason: 'DeprecatedField',
      message:
        `spec.metalProjectID is the former name of spec.projectID and is used as the project id: ` +
        `write projectID: ${spec.metalProjectID} instead`,
    },
  ];
}
