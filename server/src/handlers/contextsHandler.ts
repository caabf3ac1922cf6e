import type { Connection } from 'vscode-languageserver';
import { readKubeContexts } from '../engine';
import { listContexts } from '../protocol';
import type { ListContextsResult } from '../protocol';

/** Answers the client's request for kubeconfig contexts (read from files only). */
export function registerContexts(connection: Connection, isTrusted: () => boolean): void {
  connection.onRequest(listContexts, async (params): Promise<ListContextsResult> => {
    if (!isTrusted()) {
      return { allowed: false, files: [], contexts: [], problems: [] };
    }
    const found = await readKubeContexts({
      explicitPath: params.kubeconfigPath,
      kubeconfigEnv: process.env['KUBECONFIG'],
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
  });
}
