// `npm run cluster -- up|status|down`: a local control plane (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok with one fake node, Flux and Argo CD CRDs) that
// keeps running in the background. `up` prints `KUBECONFIG=<path>` as its last line.
import {
  clusterDir,
  clusterDown,
  clusterUp,
  holdCluster,
  isReady,
  readState,
} from './harness/localCluster';
import { ensureTools } from './harness/toolchain';

const usage = 'Usage: npm run cluster -- up | status | down';

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up': {
      await ensureTools(
        ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'],
        {
          onProgress: (progress) => {
            if (progress.phase !== 'cached') console.log(progress.message);
          },
        },
      );
      const state = await clusterUp(__filename);
      console.log(
        `Kubernetes ${state.kubernetesVersion} at ${state.serverUrl} (holder pid ${state.holderPid})`,
      );
      console.log(
        `contexts: workbench-admin (current), workbench-readonly; stop with npm run cluster -- down`,
      );
      console.log(`KUBECONFIG=${state.kubeconfigPath}`);
      return 0;
    }
    case 'status': {
      const state = readState();
      if (!state) {
        console.log(`down (no cluster recorded in ${clusterDir()})`);
        return 1;
      }
      if (!(await isReady(state))) {
        console.log(
          `not ready: ${state.serverUrl} does not answer /readyz (npm run cluster -- down, then up)`,
        );
        return 1;
      }
      console.log(
        `up: Kubernetes ${state.kubernetesVersion} at ${state.serverUrl} since ${state.startedAt}`,
      );
      console.log(`KUBECONFIG=${state.kubeconfigPath}`);
      return 0;
    }
    case 'down': {
      const wasUp = await clusterDown();
      console.log(wasUp ? 'cluster stopped and removed' : 'no cluster was running');
      return 0;
    }
    case 'hold':
      await holdCluster();
      return 0;
    default:
      throw new Error(usage);
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`npm run cluster: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
