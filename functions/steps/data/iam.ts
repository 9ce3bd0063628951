import type { DesiredResource, KubeObject } from '../../types.js';
import type { ComposeRequest } from './composer.js';
import { managedResource } from './managed.js';
import { localName } from './names.js';
import { conditionTrue } from '../../observed.js';

export const IAM_API_VERSION = 'iam.aws.m.upbound.io/v1beta1';
/** Composition resource names. */
export const IAM_USER = 'iam-user';
export const IAM_POLICY = 'iam-policy';
export const IAM_ATTACHMENT = 'iam-policy-attachment';
export const ACCESS_KEY = 'access-key';
/** Requirement name of the Secret the provider writes the access key to (username, password). */
export const ACCESS_KEY_CONNECTION = 'access-key-connection';

/**
 * An IAM user with one policy attached and an access key whose id and secret the provider writes to
 * `<name>-<suffix>-key` (keys username and password). IAM is global: these kinds have no region.
 */
export function iamUserWithKey(
  req: ComposeRequest<unknown, unknown>,
  options: { suffix: string; userName: string; policyName: string; policy: string; description: string },
): { resources: Record<string, DesiredResource>; keySecretName: string } {
  const { xr, observed } = req;
  const common = {
    namespace: xr.namespace,
    labels: req.labels,
    providerConfigName: req.platform.aws.providerConfigName,
    policies: req.policies,
  };
  const policyObjectName = localName(xr.name, `${options.suffix}-policy`);
  const keySecretName = localName(xr.name, `${options.suffix}-key`);
  const entry = (name: string, resource: KubeObject): [string, DesiredResource] => [
    name,
    { resource, ready: conditionTrue(observed[name]) },
  ];
  return {
    keySecretName,
    resources: Object.fromEntries([
      entry(
        IAM_USER,
        managedResource({
          ...common,
          apiVersion: IAM_API_VERSION,
          kind: 'User',
          name: localName(xr.name, options.suffix),
          externalName: options.userName,
          forProvider: { tags: req.tags },
        }),
      ),
      entry(
        IAM_POLICY,
        managedResource({
          ...common,
          apiVersion: IAM_API_VERSION,
          kind: 'Policy',
          name: policyObjectName,
          externalName: options.policyName,
          forProvider: { description: options.description, policy: options.policy, tags: req.tags },
        }),
      ),
      entry(
        IAM_ATTACHMENT,
        managedResource({
          ...common,
          apiVersion: IAM_API_VERSION,
          kind: 'UserPolicyAttachment',
          name: localName(xr.name, `${options.suffix}-policy-attachment`),
          forProvider: { user: options.userName, policyArnRef: { name: policyObjectName } },
        }),
      ),
      entry(
        ACCESS_KEY,
        managedResource({
          ...common,
          apiVersion: IAM_API_VERSION,
          kind: 'AccessKey',
          name: localName(xr.name, `${options.suffix}-key`),
          connectionSecret: keySecretName,
          forProvider: { user: options.userName },
        }),
      ),
    ]),
  };
}
