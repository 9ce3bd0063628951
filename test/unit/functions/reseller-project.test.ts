import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS } from '../../../apis/reseller/project.js';
import { StackplaneFunction } from '../../../functions/handler.js';
import { steps } from '../../../functions/steps/index.js';
import { runFunctionRequest, withSpec, type RequestParts } from '../../support/requests.js';
import {
  binding,
  deleting,
  input,
  observedMR,
  project,
  region,
  uniqueNameContext,
} from '../../support/reseller.js';
import { desiredResources, desiredStatus, summarize, type Summary } from '../../support/responses.js';

const NAME = 'kkkfqd-default-project-sample';

/** The original's default quotas in the provider Project's camelCase fields. */
const PROVIDER_DEFAULT_QUOTAS = {
  compute: {
    instances: 64,
    cores: 64,
    floatingIPs: 10,
    ram: 262144,
    keyPairs: 500,
    securityGroups: 500,
    securityGroupRules: 500,
    serverGroups: 10,
    serverGroupMembers: 15,
    metadataItems: 100,
  },
  volume: { gigabytes: 2000, volumes: 500, snapshots: 99, backups: 99, backupGigabytes: 2000 },
  network: {
    floatingip: 10,
    network: 10,
    router: 10,
    securityGroup: 500,
    securityGroupRule: 500,
    subnet: 100,
  },
};
const run = (parts: RequestParts) =>
  new StackplaneFunction(steps).RunFunction(
    runFunctionRequest({
      input: input('ResellerProject'),
      context: uniqueNameContext(NAME),
      required: { regions: [region('prod1'), region('prod2')], bindings: [] },
      ...parts,
    }),
  );

const invalid = (reason: string, message: string): Summary => ({
  results: [{ severity: 'Fatal', reason, message }],
  conditions: [{ type: 'Valid', status: 'False', reason, message }],
});

describe('Project: bad input is refused with the field and the fix, and nothing is composed', () => {
  const cases: Record<string, { reason: string; parts: RequestParts; want: Summary }> = {
    'unknown region': {
      reason: 'a region is a ClusterProviderConfig; say which exist',
      parts: { xr: project('project-sample', withSpec({ region: 'prod9' })) },
      want: invalid(
        'UnknownRegion',
        'invalid Project default/project-sample: spec.region: no region "prod9": there is no ClusterProviderConfig (m.stackplane.io/v1alpha1) of that name; set it to one of: prod1, prod2, or ask the platform team to create ClusterProviderConfig "prod9" with the region\'s endpoint, credentials.secretRef, keystone.authURL and regionName',
      ),
    },
    'no region at all': {
      reason: 'a fresh platform has none yet',
      parts: { xr: project(), required: { regions: [], bindings: [] } },
      want: invalid(
        'UnknownRegion',
        'invalid Project default/project-sample: spec.region: no region "prod1": there is no ClusterProviderConfig (m.stackplane.io/v1alpha1) of that name; no region exists yet, or ask the platform team to create ClusterProviderConfig "prod1" with the region\'s endpoint, credentials.secretRef, keystone.authURL and regionName',
      ),
    },
    'description the API refuses': {
      reason: "the API's Description pattern: words separated by single spaces",
      parts: { xr: project('project-sample', withSpec({ description: 'My project!' })) },
      want: invalid(
        'InvalidSpec',
        'invalid Project default/project-sample: spec.description: must be words of letters, digits, "_" or "-" separated by single spaces (the reseller API refuses anything else), for example "Team A staging"',
      ),
    },
    'quota over the API limit': {
      reason: 'cores are 0-500',
      parts: {
        xr: project(
          'project-sample',
          withSpec({ quotas: { compute: { ...DEFAULT_QUOTAS.compute, cores: 501 } } }),
        ),
      },
      want: invalid(
        'InvalidSpec',
        'invalid Project default/project-sample: spec.quotas.compute.cores: Too big: expected number to be <=500',
      ),
    },
    'quota block without a field the API requires': {
      reason: 'ComputeQuotas requires instances, key_pairs, metadata_items and server_groups',
      parts: { xr: project('project-sample', withSpec({ quotas: { compute: { cores: 8 } } })) },
      want: invalid(
        'InvalidSpec',
        'invalid Project default/project-sample: spec.quotas.compute.instances: is required (expected number); spec.quotas.compute.key_pairs: is required (expected number); spec.quotas.compute.metadata_items: is required (expected number); spec.quotas.compute.server_groups: is required (expected number)',
      ),
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { parts, want }) => {
    const rsp = await run(parts);
    expect(summarize(rsp)).toEqual(want);
    expect(desiredResources(rsp)).toEqual({});
  });

  it('says when the UniqueName step is missing from the pipeline', async () => {
    const rsp = await run({ xr: project(), context: {} });
    expect(summarize(rsp).results).toEqual([
      {
        severity: 'Fatal',
        reason: 'MissingUniqueName',
        message:
          'cannot compose Project default/project-sample: no unique name in the pipeline context; run a UniqueName step before this one in the Composition',
      },
    ]);
  });
});

