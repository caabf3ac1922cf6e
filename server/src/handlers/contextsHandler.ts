import type { Connection } from 'vscode-languageserver';
import type { ContextsService } from '../contextsService';
import { listContexts } from '../protocol';

/** Answers the client's request for kubeconfig contexts (read from files only). */
export function registerContexts(connection: Connection, contexts: ContextsService): void {
  connection.onRequest(listContexts, (params) => contexts.list(params));
}
