import { describe, expect, it } from 'vitest';
import { StackplaneFunction } from '../../../../functions/handler.js';
import { steps } from '../../../../functions/steps/index.js';
import type { KubeObject } from '../../../../functions/types.js';
import {
  dataXR,
  decoded,
  fakeRandom,
  platformFetched,
  shippedInput,
  withStatus,
} from '../../../support/data.js';
import { runFunctionRequest } from '../../../support/requests.js';
import { desiredResources, desiredStatus, summarize } from '../../../support/responses.js';

const input = shippedInput('smtpcredentials.yaml');
const run = (
  xr: KubeObject,
  required = platformFetched(),
  observed: Record<string, KubeObject> = {},
  seed = 9,
) =>
  new StackplaneFunction(steps, undefined, fakeRandom(seed)).RunFunction(
    runFunctionRequest({ xr, input, required, observed }),
  );
const smtp = (spec: Record<string, unknown>, ...m: Parameters<typeof dataXR>[2][]) =>
  dataXR('SMTPCredentials', spec, ...m);
const spec = (object: KubeObject | undefined) => object?.['spec'] as Record<string, unknown>;

// AWS's documented example key; the password is the one AWS's published script derives for eu-west-1.
const accessKey = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'orders-smtp-key', namespace: 'team-a' },
  data: {
    username: btoa('AKIAIOSFODNN7EXAMPLE'),
    password: btoa('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
  },
};

describe('SMTPCredentials on AWS', () => {
  it('derives the SMTP password from the observed access key and fills the original keys', async () => {
    const rsp = await run(
      smtp({ type: 'managed', tier: 'production' }),
      platformFetched(undefined, { 'access-key-connection': [accessKey] }),
    );
    expect(summarize(rsp).results).toEqual([]);
    expect(decoded(desiredResources(rsp)['connection-secret'])).toEqual({
      username: 'AKIAIOSFODNN7EXAMPLE',
      password: 'BMW5RDrXmmVs0lV7GpI4oLkHXpZ4stDsk6q91z1g38Pk',
      host: 'email-smtp.eu-west-1.amazonaws.com',
      port: '587',
      tls: 'true',
    });
    expect(desiredStatus(rsp)).toEqual({
      provider: 'aws',
      strategy: 'production',
      connectionSecret: 'orders-connection',
      externalName: 'qwerty-team-a-orders-yvwi6skvnu',
      domain: 'mail.example.com',
      endpoint: 'email-smtp.eu-west-1.amazonaws.com:587',
    });
  });

  it('composes no connection Secret until the provider has written the access key', async () => {
    const rsp = await run(smtp({ type: 'managed', tier: 'production' }));
    expect(desiredResources(rsp)['connection-secret']).toBeUndefined();
    expect(rsp.requirements?.resources?.['access-key-connection']).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      matchName: 'orders-smtp-key',
      namespace: 'team-a',
    });
  });

  it('verifies the domain as a shared identity that no composite deletes, and allows only SendRawEmail', async () => {
    const resources = desiredResources(await run(smtp({ type: 'managed', tier: 'production' })));
    expect(resources['email-identity']).toEqual({
      apiVersion: 'sesv2.aws.m.upbound.io/v1beta1',
      kind: 'EmailIdentity',
      metadata: {
        name: 'orders-smtp-identity',
        namespace: 'team-a',
        labels: {
          'app.kubernetes.io/name': 'smtp',
          'app.kubernetes.io/instance': 'orders',
          'app.kubernetes.io/managed-by': 'stackplane',
        },
        annotations: { 'crossplane.io/external-name': 'mail.example.com' },
      },
      spec: {
        managementPolicies: ['Observe', 'Create', 'Update', 'LateInitialize'],
        providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
        forProvider: {
          region: 'eu-west-1',
          tags: { 'stackplane.io/cluster-id': 'qwerty', 'stackplane.io/resource-type': 'smtp' },
        },
      },
    });
    expect(
      JSON.parse(String((spec(resources['iam-policy'])['forProvider'] as { policy: string }).policy)),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ses:SendRawEmail'],
          Resource: ['arn:aws:ses:eu-west-1:*:identity/mail.example.com'],
        },
      ],
    });
  });

  it('keeps the recorded domain and user when the platform table changes', async () => {
    const rsp = await run(
      smtp(
        { type: 'managed', tier: 'production' },
        withStatus({
          provider: 'aws',
          strategy: 'production',
          domain: 'old.example.com',
          externalName: 'kept-user',
        }),
      ),
      platformFetched({ strategies: { smtp: { aws: { production: { domain: 'new.example.com' } } } } }),
    );
    const resources = desiredResources(rsp);
    expect((resources['email-identity']?.['metadata'] as { annotations: unknown }).annotations).toEqual({
      'crossplane.io/external-name': 'old.example.com',
    });
    expect((resources['iam-user']?.['metadata'] as { annotations: unknown }).annotations).toEqual({
      'crossplane.io/external-name': 'kept-user',
    });
  });

  it('observes only with skipCreate, the shared identity included', async () => {
    const rsp = await run(smtp({ type: 'managed', tier: 'production', skipCreate: true }));
    expect(
      Object.fromEntries(
        Object.entries(desiredResources(rsp)).map(([name, r]) => [name, spec(r)['managementPolicies']]),
      ),
    ).toEqual({
      'email-identity': ['Observe'],
      'iam-user': ['Observe'],
      'iam-policy': ['Observe'],
      'iam-policy-attachment': ['Observe'],
      'access-key': ['Observe'],
    });
  });

  it('refuses a platform domain that is not a DNS domain, naming the field', async () => {
    const rsp = await run(
      smtp({ type: 'managed', tier: 'production' }),
      platformFetched({ strategies: { smtp: { aws: { production: { domain: 'Mail Example' } } } } }),
    );
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Fatal',
        reason: 'InvalidPlatformConfig',
        message:
          'cannot compose SMTPCredentials team-a/orders: EnvironmentConfig "stackplane-data" data.dataServices is not usable: data.dataServices.strategies.smtp.aws.production.domain: must be a DNS domain, for example mail.example.com',
      },
    ]);
    expect(desiredResources(rsp)).toEqual({});
  });
});

