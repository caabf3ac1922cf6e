/**
 * The language server's entry point, a composition root: adapts the LSP connection to the
 * services' environment (services.ts) and registers the handlers. Started by the VS Code client
 * over IPC, or by any LSP client with `--stdio`.
 */
import {
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { escapeControls } from './controlChars';
import { registerAssist } from './handlers/assistHandlers';
import { registerCodeActions } from './handlers/codeActionsHandler';
import { registerContexts } from './handlers/contextsHandler';
import { registerDiagnostics } from './handlers/diagnosticsHandler';
import { WorkspaceReports, registerWorkspaceDiagnostics } from './handlers/workspaceDiagnostics';
import { registerGit } from './handlers/gitHandlers';
import { registerPreview } from './handlers/previewHandler';
import { registerStatus, statusNotifier } from './handlers/statusHandlers';
import { registerValuesReferences } from './handlers/valuesReferencesHandler';
import {
  openFiles,
  registerWorkspaceFiles,
  watchWorkspaceFiles,
} from './handlers/workspaceHandlers';
import { INITIALIZE_RESULT, NO_CLIENT, clientState } from './initialize';
import type { ClientState } from './initialize';
import { trustChanged } from './protocol';
import { renderProgressReporter } from './renderProgress';
import { createServices } from './services';
import { SettingsCache } from './settingsCache';
import { filePathOf } from './validationService';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let state: ClientState = { ...NO_CLIENT };
const warn = (message: string): void =>
  void connection.window.showWarningMessage(escapeControls(message));
const settings = new SettingsCache((scopeUri) => {
  if (!state.configurable) return undefined;
  const section = 'gitopsWorkbench';
  return connection.workspace.getConfiguration(scopeUri ? { scopeUri, section } : { section });
}, warn);
const openDocuments = (): Map<string, string> => openFiles(documents);
// Files that are not open get their rendered findings through workspace diagnostics.
const workspaceReports = new WorkspaceReports(
  { findingFiles: () => services.rendered.findingFiles() },
  () => new Set(openDocuments().keys()),
);
const services = createServices({
  openDocuments,
  settings,
  trusted: () => state.trusted,
  storagePath: () => state.storagePath || undefined,
  renderStoreKey: () => state.renderStoreKey,
  workspaceFolders: () => state.folders,
  refreshDiagnostics: () => {
    void connection.languages.diagnostics.refresh();
    workspaceReports.changed();
  },
  notifyStatus: statusNotifier(connection),
  warn,
  log: (message) => connection.console.info(escapeControls(message)),
  renderProgress: renderProgressReporter(connection),
});

connection.onInitialize((params) => {
  state = clientState(params);
  return INITIALIZE_RESULT;
});
connection.onInitialized(() => {
  void services.start();
  if (state.watchesFiles) void watchWorkspaceFiles(connection);
  if (state.configurable) {
    const section = 'gitopsWorkbench';
    void connection.client.register(DidChangeConfigurationNotification.type, { section });
  }
});
connection.onDidChangeConfiguration(() => {
  settings.clear();
  services.settingsChanged();
});
connection.onNotification(trustChanged, (params) => {
  state.trusted = params.trusted;
  void services.trustChanged();
});
documents.onDidChangeContent(({ document }) => {
  const file = filePathOf(document.uri);
  if (file) services.fileChanged(file, document.getText());
});
registerWorkspaceFiles(connection, openDocuments, (events) => services.filesChanged(events));
documents.onDidOpen(({ document }) => {
  const file = filePathOf(document.uri);
  if (file) services.documentOpened(file);
});
documents.onDidClose(({ document }) => {
  const file = filePathOf(document.uri);
  if (file) services.documentClosed(file);
  settings.forget(document.uri);
  services.validation.forget(document.uri);
});
connection.onShutdown(() => services.dispose());

const { validation, rendered, workspace } = services;
registerDiagnostics(connection, documents, settings, validation, rendered);
registerWorkspaceDiagnostics(connection, documents, workspaceReports);
registerStatus(connection, services.status);
registerGit(connection, services.git);
registerPreview(connection, rendered);
registerCodeActions(connection);
registerAssist(connection, documents, settings, validation, workspace);
registerValuesReferences(connection, documents);
registerContexts(connection, services.contexts);
documents.listen(connection);
connection.listen();
