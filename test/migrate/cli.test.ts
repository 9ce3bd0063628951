import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { run, USAGE } from '../../migrate/cli.js';

const PCO = 'test/migrate/testdata/pco-reseller-operator/operated.yaml';
const PLACEMENT = 'test/migrate/testdata/placement-operator/operated.yaml';

async function migrate(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    connect: () => {
      throw new Error('no cluster in these tests');
    },
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('stackplane migrate', () => {
  it.each<{ reason: string; argv: string[]; want: string }>([
    {
      reason: 'an output other than yaml',
      argv: ['-o', 'json'],
      want: '-o: "json" is not an output; only yaml is',
    },
    {
      reason: '--apply with -o',
      argv: ['--apply', '-o', 'yaml'],
      want: '--apply: leave out --dry-run and -o; --apply prints what it does',
    },
    {
      reason: '--apply from files',
      argv: ['--apply', '-f', PCO],
      want: '--apply: reads the originals from the cluster it applies to; leave out --file',
    },
    { reason: 'an unknown flag', argv: ['--force'], want: "Unknown option '--force'" },
  ])('refuses $reason with the usage', async ({ argv, want }) => {
    expect(await migrate(...argv)).toEqual({
      code: 2,
      out: '',
      err: `stackplane migrate: ${want}\n\n${USAGE}`,
    });
  });

  it.each<{ reason: string; argv: string[]; want: string }>([
    {
      reason: 'an unknown operator',
      argv: ['--from', 'nova-operator', '-f', PCO],
      want: '--from: no operator nova-operator; choose from pco-reseller-operator, placement-operator, cloud-resource-operator, duros-controller',
    },
    {
      reason: 'a wait that is no duration',
      argv: ['--wait', '5x', '-f', PCO],
      want: '--wait: "5x" is not a duration; write it like 90s, 10m or 1h',
    },
    {
      reason: 'an operator Deployment of another operator',
      argv: ['--operator', 'nova-operator=openstack/nova', '-f', PCO],
      want: '--operator: "nova-operator=openstack/nova" is not <operator>=<namespace>/<deployment> of a chosen operator',
    },
    {
      reason: 'a Composition for a kind Stackplane does not have',
      argv: ['--composition', 'PlacementApi=placement-operators', '-f', PLACEMENT],
      want: '--composition: "PlacementApi=placement-operators" is not <Kind>=<composition> of a Stackplane composite kind (StorageTenant, PlacementAPI, BuildingBlock, Postgres, Redis, BlobStorage, SMTPCredentials, PostgresSnapshot, RedisSnapshot, Project, User, UserProjectBinding)',
    },
  ])('refuses $reason', async ({ argv, want }) => {
    expect(await migrate(...argv)).toEqual({ code: 2, out: '', err: `stackplane migrate: ${want}\n` });
  });

  it('names a file it cannot read', async () => {
    expect(await migrate('-f', 'no/such.yaml')).toEqual({
      code: 1,
      out: '',
      err: "stackplane migrate: cannot read no/such.yaml: ENOENT: no such file or directory, open 'no/such.yaml'\n",
    });
  });

  it('writes each manifest once, platform objects first, with -o yaml', async () => {
    const { code, out } = await migrate('-o', 'yaml', '-f', PCO, '-f', PLACEMENT);
    expect(code).toBe(0);
    const objects = parseAllDocuments(out).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string } },
    );
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ClusterProviderConfig prod1',
      'EnvironmentConfig stackplane-reseller',
      'AdoptionGrant default.project.project-sample',
      'AdoptionGrant default.user.user-sample',
      'Project project-sample',
      'User user-sample',
      'UserProjectBinding userprojectbinding-sample',
      'PlacementAPI placement',
    ]);
    expect(out).not.toContain('S3E3bVh6MlB3OUxyNFRuOFZiM0hjNkpkNUZnMVNhMFk');
  });

  it('points the composites of a kind at the Composition --composition names, and no other kind', async () => {
    const { code, out } = await migrate(
      '-o',
      'yaml',
      '-f',
      PCO,
      '-f',
      PLACEMENT,
      '--composition',
      'PlacementAPI=placementapis-openstack-operators.openstack.stackplane.io',
    );
    expect(code).toBe(0);
    const refs = parseAllDocuments(out).map((d) => {
      const o = d.toJS() as { kind: string; spec?: { crossplane?: unknown } };
      return [o.kind, o.spec?.crossplane];
    });
    expect(refs.filter(([, crossplane]) => crossplane !== undefined)).toEqual([
      [
        'PlacementAPI',
        { compositionRef: { name: 'placementapis-openstack-operators.openstack.stackplane.io' } },
      ],
    ]);
  });

  it('prints the plan a person reviews by default', async () => {
    expect(await migrate('--from', 'placement-operator', '-f', PLACEMENT)).toEqual({
      code: 0,
      err: '',
      out: `placement-operator:
  PlacementAPI openstack/placement: migrate
    becomes  PlacementAPI.openstack.stackplane.io openstack/placement
    adopts   database on openstack "placement", database account on openstack "placement_3fa2@%", Keystone service placement "a1b2c3d4e5f60718293a4b5c6d7e8f90", Keystone internal endpoint "0f1e2d3c4b5a69788796a5b4c3d2e1f0", Keystone public endpoint "9e8d7c6b5a4938271605f4e3d2c1b0a9"
    release  once its XR is applied: MariaDBDatabase openstack/placement, MariaDBAccount openstack/placement, Secret openstack/placement-db-secret, KeystoneService openstack/placement, KeystoneEndpoint openstack/placement let go first (its finalizers and owner reference removed), finalizers openstack.org/placementapi removed, deleted orphaning its dependents
    note     released once the XR is applied, before it is Ready: the operator controls Deployment placement, Services placement-internal and placement-public and the rest, which Crossplane cannot compose until the orphaning delete frees them
    note     the database account placement_3fa2@% (MariaDBAccount placement) keeps its password: Secret placement-db-secret (key DatabasePassword) is set on it and read by the pods, never generated anew
    note     MariaDBAccount openstack/placement: with the openstack-mariadb-operator backend the PlacementAPI composes it as its own, and deleting the PlacementAPI drops the database user placement_3fa2@%, as with any backend; with the sql-provider backend it stays, orphaned, and the mariadb-operator still runs it: deleting it drops the database user placement_3fa2@% (its delete job runs DROP USER) and placement cannot reach its database until Stackplane's account creates the user again, so leave it alone
    note     the Keystone service and endpoints keep their ids (KeystoneService placement, KeystoneEndpoint placement): provider-openstack observes them by id, or, with the keystone-operator backend, Stackplane composes those same two objects by name
    note     KeystoneService openstack/placement and KeystoneEndpoint openstack/placement: with the keystone-operator backend the PlacementAPI composes them as its own; with the openstack-provider backend they stay, orphaned, and the keystone-operator still runs them: deleting the KeystoneService deletes Keystone service a1b2c3d4e5f60718293a4b5c6d7e8f90 and user placement at once, deleting the KeystoneEndpoint deletes its endpoints, and clients no longer find placement, so leave them alone
    note     the Keystone user placement exists (the keystone-operator made it) and no object records its id, which is all provider-openstack adopts by: with the openstack-provider backend its UserV3 meets the existing name and stays unready, as Stackplane has no field for that id yet; use the keystone-operator backend
    note     Deployment placement keeps its selector service=placement, owner=placement (a selector cannot change): its pods get Stackplane's labels besides
    note     created paused (crossplane.io/paused): status.adopted, what it keeps, is written through the status subresource, then the annotation is removed; -o yaml cannot carry status, so apply it with --apply

1 to migrate, 0 refused (refused originals stay as they are)
`,
    });
  });

  it.each([
    ['pco-reseller-operator', PCO],
    ['placement-operator', PLACEMENT],
  ])('prints the plan the README shows for %s', async (operator, file) => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.split(`### Migrating from ${operator}\n`)[1] ?? '';
    const shown = /```\n([\s\S]*?)```/.exec(section)?.[1];
    expect((await migrate('--from', operator, '-f', file)).out).toBe(shown);
  });
});
