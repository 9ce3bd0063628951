import type { AwsSmtpStrategy } from '../../../../apis/functions/data-service-input.js';
import type { SMTPCredentialsSpec } from '../../../../apis/data/smtpcredentials.js';
import type { Composer } from '../composer.js';
import { ACCESS_KEY_CONNECTION, iamUserWithKey } from '../iam.js';
import { managedResource } from '../managed.js';
import { externalName, localName } from '../names.js';
import { secretData, secretRequirement } from '../secrets.js';
import { sharedTags } from '../tags.js';
import { smtpConnection, sendAsDomainPolicy } from './connection.js';
import { sesSmtpPassword } from './password.js';
import { conditionTrue } from '../../../observed.js';

export const SESV2_API_VERSION = 'sesv2.aws.m.upbound.io/v1beta1';
/** Composition resource name of the SES domain identity. */
export const EMAIL_IDENTITY = 'email-identity';

/**
 * The domain identity is shared by every SMTPCredentials sending from that domain (SES knows one
 * identity per domain and region), so no composite may delete it: its policies leave out Delete, and
 * it carries only the tags all of its composites agree on.
 */
const SHARED_POLICIES = ['Observe', 'Create', 'Update', 'LateInitialize'];

/**
 * SMTPCredentials on AWS: the strategy's domain as an SES email identity, and an IAM user allowed
 * only ses:SendRawEmail as that domain, with an access key. The SMTP username is the key id; the
 * password is derived from the observed key's secret by AWS's SES algorithm (SigV4, version 0x04).
 */
export const smtpOnAws: Composer<SMTPCredentialsSpec, AwsSmtpStrategy> = (req) => {
  const { xr, strategy, platform, observed, required } = req;
  const region = platform.aws.region;
  const recordedUser = typeof xr.status['externalName'] === 'string' ? xr.status['externalName'] : undefined;
  const userName = externalName(
    'iam',
    { controllerId: req.controllerId, namespace: xr.namespace, name: xr.name },
    recordedUser,
  );
  // The domain is sticky like every external name: a new table value never moves existing senders.
  const domain = typeof xr.status['domain'] === 'string' ? xr.status['domain'] : strategy.domain;
  const iam = iamUserWithKey(req, {
    suffix: 'smtp',
    userName,
    policyName: userName,
    policy: sendAsDomainPolicy(region, domain),
    description: `Send mail as ${domain} for SMTPCredentials ${xr.namespace}/${xr.name}`,
  });
  const identity = managedResource({
    apiVersion: SESV2_API_VERSION,
    kind: 'EmailIdentity',
    name: localName(xr.name, 'smtp-identity'),
    namespace: xr.namespace,
    labels: req.labels,
    externalName: domain,
    providerConfigName: platform.aws.providerConfigName,
    policies: req.spec.skipCreate ? req.policies : SHARED_POLICIES,
    forProvider: {
      region,
      tags: sharedTags({ controllerId: req.controllerId, resourceType: xr.resourceType }, platform.aws.tags),
    },
  });
  const key = secretData(required[ACCESS_KEY_CONNECTION]?.[0]) ?? {};
  const host = `email-smtp.${region}.amazonaws.com`;
  return {
    resources: {
      [EMAIL_IDENTITY]: { resource: identity, ready: conditionTrue(observed[EMAIL_IDENTITY]) },
      ...iam.resources,
    },
    requirements: { [ACCESS_KEY_CONNECTION]: secretRequirement(iam.keySecretName, xr.namespace) },
    connection:
      key['username'] && key['password']
        ? smtpConnection({
            username: key['username'],
            password: sesSmtpPassword(key['password'], region),
            host,
            port: String(strategy.port),
            tls: true,
          })
        : undefined,
    status: { externalName: userName, domain, endpoint: `${host}:${strategy.port}` },
  };
};
