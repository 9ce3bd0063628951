// The CSI snapshot CRDs in test/schemas are the ones a tenant cluster installs: a real API server
// accepts them (the protected snapshot.storage.k8s.io group needs the api-approved annotation), and
// they accept the VolumeSnapshotClass a StorageTenant composes.
import { readFile } from 'node:fs/promises';
import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  kubeApiServerOrSkip,
  startKubeApiServer,
  type KubeApiServer,
} from '../../../testing/kube-apiserver.js';
import { kubeRequest } from '../../support/kube-request.js';

const SNAPSHOT_CRDS = ['volumesnapshotclasses', 'volumesnapshotcontents', 'volumesnapshots'].map(
  (plural) => `${plural}.snapshot.storage.k8s.io`,
);

async function snapshotCrd(name: string): Promise<V1CustomResourceDefinition> {
  return parse(await readFile(`test/schemas/${name}.yaml`, 'utf8')) as V1CustomResourceDefinition;
}

/** The VolumeSnapshotClass a StorageTenant composes with the default input. */
const partitionSnapshot = (deletionPolicy: string) => ({
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshotClass',
  metadata: {
    name: 'partition-snapshot',
    annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' },
  },
  driver: 'csi.lightbitslabs.com',
  deletionPolicy,
  parameters: {
    'csi.storage.k8s.io/snapshotter-secret-name': 'lb-csi-creds',
    'csi.storage.k8s.io/snapshotter-secret-namespace': 'kube-system',
  },
});

describe('the CSI snapshot CRDs of test/schemas', () => {
  it.each(SNAPSHOT_CRDS)('%s is the published CRD, approved for its protected group', async (name) => {
    const crd = await snapshotCrd(name);
    expect(crd.metadata?.name).toBe(name);
    expect(crd.spec.group).toBe('snapshot.storage.k8s.io');
    // kube-apiserver refuses a CRD in a *.k8s.io group without this annotation.
    expect(crd.metadata?.annotations?.['api-approved.kubernetes.io']).toMatch(
      /^https:\/\/github\.com\/kubernetes-csi\/external-snapshotter\/pull\/\d+$/,
    );
    expect(crd.spec.versions.filter((v) => v.served && v.storage).map((v) => v.name)).toEqual(['v1']);
  });
});

const binaries = kubeApiServerOrSkip('CSI snapshot CRD installation test');

const CRDS_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const CLASSES_PATH = '/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses';

describe.skipIf(!binaries)('the CSI snapshot CRDs in a real kube-apiserver', () => {
  let server: KubeApiServer;
  beforeAll(async () => {
    server = await startKubeApiServer(binaries!);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('install, become Established, and validate a VolumeSnapshotClass', async () => {
    for (const name of SNAPSHOT_CRDS) {
      const created = await kubeRequest(server, 'POST', CRDS_PATH, await snapshotCrd(name));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    for (const name of SNAPSHOT_CRDS) {
      let established = false;
      for (let attempt = 0; attempt < 100 && !established; attempt++) {
        const { body } = await kubeRequest(server, 'GET', `${CRDS_PATH}/${name}`);
        const crd = body as unknown as V1CustomResourceDefinition;
        established = !!crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
        if (!established) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(established, `${name} Established`).toBe(true);
    }

    const created = await kubeRequest(server, 'POST', CLASSES_PATH, partitionSnapshot('Delete'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body['deletionPolicy']).toBe('Delete');
    const refused = await kubeRequest(server, 'POST', CLASSES_PATH, {
      ...partitionSnapshot('Recycle'),
      metadata: { name: 'bad' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body['message']).toMatch(/deletionPolicy: Unsupported value: "Recycle"/);
  });
});
