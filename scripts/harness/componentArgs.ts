// Command lines of the control plane's components (envtest's flag set, trimmed; see
// sigs.k8s.io/controller-runtime pkg/internal/testing/controlplane). Every port is on 127.0.0.1.
import path from 'node:path';
import type { ControlPlaneCredentials } from './pki';
import { toolsDir } from './toolTable';

export function etcdArgs(dataDir: string, clientPort: number, peerPort: number): string[] {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return [
    '--name=workbench',
    `--data-dir=${path.join(dataDir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=workbench=${peer}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiserverArgs(
  dataDir: string,
  credentials: ControlPlaneCredentials,
  etcdPort: number,
  apiPort: number,
): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    '--bind-address=127.0.0.1',
    // Required: without a default route kube-apiserver cannot pick an address by itself.
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--cert-dir=${path.join(dataDir, 'pki')}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    `--service-account-issuer=https://127.0.0.1:${apiPort}`,
    `--service-account-key-file=${credentials.serviceAccountPublicKeyFile}`,
    `--service-account-signing-key-file=${credentials.serviceAccountKeyFile}`,
    `--token-auth-file=${credentials.tokenFile}`,
    '--authorization-mode=RBAC',
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    '--endpoint-reconciler-type=none',
  ];
}

export function controllerManagerArgs(
  kubeconfig: string,
  credentials: ControlPlaneCredentials,
  caFile: string,
): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    '--secure-port=0',
    `--service-account-private-key-file=${credentials.serviceAccountKeyFile}`,
    `--root-ca-file=${caFile}`,
    // No cloud and no pod network here.
    '--controllers=*,-nodeipam,-service-lb-controller,-cloud-node-lifecycle',
  ];
}

export function schedulerArgs(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    '--secure-port=0',
  ];
}

/** kwok manages every node (the harness creates one) with the "fast" stages of tools/kwok. */
export function kwokArgs(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--manage-all-nodes=true',
    `--config=${path.join(toolsDir, 'kwok', 'stages', 'fast.yaml')}`,
  ];
}
