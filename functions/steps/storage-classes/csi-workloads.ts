/**
 * The CSIDriver object and the pods of the Lightbits CSI driver: the controller StatefulSet (plugin,
 * provisioner, attacher, resizer and, with the snapshot CRDs, the snapshotter and snapshot-controller)
 * and the node DaemonSet (nvme-tcp init, plugin, node-driver-registrar, discovery client). Names,
 * arguments, mounts and security settings are those of the replaced controller, which follow the
 * driver's published manifests (lb-csi chart v1.21.0).
 */
import type { CsiDriverSettings } from '../../../apis/functions/storage-classes-input.js';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { ICSIDriver } from 'kubernetes-models/storage.k8s.io/v1/CSIDriver';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { KubeObject } from '../../types.js';
import { CONTROLLER_SERVICE_ACCOUNT, NODE_SERVICE_ACCOUNT, type SnapshotPieces } from './csi-rbac.js';
import { tenantLabels } from './storage-class.js';

export const CONTROLLER_NAME = 'lb-csi-controller';
export const NODE_NAME = 'lb-csi-node';

/** Composition resource names of the driver objects whose readiness the step reads. */
export const CSI_DRIVER_RESOURCE = 'csi-driver';
export const CSI_CONTROLLER_RESOURCE = 'csi-controller';
export const CSI_NODE_RESOURCE = 'csi-node';

/** What the driver objects derive from besides the platform settings. */
export interface DriverContext {
  tenant: string;
  /** The CSI driver name, the StorageClasses' provisioner. */
  provisioner: string;
  /** Namespace of the driver and of the token Secret its pods mount. */
  namespace: string;
  /** The token Secret (key jwt). */
  secretName: string;
  snapshots: SnapshotPieces;
}

/** What a hostPath volume expects to find at its path. */
type HostPathType = NonNullable<NonNullable<IVolume['hostPath']>['type']>;

const KUBELET_DIR = '/var/lib/kubelet';
const CONTROLLER_SOCKET_DIR = '/var/lib/csi/sockets/pluginproxy/';
const CONTROLLER_SOCKET = `${CONTROLLER_SOCKET_DIR}csi.sock`;

const RESOURCES: IResourceRequirements = {
  requests: { cpu: '100m', memory: '100M' },
  limits: { memory: '4Gi' },
};
const UNPRIVILEGED: ISecurityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
const PRIVILEGED: ISecurityContext = {
  privileged: true,
  allowPrivilegeEscalation: true,
  capabilities: { add: ['SYS_ADMIN'] },
};
const NODE_NAME_ENV: IEnvVar = {
  name: 'KUBE_NODE_NAME',
  valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
};

const pluginEnv = (endpoint: string, role: 'controller' | 'node'): IEnvVar[] => [
  { name: 'CSI_ENDPOINT', value: endpoint },
  NODE_NAME_ENV,
  { name: 'LB_CSI_NODE_ID', value: `$(KUBE_NODE_NAME).${role === 'controller' ? 'ctrl' : 'node'}` },
  { name: 'LB_CSI_LOG_LEVEL', value: 'debug' },
  { name: 'LB_CSI_LOG_ROLE', value: role },
  { name: 'LB_CSI_LOG_FMT', value: 'text' },
  { name: 'LB_CSI_LOG_TIME', value: 'true' },
];

/** A sidecar of the controller pod that talks to the plugin over the shared socket. */
const controllerSidecar = (name: string, image: string, args: string[]): IContainer => ({
  name,
  image,
  imagePullPolicy: 'IfNotPresent',
  args,
  env: [{ name: 'ADDRESS', value: CONTROLLER_SOCKET }],
  volumeMounts: [{ name: 'socket-dir', mountPath: CONTROLLER_SOCKET_DIR }],
  resources: RESOURCES,
  securityContext: UNPRIVILEGED,
});

/** The token Secret, mounted where the plugin looks for a default token. */
const tokenVolume = (secretName: string): IVolume => ({ name: 'etc-lb-csi', secret: { secretName } });

export function csiDriverObject(context: DriverContext): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIDriver',
    metadata: { name: context.provisioner, labels: tenantLabels(context.tenant) },
    spec: { attachRequired: true, podInfoOnMount: true },
  } satisfies ICSIDriver;
}

