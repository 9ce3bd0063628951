import type { KubeObject, StepCondition } from '../../types.js';

/** What a binding found of its user and project. */
export interface BindingTargets {
  namespace: string;
  userName: string;
  projectName: string;
  user: KubeObject | undefined;
  project: KubeObject | undefined;
  /** The project's region, once the project exists. */
  region: string | undefined;
  /** The user's login and its OpenStack user id in the project's region (User status). */
  login: string | undefined;
  userID: string | undefined;
  /** The project's id and full name (Project status), once it is ready. */
  projectID: string | undefined;
  fullName: string | undefined;
}

const notYet = (type: string, reason: string, message: string): StepCondition => ({
  type,
  status: 'False',
  reason,
  message,
});

/** ProjectReady and UserReady: what the binding waits for, as the original's conditions said. */
export function bindingConditions(t: BindingTargets): StepCondition[] {
  const p = `Project ${t.namespace}/${t.projectName}`;
  const u = `User ${t.namespace}/${t.userName}`;
  const project: StepCondition = !t.project
    ? notYet(
        'ProjectReady',
        'ProjectMissing',
        `waiting for ${p}: it does not exist; create it or fix spec.project`,
      )
    : !t.projectID
      ? notYet(
          'ProjectReady',
          'WaitingForProject',
          `waiting for ${p} to be ready: it has no OpenStack project id yet`,
        )
      : {
          type: 'ProjectReady',
          status: 'True',
          reason: 'Available',
          message: `${p} is OpenStack project ${t.fullName ?? t.projectID} in region ${t.region ?? ''}`,
        };
  const user: StepCondition = !t.user
    ? notYet('UserReady', 'UserMissing', `waiting for ${u}: it does not exist; create it or fix spec.user`)
    : !t.region || !t.userID
      ? notYet(
          'UserReady',
          'WaitingForOpenStackUser',
          `waiting for ${u} to have an OpenStack user in region ${t.region ?? '(the project has none yet)'}; the User creates it once it sees this binding`,
        )
      : {
          type: 'UserReady',
          status: 'True',
          reason: 'Available',
          message: `${u} is OpenStack user ${t.login ?? ''} in region ${t.region}`,
        };
  return [project, user];
}

/** ApplicationCredentialReady, when one is wanted: where it is, or what it waits for. */
export function applicationCredentialCondition(
  wanted: boolean,
  membershipReady: boolean,
  credentialReady: boolean,
  secret: string,
): StepCondition[] {
  if (!wanted) return [];
  const type = 'ApplicationCredentialReady';
  if (credentialReady) {
    return [
      {
        type,
        status: 'True',
        reason: 'Available',
        message: `the application credential is in Secret ${secret}`,
      },
    ];
  }
  return [
    membershipReady
      ? notYet(type, 'Creating', `creating the application credential; it goes into Secret ${secret}`)
      : notYet(
          type,
          'WaitingForMembership',
          'waiting for the membership before creating the application credential',
        ),
  ];
}
