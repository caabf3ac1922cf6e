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
import { fileURLToPath } from 'node:url';
import { escapeControls } from './controlChars';
import { schemaBundleDir } from './bundleDir';
import { SchemaCatalog, scanKustomizations, scanWorkspaceCrds } from './engine';
import { registerAssist } from './handlers/assistHandlers';
import { registerCodeActions } from './handlers/codeActionsHandler';
import { registerContexts } from './handlers/contextsHandler';
import { registerDiagnostics } from './handlers/diagnosticsHandler';
import { registerStatus, statusNotifier } from './handlers/statusHandlers';
import { registerGit } from './handlers/gitHandlers';
import { GitService } from './gitService';
import type { GitSettings } from './gitService';
import { renderedManifests, trustChanged } from './protocol';
import type { InitializationOptions } from './protocol';
import { toAbortSignal } from './cancellation';
import { SettingsCache } from './settingsCache';
import { StatusService } from './statusService';
import type { StatusSettings } from './statusService';
import { RenderValidation } from './renderValidation';
import { defaultToolCacheDir } from './toolCache';
import { ValidationService, filePathOf } from './validationService';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let trusted = false;
let supportsConfiguration = false;
const settings = new SettingsCache(connection, () => supportsConfiguration);
const catalog = new SchemaCatalog(schemaBundleDir());
const validation = new ValidationService(
  catalog,
  () => connection.languages.diagnostics.refresh(),
  (message) => void connection.window.showWarningMessage(message),
  { trusted: () => trusted, storagePath: () => storagePath },
);
const rendered = new RenderValidation({
  trusted: () => trusted,
  overlays: () => openDocuments(),
  binaries: () => renderBinaries(),
  registry: () =>
    validation.registry({ kubernetesVersion: '', clusterContext: '', kubeconfig: '' }),
  changed: () => connection.languages.diagnostics.refresh(),
  log: (message) => connection.console.info(escapeControls(message)),
});
let workspaceFolders: string[] = [];

/** The editor's open documents by absolute path: what renders read instead of the disk. */
function openDocuments(): Map<string, string> {
  return new Map(
    documents
      .all()
      .map((document) => [filePathOf(document.uri), document.getText()] as const)
      .filter((entry): entry is readonly [string, string] => entry[0] !== undefined),
  );
}

/** The `gitopsWorkbench` settings section, or nothing when the client cannot be asked. */
async function settingsSection(): Promise<unknown> {
  return supportsConfiguration ? connection.workspace.getConfiguration('gitopsWorkbench') : {};
}
const status = new StatusService({
  trusted: () => trusted,
  workspaceFolders: () => workspaceFolders,
  settings: statusSettings,
  render: {
    overlays: () => openDocuments(),
    binaries: () => renderBinaries(),
  },
  notify: statusNotifier(connection),
  log: (message) => connection.console.info(escapeControls(message)),
});

const git = new GitService({
  trusted: () => trusted,
  workspaceFolders: () => workspaceFolders,
  settings: gitSettings,
  render: { overlays: () => new Map(), binaries: () => renderBinaries() },
  status,
  log: (message) => connection.console.info(escapeControls(message)),
});

/** The git and forge settings: the git binary, and forge hosts by name. */
async function gitSettings(): Promise<GitSettings> {
  const section = (await settingsSection()) as {
    gitPath?: unknown;
    forge?: { hosts?: unknown };
  } | null;
  const gitPath = typeof section?.gitPath === 'string' ? section.gitPath.trim() : '';
  const hosts: GitSettings['forgeHosts'] = Object.fromEntries(
    Object.entries(
      typeof section?.forge?.hosts === 'object' && section.forge.hosts !== null
        ? (section.forge.hosts as Record<string, unknown>)
        : {},
    ).flatMap(([host, value]) => {
      const entry = value as { kind?: unknown; apiUrl?: unknown } | null;
      const kind = entry?.kind;
      if (kind !== 'github' && kind !== 'gitlab' && kind !== 'gitea') return [];
      return [
        [host, { kind, ...(typeof entry?.apiUrl === 'string' ? { apiUrl: entry.apiUrl } : {}) }],
      ];
    }),
  );
  return { ...(gitPath ? { gitPath } : {}), forgeHosts: hosts };
}

