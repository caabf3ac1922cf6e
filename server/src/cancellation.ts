import type { CancellationToken } from 'vscode-languageserver';

/** Converts an LSP cancellation token into the AbortSignal the engine understands. */
export function toAbortSignal(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
  } else {
    token.onCancellationRequested(() => controller.abort());
  }
  return controller.signal;
}
