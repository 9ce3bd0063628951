import { describe, expect, it } from 'vitest';
import { recordTable } from '../../../bench/table-function/record.js';
import { yamlObjects, type KubeObject, type Objects } from '../../../scripts/control-plane/objects.js';

const FIXTURES = 'test/render-fixtures/userprojectbinding/ready';
const composed = ['membership', 'usage-project', 'usage-user'].flatMap((name) =>
  yamlObjects(`${FIXTURES}/observed/${name}.yaml`),
);
const xr: KubeObject = {
  ...yamlObjects('examples/userprojectbinding/ready/xr.yaml')[0]!,
  spec: {
    user: 'user-sample',
    project: 'project-sample',
    crossplane: {
      resourceRefs: composed.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata!.name })),
    },
  },
};

/** The API server as the recording reads it: gets and lists of what it holds, each call counted. */
function apiServer(held: KubeObject[]): { objects: Objects; calls: string[] } {
  const calls: string[] = [];
  const matches = (o: KubeObject, apiVersion: string, kind: string, namespace?: string) =>
    o.apiVersion === apiVersion && o.kind === kind && (!namespace || o.metadata?.namespace === namespace);
  const objects = {
    get: (apiVersion: string, kind: string, name: string, namespace?: string) => {
      calls.push(`get ${kind} ${namespace ?? ''}/${name}`);
      return Promise.resolve(
        held.find((o) => matches(o, apiVersion, kind, namespace) && o.metadata?.name === name),
      );
    },
    list: (apiVersion: string, kind: string, namespace?: string) => {
      calls.push(`list ${kind} ${namespace ?? ''}`);
      return Promise.resolve(held.filter((o) => matches(o, apiVersion, kind, namespace)));
    },
  } as unknown as Objects;
  return { objects, calls };
}

describe('recording the table function', () => {
  it('runs a done composite through its pipeline with what it requires, fetched once, and keeps the final answer', async () => {
    const { objects, calls } = apiServer([
      ...yamlObjects('compositions/userprojectbinding.yaml'),
      ...yamlObjects(`${FIXTURES}/required.yaml`),
      ...composed,
    ]);
    const table = await recordTable(objects, [xr]);
    const [key, entry] = [...table][0]!;
    expect({
      key,
      calls,
      holes: entry.holes.map((h) => [h.target, h.path.join('.'), h.from]),
      composed: Object.keys(entry.response.desired?.resources ?? {}),
    }).toEqual({
      key: 'reseller.stackplane.io/v1alpha1|UserProjectBinding|default|userprojectbinding-sample|ResellerBinding',
      calls: [
        'list Composition ',
        'list ProjectMembership ',
        'list Usage ',
        'get User default/user-sample',
        'get Project default/project-sample',
      ],
      holes: [
        [{ resource: 'membership' }, 'spec.forProvider.projectID', { required: 'project', item: 0, path: ['status', 'projectID'] }],
        [{ resource: 'membership' }, 'spec.forProvider.userID', { required: 'user', item: 0, path: ['status', 'userIDs', 'prod1'] }],
      ],
      composed: ['membership', 'usage-project', 'usage-user'],
    }); // prettier-ignore
  });

  it('gives a step what it refused without, for the second composite of a kind too', async () => {
    // Without its region's ClusterProviderConfig, the Project step answers with a fatal result.
    const example = yamlObjects('examples/project/ready/xr.yaml')[0]!;
    const [mr] = yamlObjects('test/render-fixtures/project/ready/observed/project.yaml');
    const projects = ['project-a', 'project-b'].map((name) => ({
      ...example,
      metadata: { name, namespace: 'default' },
      spec: {
        ...(example['spec'] as object),
        crossplane: {
          resourceRefs: [{ apiVersion: mr!.apiVersion, kind: mr!.kind, name: mr!.metadata!.name }],
        },
      },
      ...yamlObjects('test/render-fixtures/project/ready/status.yaml')[0],
    }));
    const { objects } = apiServer([
      mr!,
      ...yamlObjects('compositions/project.yaml'),
      ...yamlObjects('examples/project/ready/prerequisites.yaml'),
      ...yamlObjects('test/render-fixtures/project/ready/required.yaml'),
    ]);
    const table = await recordTable(objects, projects);
    expect([...table.keys()]).toEqual([
      'reseller.stackplane.io/v1alpha1|Project|default|project-a|UniqueName',
      'reseller.stackplane.io/v1alpha1|Project|default|project-a|ResellerProject',
      'reseller.stackplane.io/v1alpha1|Project|default|project-b|UniqueName',
      'reseller.stackplane.io/v1alpha1|Project|default|project-b|ResellerProject',
    ]);
  });

  it('refuses a composite whose pipeline composes other resources than the control plane holds', async () => {
    const { objects } = apiServer([
      ...yamlObjects('compositions/userprojectbinding.yaml'),
      ...yamlObjects(`${FIXTURES}/required.yaml`),
      ...composed,
    ]);
    const extra = { apiVersion: 'v1', kind: 'ConfigMap', name: 'leftover' };
    const refs = (xr['spec'] as { crossplane: { resourceRefs: unknown[] } }).crossplane.resourceRefs;
    const withExtra = {
      ...xr,
      spec: { ...(xr['spec'] as object), crossplane: { resourceRefs: [...refs, extra] } },
    };
    await expect(recordTable(objects, [withExtra])).rejects.toThrow(
      'cannot record the table: ConfigMap v1|ConfigMap|default|leftover of reseller.stackplane.io/v1alpha1|UserProjectBinding|default|userprojectbinding-sample is gone',
    );
  });
});
