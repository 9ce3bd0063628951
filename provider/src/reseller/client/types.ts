/** Names for the reseller API's schemas, taken from the types generated from its OpenAPI description. */
import type { components } from './openapi.generated.js';

type Schemas = components['schemas'];

/** The answer of the password login. */
export type Token = Schemas['Token'];
/** Who the token belongs to, with the customer's project name prefix. */
export type VaultUser = Schemas['VaultUser'];
export type ProjectCreate = Schemas['ProjectCreate'];
export type ProjectUpdate = Schemas['ProjectUpdate'];
/** A project as the API returns it; `id` is 32 hex digits. */
export type Project = Schemas['ProjectCreatedResponse'];
/** One membership: a user in a project. */
export type ProjectUser = Schemas['ProjectUser'];
export type UserCreate = Schemas['CreateOpenStackUser'];
export type UserUpdate = Schemas['UpdateOpenStackUser'];
/** A user as the API returns it; `name` is the e-mail address the user logs in with. */
export type User = Schemas['CreatedOpenStackUser'];
export type ComputeQuotas = Schemas['ComputeQuotas'];
export type VolumeQuotas = Schemas['VolumeQuotas'];
export type NetworkQuotas = Schemas['NetworkQuotas'];
/** A project's quotas, per service; on update, services left out stay as they are. */
export type Quotas = Schemas['UpdateQuota'];
