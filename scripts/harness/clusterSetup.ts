// What the harness creates in a new cluster: the read-only role and the fake node, and the
// kubectl runner used to apply it.
import { readonlyUser } from './pki';
import { runProcess } from './processes';
import type { RunResult } from './processes';
import { adminContext } from './kubeconfig';

export const fakeNodeName = 'workbench-node-1';

/** get/list/watch on every resource and GET on every non-resource URL; nothing else. */
const readonlyRbac = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${readonlyUser}
rules:
  - apiGroups: ['*']
    resources: ['*']
    verbs: [get, list, watch]
  - nonResourceURLs: ['*']
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${readonlyUser}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ${readonlyUser}
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: User
    name: ${readonlyUser}
`;

/** A node for kwok to manage (its "fast" stages fill in status, capacity and heartbeats). */
const fakeNode = `
apiVersion: v1
kind: Node
metadata:
  name: ${fakeNodeName}
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: '0'
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: ${fakeNodeName}
    kubernetes.io/os: linux
    kubernetes.io/role: agent
    node-role.kubernetes.io/agent: ''
    type: kwok
`;

export function clusterSetupManifest(withNode: boolean): string {
  return withNode ? `${readonlyRbac}---${fakeNode}` : readonlyRbac;
}

/** Runs the built kubectl against the admin context of `kubeconfig`, bounded to 2 minutes. */
export function runKubectl(
  kubectl: string,
  kubeconfig: string,
  args: string[],
  signal?: AbortSignal,
  input?: string,
): Promise<RunResult> {
  return runProcess(kubectl, [`--kubeconfig=${kubeconfig}`, `--context=${adminContext}`, ...args], {
    timeoutMs: 120_000,
    signal,
    input,
  });
}
