/**
 * The LightOS (Lightbits) management REST paths the provider uses, in one place. They are the
 * gRPC-gateway HTTP bindings of Lightbits' DurosAPI v2 (durosapiv2.proto, as vendored by
 * metal-stack/duros-go): CreateProject, GetProject, DeleteProject, CreateCredential, GetCredential,
 * DeleteCredential, ListVolumes.
 */

/** POST: create a project (body CreateProjectRequest). */
export const PROJECTS = '/api/v2/projects';

/** GET, DELETE: one project by name. */
export function projectPath(name: string): string {
  return `${PROJECTS}/${encodeURIComponent(name)}`;
}

/** GET: the volumes of a project (ListVolumesResponse `{volumes: Volume[]}`). */
export function volumesPath(projectName: string): string {
  return `${projectPath(projectName)}/volumes`;
}

/** POST: create a credential in a project (body CreateCredentialRequest). */
export function credentialsPath(projectName: string): string {
  return `${projectPath(projectName)}/credentials`;
}

/** GET, DELETE: one credential by ID, for example `<project>:root`. */
export function credentialPath(projectName: string, id: string): string {
  return `${credentialsPath(projectName)}/${encodeURIComponent(id)}`;
}

/** The ID of a project's root credential, which signs the project's tokens (the JWT `kid`). */
export function rootCredentialID(projectName: string): string {
  return `${projectName}:root`;
}

/** CredsType RS256PubKey as gRPC-gateway writes the enum in JSON. */
export const RS256_PUBLIC_KEY = 'RS256PubKey';