describe('Project: composes the provider Project', () => {
  it('with the unique name, the defaults and the region', async () => {
    const rsp = await run({ xr: project() });
    expect(desiredResources(rsp)['project']).toEqual({
      apiVersion: 'reseller.m.stackplane.io/v1alpha1',
      kind: 'Project',
      metadata: {
        name: 'project-sample',
        namespace: 'default',
        labels: { 'app.kubernetes.io/managed-by': 'stackplane' },
      },
      spec: {
        forProvider: {
          name: NAME,
          description: 'Generated by PCO Reseller Operator',
          enabled: true,
          networkPreconfigure: false,
          quotas: PROVIDER_DEFAULT_QUOTAS,
        },
        providerConfigRef: { kind: 'ClusterProviderConfig', name: 'prod1' },
      },
    });
  });

  it('defaults only the quota blocks left out', async () => {
    const network = { network: 1, subnet: 2, router: 3, security_group: 4, security_group_rule: 5 };
    const rsp = await run({ xr: project('project-sample', withSpec({ quotas: { network } })) });
    const spec = desiredResources(rsp)['project']?.['spec'] as { forProvider: { quotas: unknown } };
    expect(spec.forProvider.quotas).toEqual({
      ...PROVIDER_DEFAULT_QUOTAS,
      network: { network: 1, subnet: 2, router: 3, securityGroup: 4, securityGroupRule: 5 },
    });
  });

  it('reports the project id and full name once observed, and the bindings a deletion waits for', async () => {
    const rsp = await run({
      xr: project(),
      observed: {
        project: observedMR('Project', 'project-sample', true, {
          atProvider: { id: '4f0c1e2d3a4b5c6d7e8f90a1b2c3d4e5', name: `p500123-${NAME}` },
        }),
      },
      required: {
        regions: [region('prod1')],
        bindings: [
          binding('b', 'alice', 'project-sample'),
          binding('a', 'bob', 'project-sample'),
          binding('gone', 'carol', 'project-sample', deleting),
          binding('other', 'alice', 'other-project'),
        ],
      },
    });
    expect(desiredStatus(rsp)).toEqual({
      region: 'prod1',
      projectID: '4f0c1e2d3a4b5c6d7e8f90a1b2c3d4e5',
      fullName: `p500123-${NAME}`,
      members: ['a', 'b'],
    });
    expect(summarize(rsp).conditions).toEqual([
      { type: 'Valid', status: 'True', reason: 'ValidSpec' },
      {
        type: 'InUse',
        status: 'True',
        reason: 'Bound',
        message:
          'bound by UserProjectBinding a, b: deleting this Project waits until they are deleted (the reseller API refuses to delete a project with members)',
      },
    ]);
  });
});