describe('SMTPCredentials in the cluster: a mail sink with its own credentials', () => {
  const xr = smtp({ type: 'workshop', tier: 'development' });

  it('generates the password once and fills the original keys from the observed Secret', async () => {
    const first = desiredResources(await run(xr));
    expect(first['connection-secret']).toBeUndefined();
    const password = fakeRandom(9)(24).toString('base64url');
    expect(decoded(first['credentials'])).toEqual({ username: 'smtp', password });
    const again = desiredResources(
      await run(xr, platformFetched(), { credentials: first['credentials']! }, 42),
    );
    expect(again['credentials']).toEqual(first['credentials']);
    expect(decoded(again['connection-secret'])).toEqual({
      username: 'smtp',
      password,
      host: 'orders-smtp.team-a.svc',
      port: '1025',
      tls: 'false',
    });
  });

  it('turns SMTP authentication on from the Secret, never with the password in the pod spec', async () => {
    const deployment = desiredResources(await run(xr))['deployment'];
    const container = (
      spec(deployment)['template'] as { spec: { containers: Array<Record<string, unknown>> } }
    ).spec.containers[0]!;
    expect(container['env']).toEqual([
      {
        name: 'SMTP_USERNAME',
        valueFrom: { secretKeyRef: { name: 'orders-smtp-credentials', key: 'username' } },
      },
      {
        name: 'SMTP_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'orders-smtp-credentials', key: 'password' } },
      },
      { name: 'MP_SMTP_AUTH', value: '$(SMTP_USERNAME):$(SMTP_PASSWORD)' },
      { name: 'MP_SMTP_AUTH_ALLOW_INSECURE', value: 'true' },
      { name: 'MP_UI_AUTH', value: '$(SMTP_USERNAME):$(SMTP_PASSWORD)' },
    ]);
    expect(container['image']).toBe('docker.io/axllent/mailpit:v1.29.7');
  });
});
