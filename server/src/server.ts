/**
 * The language server's entry point: connects the engine to LSP. Started by the VS Code client
 * over IPC, or by any LSP client with `--stdio`.
 */
import {
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerContexts } from './handlers/contextsHandler';
import { registerDiagnostics } from './handlers/diagnosticsHandler';
import { trustChanged } from './protocol';
import type { InitializationOptions } from './protocol';
import { SettingsCache } from './settingsCache';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let trusted = false;
let supportsConfiguration = false;
const settings = new SettingsCache(connection, () => supportsConfiguration);

connection.onInitialize((params) => {
  const options = params.initializationOptions as Partial<InitializationOptions> | undefined;
  trusted = options?.trusted === true;
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false },
    },
    serverInfo: { name: 'gitops-workbench' },
  };
});

connection.onInitialized(() => {
  if (supportsConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, {
      section: 'gitopsWorkbench',
    });
  }
});

connection.onDidChangeConfiguration(() => {
  settings.clear();
  connection.languages.diagnostics.refresh();
});

connection.onNotification(trustChanged, (params) => {
  trusted = params.trusted;
  connection.languages.diagnostics.refresh();
});

documents.onDidClose((event) => settings.forget(event.document.uri));

registerDiagnostics(connection, documents, settings);
registerContexts(connection, () => trusted);

documents.listen(connection);
connection.listen();
