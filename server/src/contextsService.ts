/** Kubeconfig contexts for the Clusters view, read from files only (no cluster, no exec plugin). */
import { readKubeContexts } from './engine';
import type { ListContextsParams, ListContextsResult } from './protocol';

export interface ContextsEnvironment {
  /** Kubeconfig files are not even read in an untrusted workspace. */
  trusted(): boolean;
  /** The KUBECONFIG variable of the server's process. */
  kubeconfigEnv(): string | undefined;
}

export class ContextsService {
  constructor(private readonly environment: ContextsEnvironment) {}

  async list(params: ListContextsParams): Promise<ListContextsResult> {
    if (!this.environment.trusted()) {
      return { allowed: false, files: [], contexts: [], problems: [] };
    }
    const found = await readKubeContexts({
      explicitPath: params.kubeconfigPath,
      kubeconfigEnv: this.environment.kubeconfigEnv(),
    });
    return {
      allowed: true,
      files: found.files,
      contexts: found.contexts.map((context) => ({
        ...context,
        current: context.name === found.currentContext,
      })),
      problems: found.problems.map((problem) => problem.message),
    };
  }
}
