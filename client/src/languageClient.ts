import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../server/src/protocol';
import { CrashHandler } from './crashHandler';

const RENDER_STORE_KEY = 'gitopsWorkbench.renderStoreKey';

/**
 * The key the server encrypts its disk render store with, kept in VS Code's secret storage (the
 * OS keychain), made on first use; undefined when secret storage fails (renders holding a Secret
 * are then not kept on disk).
 */
export async function renderStoreKey(
  secrets: vscode.SecretStorage,
  log: vscode.LogOutputChannel,
): Promise<string | undefined> {
  try {
    const known = await secrets.get(RENDER_STORE_KEY);
    if (known) return known;
    const key = randomBytes(32).toString('base64');
    await secrets.store(RENDER_STORE_KEY, key);
    return key;
  } catch (error) {
    log.warn(
      `Secret storage is not available (${error instanceof Error ? error.message : String(error)}): renders holding a Secret are not kept for the next session.`,
    );
    return undefined;
  }
}

/** Creates (not starts) the client of the bundled language server, `dist/server.js`. */
export function createLanguageClient(
  extension: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  trusted: boolean,
  restart: () => Promise<void>,
  renderStoreKey?: string,
): LanguageClient {
  const module = extension.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };
  const initializationOptions: InitializationOptions = {
    trusted,
    storagePath: extension.globalStorageUri.fsPath,
    ...(renderStoreKey ? { renderStoreKey } : {}),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      // Chart templates: ours, and Microsoft's Kubernetes extension's name for them.
      { scheme: 'file', language: 'helm-template' },
      { scheme: 'file', language: 'helm' },
    ],
    outputChannel: log,
    initializationOptions,
    errorHandler: new CrashHandler(log, restart),
    diagnosticPullOptions: { onChange: true, onSave: true },
  };
  return new LanguageClient('gitopsWorkbench', 'GitOps Workbench', serverOptions, clientOptions);
}
