// One reseller unit of the provider benches: a user's password Secret, a Project and a User, then,
// once their ids are known, the membership and the application credential a Composition would add.
import type { KubeObject } from '../provider/src/runtime/kube.js';
import type { MRModifier } from '../test/support/provider-cluster.js';
import { resellerMR } from '../test/support/provider-cluster.js';
import { NAMESPACE } from './provider-settings.js';

const passwordRef = (i: number) => ({ name: `pw-${i}`, key: 'password' });

/** The Secret unit i's User and ApplicationCredential read their password from. */
export const passwordSecret = (i: number, password: string) =>
  ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `pw-${i}`, namespace: NAMESPACE },
    stringData: { password },
  }) as KubeObject;

export const project = (i: number, ...modifiers: MRModifier[]) =>
  resellerMR(
    'Project',
    NAMESPACE,
    `p${i}`,
    { name: `p${i}`, description: `Bench ${i}` },
    ...modifiers,
  ) as KubeObject;

/** A User whose login is written to the Secret `u<i>-login`. */
export const user = (i: number, ...modifiers: MRModifier[]) =>
  resellerMR(
    'User',
    NAMESPACE,
    `u${i}`,
    { email: `u${i}@bench.example`, description: `Bench ${i}`, passwordSecretRef: passwordRef(i) },
    (mr) => (mr.spec.writeConnectionSecretToRef = { name: `u${i}-login` }),
    ...modifiers,
  ) as KubeObject;

export const membership = (i: number, projectID: string, userID: string, ...modifiers: MRModifier[]) =>
  resellerMR('ProjectMembership', NAMESPACE, `m${i}`, { projectID, userID }, ...modifiers) as KubeObject;

/** An ApplicationCredential whose secret is written to the Secret `c<i>-credential`. */
export const applicationCredential = (
  i: number,
  projectID: string,
  userID: string,
  ...modifiers: MRModifier[]
) =>
  resellerMR(
    'ApplicationCredential',
    NAMESPACE,
    `c${i}`,
    { userID, projectID, name: `ci${i}`, passwordSecretRef: passwordRef(i) },
    (mr) => (mr.spec.writeConnectionSecretToRef = { name: `c${i}-credential` }),
    ...modifiers,
  ) as KubeObject;