export function controllerStatefulSet(settings: CsiDriverSettings, context: DriverContext): KubeObject {
  const { images } = settings;
  const podLabels = { app: 'lb-csi-plugin', role: 'controller' };
  const containers: IContainer[] = [
    {
      name: 'lb-csi-plugin',
      image: images.plugin,
      imagePullPolicy: 'IfNotPresent',
      args: ['-P'],
      env: pluginEnv(`unix://${CONTROLLER_SOCKET}`, 'controller'),
      volumeMounts: [
        { name: 'socket-dir', mountPath: CONTROLLER_SOCKET_DIR },
        { name: 'etc-lb-csi', mountPath: '/etc/lb-csi/' },
      ],
      resources: RESOURCES,
      securityContext: UNPRIVILEGED,
    },
    controllerSidecar('csi-provisioner', images.provisioner, [
      '--csi-address=$(ADDRESS)',
      '--v=4',
      '--default-fstype=ext4',
    ]),
    controllerSidecar('csi-attacher', images.attacher, ['--csi-address=$(ADDRESS)', '--v=5']),
    controllerSidecar('csi-resizer', images.resizer, ['--csi-address=$(ADDRESS)', '--v=4']),
  ];
  if (context.snapshots.snapshotController) {
    containers.push({
      name: 'snapshot-controller',
      image: images.snapshotController,
      imagePullPolicy: 'IfNotPresent',
      args: ['--leader-election=false', '--v=5'],
      resources: RESOURCES,
      securityContext: UNPRIVILEGED,
    });
  }
  if (context.snapshots.snapshotter) {
    containers.push(
      controllerSidecar('csi-snapshotter', images.snapshotter, [
        '--csi-address=$(ADDRESS)',
        '--leader-election=false',
        '--v=5',
      ]),
    );
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: CONTROLLER_NAME, namespace: context.namespace, labels: tenantLabels(context.tenant) },
    spec: {
      selector: { matchLabels: podLabels },
      serviceName: 'lb-csi-ctrl-svc',
      replicas: 1,
      template: {
        metadata: { labels: podLabels },
        spec: {
          containers,
          serviceAccountName: CONTROLLER_SERVICE_ACCOUNT,
          priorityClassName: 'system-cluster-critical',
          securityContext: { fsGroup: 65534, runAsUser: 65534, runAsNonRoot: true },
          volumes: [{ name: 'socket-dir', emptyDir: {} }, tokenVolume(context.secretName)],
        },
      },
    },
  } satisfies IStatefulSet;
}

export function nodeDaemonSet(settings: CsiDriverSettings, context: DriverContext): KubeObject {
  const { images } = settings;
  const podLabels = { app: NODE_NAME, role: 'node' };
  const hostPath = (name: string, path: string, type?: HostPathType): IVolume => ({
    name,
    hostPath: { path, ...(type ? { type } : {}) },
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: NODE_NAME, namespace: context.namespace, labels: tenantLabels(context.tenant) },
    spec: {
      selector: { matchLabels: podLabels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: podLabels },
        spec: {
          initContainers: [
            {
              name: 'init-nvme-tcp',
              image: images.plugin,
              imagePullPolicy: 'IfNotPresent',
              command: [
                '/bin/sh',
                '-c',
                '[ -e /sys/module/nvme_tcp ] && modinfo nvme_tcp || { modinfo nvme_tcp && modprobe nvme_tcp ; } || ' +
                  '{ echo "FAILED to load nvme-tcp kernel driver" && exit 1 ; }',
              ],
              securityContext: { privileged: true },
              volumeMounts: [
                { name: 'modules-dir', mountPath: '/lib/modules', mountPropagation: 'HostToContainer' },
              ],
              resources: RESOURCES,
            },
          ],
          containers: [
            {
              name: 'lb-csi-plugin',
              image: images.plugin,
              imagePullPolicy: 'IfNotPresent',
              args: ['-P'],
              env: pluginEnv('unix:///csi/csi.sock', 'node'),
              volumeMounts: [
                { name: 'plugin-dir', mountPath: '/csi' },
                { name: 'pods-mount-dir', mountPath: KUBELET_DIR, mountPropagation: 'Bidirectional' },
                { name: 'device-dir', mountPath: '/dev' },
                { name: 'discovery-client-dir', mountPath: '/etc/discovery-client/discovery.d' },
                { name: 'etc-lb-csi', mountPath: '/etc/lb-csi/' },
              ],
              resources: RESOURCES,
              securityContext: PRIVILEGED,
            },
            {
              name: 'csi-node-driver-registrar',
              image: images.nodeDriverRegistrar,
              imagePullPolicy: 'IfNotPresent',
              args: [
                '--v=4',
                '--csi-address=$(ADDRESS)',
                '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)',
              ],
              env: [
                { name: 'ADDRESS', value: '/csi/csi.sock' },
                {
                  name: 'DRIVER_REG_SOCK_PATH',
                  value: `${KUBELET_DIR}/plugins/${context.provisioner}/csi.sock`,
                },
                NODE_NAME_ENV,
              ],
              volumeMounts: [
                { name: 'plugin-dir', mountPath: '/csi' },
                { name: 'registration-dir', mountPath: '/registration/' },
              ],
              resources: RESOURCES,
              securityContext: UNPRIVILEGED,
            },
            {
              name: 'lb-nvme-discovery-client',
              image: images.discoveryClient,
              imagePullPolicy: 'IfNotPresent',
              volumeMounts: [
                { name: 'device-dir', mountPath: '/dev' },
                { name: 'discovery-client-dir', mountPath: '/etc/discovery-client/discovery.d' },
              ],
              resources: RESOURCES,
              securityContext: PRIVILEGED,
            },
          ],
          serviceAccountName: NODE_SERVICE_ACCOUNT,
          priorityClassName: 'system-node-critical',
          hostNetwork: true,
          volumes: [
            hostPath('registration-dir', `${KUBELET_DIR}/plugins_registry/`, 'DirectoryOrCreate'),
            hostPath('plugin-dir', `${KUBELET_DIR}/plugins/${context.provisioner}`, 'DirectoryOrCreate'),
            hostPath('pods-mount-dir', KUBELET_DIR, 'Directory'),
            hostPath('device-dir', '/dev'),
            hostPath('modules-dir', '/lib/modules'),
            { name: 'discovery-client-dir', emptyDir: {} },
            tokenVolume(context.secretName),
          ],
          // Volumes must mount on every node, tainted or not.
          tolerations: [
            { effect: 'NoSchedule', operator: 'Exists' },
            { effect: 'NoExecute', operator: 'Exists' },
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
          ],
        },
      },
    },
  } satisfies IDaemonSet;
}
