import type { StepCondition } from '../../types.js';
import type { InputProblems } from './inputs.js';

/** Where each part of a PlacementAPI stands, as observed in this run. */
export interface Progress {
  inputs: InputProblems;
  configReady: boolean;
  /** Each RBAC object: the operator publishes one condition per object. */
  rbac: { serviceAccount: boolean; role: boolean; roleBinding: boolean };
  servicesReady: boolean;
  databaseReady: boolean;
  accountReady: boolean;
  dbSync: 'WaitingForInputs' | 'WaitingForDatabase' | 'Running' | 'Completed';
  deployment: { ready: boolean; readyCount: number; replicas: number; created: boolean };
  keystone: { registered: boolean; serviceReady: boolean; endpointsReady: boolean };
  /** Attachments without an IP on the ready pods yet; empty when none are wanted or all have one. */
  networksMissing: string[];
}

const ok = (type: string, message: string): StepCondition => ({
  type,
  status: 'True',
  reason: 'Ready',
  message,
});
const notYet = (type: string, reason: string, message: string): StepCondition => ({
  type,
  status: 'False',
  reason,
  message,
});

const check = (type: string, ready: boolean, done: string, reason: string, waiting: string) =>
  ready ? ok(type, done) : notYet(type, reason, waiting);

/**
 * One condition per part, so `kubectl describe` says which part is not ready yet, with the same
 * types the original operator set.
 */
export function placementConditions(p: Progress): StepCondition[] {
  const dbSyncMessages: Record<Progress['dbSync'], string> = {
    WaitingForInputs: 'db-sync waits for the password and TLS Secrets',
    WaitingForDatabase: 'db-sync waits for the database and its account',
    Running: 'db-sync Job is running placement-manage db sync',
    Completed: 'db-sync completed',
  };
  const { deployment, keystone } = p;
  const keystoneWaiting = keystone.registered
    ? 'waiting for Keystone to confirm'
    : 'registration waits until the Deployment is ready';
  return [
    p.inputs.secret
      ? notYet('InputReady', 'WaitingForSecret', p.inputs.secret)
      : ok('InputReady', 'Input data complete'),
    p.inputs.tls
      ? notYet('TLSInputReady', 'WaitingForSecret', p.inputs.tls)
      : ok('TLSInputReady', 'TLS input complete'),
    check(
      'ServiceConfigReady',
      p.configReady,
      'Service config create completed',
      'Creating',
      'config Secret is being created',
    ),
    check(
      'RBACReady',
      p.rbac.serviceAccount && p.rbac.role && p.rbac.roleBinding,
      'ServiceAccount, Role and RoleBinding created',
      'Creating',
      'ServiceAccount, Role and RoleBinding are being created',
    ),
    check(
      'DBReady',
      p.databaseReady,
      'database placement created',
      'Creating',
      'database placement is being created',
    ),
    check(
      'DatabaseAccountReady',
      p.accountReady,
      'database account and grant created',
      'Creating',
      'database account and grant are being created',
    ),
    p.dbSync === 'Completed'
      ? ok('DBSyncReady', dbSyncMessages.Completed)
      : notYet('DBSyncReady', p.dbSync, dbSyncMessages[p.dbSync]),
    deployment.ready
      ? ok(
          'DeploymentReady',
          `Deployment completed: ${deployment.readyCount}/${deployment.replicas} pods ready`,
        )
      : notYet(
          'DeploymentReady',
          deployment.created ? 'Creating' : 'WaitingForDBSync',
          deployment.created
            ? `${deployment.readyCount}/${deployment.replicas} pods ready`
            : 'the Deployment is created once db-sync completed',
        ),
    check(
      'CreateServiceReady',
      p.servicesReady,
      'Services placement-internal and placement-public created',
      'Creating',
      'Services are being created',
    ),
    check(
      'KeystoneServiceReady',
      keystone.serviceReady,
      'Keystone service placement registered',
      keystone.registered ? 'Creating' : 'WaitingForDeployment',
      `Keystone service: ${keystoneWaiting}`,
    ),
    check(
      'KeystoneEndpointReady',
      keystone.endpointsReady,
      'Keystone endpoints internal and public registered',
      keystone.registered ? 'Creating' : 'WaitingForDeployment',
      `Keystone endpoints: ${keystoneWaiting}`,
    ),
    p.networksMissing.length === 0
      ? ok('NetworkAttachmentsReady', 'NetworkAttachments completed')
      : notYet(
          'NetworkAttachmentsReady',
          'WaitingForNetworks',
          `no IP observed yet on ${p.networksMissing.join(', ')}`,
        ),
    ...operatorConditions(p),
  ];
}

/**
 * The placement-operator's condition types that Stackplane's own types combine or name otherwise,
 * published beside them so tooling and alerts written for the operator keep working.
 */
function operatorConditions(p: Progress): StepCondition[] {
  const created = (type: string, ready: boolean, what: string) =>
    check(type, ready, `${what} created`, 'Creating', `${what} is being created`);
  return [
    created('ServiceAccountReady', p.rbac.serviceAccount, 'ServiceAccount'),
    created('RoleReady', p.rbac.role, 'Role'),
    created('RoleBindingReady', p.rbac.roleBinding, 'RoleBinding'),
    check(
      'MariaDBAccountReady',
      p.accountReady,
      'database account and grant created',
      'Creating',
      'database account and grant are being created',
    ),
  ];
}

/** Whether every part is ready: only then is the PlacementAPI Ready. */
export function allReady(conditions: readonly StepCondition[]): boolean {
  return conditions.every((c) => c.status === 'True');
}