/** The sync-status settings, kept to well-formed entries. */
async function statusSettings(): Promise<StatusSettings> {
  const section = (await settingsSection()) as {
    targets?: unknown;
    ignoreDifferences?: unknown;
    status?: { desiredFrom?: unknown };
    gitPath?: unknown;
  } | null;
  const list = (value: unknown): Record<string, unknown>[] =>
    Array.isArray(value)
      ? value.filter(
          (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
        )
      : [];
  const gitPath = typeof section?.gitPath === 'string' ? section.gitPath.trim() : '';
  return {
    targets: list(section?.targets)
      .filter((entry) => typeof entry.path === 'string' && typeof entry.context === 'string')
      .map((entry) => ({
        path: String(entry.path),
        context: String(entry.context),
        ...(typeof entry.namespace === 'string' ? { namespace: entry.namespace } : {}),
      })),
    ignoreDifferences: list(section?.ignoreDifferences).map((entry) => {
      const text = (key: string): Record<string, string> =>
        typeof entry[key] === 'string' ? { [key]: entry[key] } : {};
      const texts = (key: string): Record<string, string[]> =>
        Array.isArray(entry[key])
          ? { [key]: (entry[key] as unknown[]).filter((v): v is string => typeof v === 'string') }
          : {};
      return {
        ...text('group'),
        ...text('kind'),
        ...text('name'),
        ...text('namespace'),
        ...texts('jsonPointers'),
        ...texts('managedFieldsManagers'),
      };
    }),
    desiredFrom: section?.status?.desiredFrom === 'HEAD' ? 'HEAD' : 'workingTree',
    ...(gitPath ? { gitPath } : {}),
  };
}

/** helm/kustomize paths and render settings from the machine-scoped settings. */
async function renderBinaries(): Promise<
  Awaited<ReturnType<ConstructorParameters<typeof RenderValidation>[0]['binaries']>>
> {
  const section = (await settingsSection()) as {
    helmPath?: unknown;
    kustomizePath?: unknown;
    render?: { allowNetwork?: unknown; memoryLimitMB?: unknown };
    externalResources?: unknown;
  } | null;
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  const helm = text(section?.helmPath);
  const kustomize = text(section?.kustomizePath);
  return {
    ...(helm ? { helm } : {}),
    ...(kustomize ? { kustomize } : {}),
    cacheDir: defaultToolCacheDir(),
    ...memoryLimit(section?.render?.memoryLimitMB),
    allowNetwork: section?.render?.allowNetwork === true,
    external: externalResources(section?.externalResources),
  };
}

/** `gitopsWorkbench.render.memoryLimitMB` when it is a usable number (at least 64 MB). */
function memoryLimit(value: unknown): { memoryLimitMB?: number } {
  return typeof value === 'number' && Number.isFinite(value) && value >= 64
    ? { memoryLimitMB: Math.floor(value) }
    : {};
}

/** The externalResources setting, keeping only lists of names. */
function externalResources(value: unknown): Record<string, string[]> {
  if (value === null || typeof value !== 'object') {
    return {};
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]))
      .map(([kind, names]) => [
        kind,
        names.filter((name): name is string => typeof name === 'string'),
      ]),
  );
}
let storagePath: string | undefined;

connection.onInitialize((params) => {
  const options = params.initializationOptions as Partial<InitializationOptions> | undefined;
  trusted = options?.trusted === true;
  storagePath = typeof options?.storagePath === 'string' ? options.storagePath : undefined;
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  workspaceFolders = (params.workspaceFolders ?? [])
    .filter((folder) => folder.uri.startsWith('file:'))
    .map((folder) => fileURLToPath(folder.uri));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      hoverProvider: true,
      definitionProvider: true,
      completionProvider: { triggerCharacters: [':', ' '] },
    },
    serverInfo: { name: 'gitops-workbench' },
  };
});

connection.onInitialized(() => {
  void registerWorkspaceCrds();
  if (supportsConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, {
      section: 'gitopsWorkbench',
    });
  }
});

connection.onDidChangeConfiguration(() => {
  settings.clear();
  status.reset();
  connection.languages.diagnostics.refresh();
});

connection.onNotification(trustChanged, (params) => {
  trusted = params.trusted;
  void rendered.start(workspaceFolders);
  connection.languages.diagnostics.refresh();
});

documents.onDidChangeContent((event) => {
  const file = filePathOf(event.document.uri);
  if (file) {
    rendered.fileChanged(file);
    status.fileChanged();
  }
});

documents.onDidClose((event) => {
  settings.forget(event.document.uri);
  validation.forget(event.document.uri);
});

/** CRDs in the workspace's files validate their custom resources from the start. */
async function registerWorkspaceCrds(): Promise<void> {
  validation.markScanned(workspaceFolders);
  if (workspaceFolders.length === 0) {
    await rendered.start([]);
    return;
  }
  try {
    const signal = AbortSignal.timeout(60_000);
    await scanKustomizations(workspaceFolders, validation.patches, signal);
    const found = await scanWorkspaceCrds(workspaceFolders, catalog.workspaceCrds, { signal });
    connection.console.info(
      `Workspace scanned: CRDs in ${found} file(s), ${validation.patches.size} Kustomize patch file(s).`,
    );
    connection.languages.diagnostics.refresh();
  } catch (error) {
    connection.console.warn(
      escapeControls(`Looking for CRDs in the workspace stopped: ${String(error)}`),
    );
  }
  await rendered.start(workspaceFolders).catch((error: unknown) => {
    connection.console.warn(
      escapeControls(`Rendering the workspace's units stopped: ${String(error)}`),
    );
  });
}

registerDiagnostics(connection, documents, settings, validation, rendered);
connection.onShutdown(() => {
  rendered.dispose();
  status.dispose();
});
registerStatus(connection, status);
registerGit(connection, git);
connection.onRequest(renderedManifests, async (params, token) => {
  const file = filePathOf(params.uri);
  if (!file) {
    return {
      title: 'Rendered manifests',
      yaml: '',
      error: 'Only files on disk belong to a render unit.',
    };
  }
  return rendered.preview(file, toAbortSignal(token));
});
registerCodeActions(connection);
registerAssist(connection, documents, settings, validation, () => workspaceFolders);
registerContexts(connection, () => trusted);

documents.listen(connection);
connection.listen();
