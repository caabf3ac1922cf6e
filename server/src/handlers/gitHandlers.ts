import type { Connection } from 'vscode-languageserver';
import { toAbortSignal } from '../cancellation';
import type { GitService } from '../gitService';
import {
  branchImpact,
  branchList,
  branchState,
  createPullRequest,
  history,
  renderedImpact,
  rollbackCommit,
} from '../protocol';

/** History, rendered and branch impact, rollback and pull requests: each request to the git service. */
export function registerGit(connection: Connection, service: GitService): void {
  connection.onRequest(history, (params, token) => service.history(params, toAbortSignal(token)));
  connection.onRequest(renderedImpact, (params, token) =>
    service.renderedImpact(params, toAbortSignal(token)),
  );
  connection.onRequest(branchImpact, (params, token) =>
    service.branchImpact(params, toAbortSignal(token)),
  );
  connection.onRequest(branchList, (params, token) =>
    service.branchList(params, toAbortSignal(token)),
  );
  connection.onRequest(branchState, (params, token) =>
    service.branchState(params.repoRoot, toAbortSignal(token)),
  );
  connection.onRequest(rollbackCommit, (params, token) =>
    service.rollback(params, toAbortSignal(token)),
  );
  connection.onRequest(createPullRequest, (params, token) =>
    service.createPullRequest(params, toAbortSignal(token)),
  );
}
