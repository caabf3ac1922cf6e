import * as os from 'node:os';
import * as path from 'node:path';
import { readKubeconfigs, stringOrUndefined } from './kubeconfigMerge';
import type { KubeconfigProblem } from './kubeconfigMerge';

export interface KubeContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace: string | undefined;
  /** The server URL of the context's cluster, when the kubeconfig names one. */
  readonly server: string | undefined;
  /** The kubeconfig file that defines the context. */
  readonly file: string;
}

export interface KubeContexts {
  readonly files: readonly string[];
  readonly contexts: readonly KubeContext[];
  readonly currentContext: string | undefined;
  readonly problems: readonly KubeconfigProblem[];
}

export interface KubeconfigSource {
  /** An explicit kubeconfig path (the machine-scoped setting); wins over the environment. */
  readonly explicitPath?: string;
  /** The value of KUBECONFIG: several files joined by the platform's path delimiter. */
  readonly kubeconfigEnv?: string;
  readonly homeDir?: string;
}

/** The kubeconfig files to read, in kubectl's order of precedence. */
export function kubeconfigFiles(source: KubeconfigSource): string[] {
  if (source.explicitPath) {
    return [source.explicitPath];
  }
  const fromEnv = (source.kubeconfigEnv ?? '').split(path.delimiter).filter((p) => p !== '');
  if (fromEnv.length > 0) {
    return [...new Set(fromEnv)];
  }
  return [path.join(source.homeDir ?? os.homedir(), '.kube', 'config')];
}

/**
 * Reads the contexts of every kubeconfig file without contacting any cluster and without running
 * exec plugins, merged as kubectl merges them (kubeconfigMerge.ts): the first file to define a
 * name wins. Missing files are not a problem (there may simply be no cluster); unreadable or
 * malformed ones are reported.
 */
export async function readKubeContexts(source: KubeconfigSource): Promise<KubeContexts> {
  const files = kubeconfigFiles(source);
  const { merged, problems } = await readKubeconfigs(files);
  const contexts = [...merged.contexts.values()].map((entry): KubeContext => {
    const cluster = stringOrUndefined(entry.body['cluster']) ?? '';
    return {
      name: entry.name,
      cluster,
      user: stringOrUndefined(entry.body['user']) ?? '',
      namespace: stringOrUndefined(entry.body['namespace']),
      server: stringOrUndefined(merged.clusters.get(cluster)?.body['server']),
      file: entry.file,
    };
  });
  return { files, contexts, currentContext: merged.currentContext, problems };
}
