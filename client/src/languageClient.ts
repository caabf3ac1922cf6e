import type * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../server/src/protocol';
import { CrashHandler } from './crashHandler';

/** Creates (not starts) the client of the bundled language server, `dist/server.js`. */
export function createLanguageClient(
  extension: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  trusted: boolean,
  restart: () => Promise<void>,
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
