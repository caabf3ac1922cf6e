/**
 * The language server's services, built from what they need of where they run: the open
 * documents, the settings, trust, a storage folder, the workspace folders, and ways to log and to
 * tell the client something changed. No connection: server.ts adapts the LSP connection to this
 * environment, and the tests build every service in plain Node against a fake one.
 */
import * as path from 'node:path';
import { schemaBundleDir } from './bundleDir';
import { ContextsService } from './contextsService';
import { SchemaCatalog } from './engine';
import { RenderStore, defaultRenderCache } from './engine/render';
import { removeStaleScratch } from './engine/render/staleScratch';
import type { FileEvent, Workspace } from './engine/workspace';
import { editorWorkspace } from './editorWorkspace';
import { GitService } from './gitService';
import { RenderValidation } from './renderValidation';
import type { RenderProgress } from './renderValidation';
import { renderBinaries } from './settings';
import type { SettingsProvider } from './settingsCache';
import { StatusService } from './statusService';
import { defaultToolCacheDir } from './toolCache';
import { ValidationService } from './validationService';

export interface ServerEnvironment {
  /** The open documents' text by absolute path: what renders read instead of the disk. */
  openDocuments(): ReadonlyMap<string, string>;
  readonly settings: SettingsProvider;
  /** Untrusted: no binary runs, no cluster is contacted, no kubeconfig is read. */
  trusted(): boolean;
  /** A folder to cache cluster schemas and renders in; undefined: not cached on disk. */
  storagePath(): string | undefined;
  /** The key the disk render store is encrypted with (renders with Secrets kept too). */
  renderStoreKey?(): Buffer | undefined;
  /** Absolute paths of the workspace folders. */
  workspaceFolders(): readonly string[];
  /** Diagnostics may have changed: the client should pull them again. */
  refreshDiagnostics(): void;
  /** Apps of a context changed (none listed: its app list did). */
  notifyStatus(context: string, appIds: readonly string[]): void;
  /** A sentence for the user (a warning notification). */
  warn(message: string): void;
  /** A line of the server's log. */
  log(message: string): void;
  /** How far the workspace's rendering is (see RenderValidation); undefined: done. */
  renderProgress?(report: RenderProgress | undefined): void;
  /** The KUBECONFIG variable; default: the process's. */
  kubeconfigEnv?(): string | undefined;
  /** Where the schema bundles are; default: next to the server. */
  readonly schemaDir?: string;
  /** The tool cache (helm, kustomize builds); default: the user's cache folder. */
  readonly toolCacheDir?: string;
}

export interface Services {
  readonly catalog: SchemaCatalog;
  /** The one model of the workspace every service asks (units, CRDs, facts, renders, history). */
  readonly workspace: Workspace;
  readonly validation: ValidationService;
  readonly rendered: RenderValidation;
  readonly status: StatusService;
  readonly git: GitService;
  readonly contexts: ContextsService;
  /** Reads the workspace folders once (CRDs, kustomizations, units), then renders their units. */
  start(): Promise<void>;
  /** A document was edited: `text` is its buffer. */
  fileChanged(file: string, text?: string): void;
  /** A document was opened or closed in the editor: its units render first while it is open. */
  documentOpened(file: string): void;
  documentClosed(file: string): void;
  /** Files were created, changed or deleted on disk (the client's file watcher). */
  filesChanged(events: readonly FileEvent[]): void;
  /** The configuration changed: connections close, diagnostics are pulled again. */
  settingsChanged(): void;
  /** Trust changed (the user granted it): units are rendered if now trusted. */
  trustChanged(): Promise<void>;
  dispose(): void;
}

export function createServices(env: ServerEnvironment): Services {
  // What a killed server left in the temporary folder, hours ago.
  void removeStaleScratch().then((removed) => {
    if (removed > 0) env.log(`Removed ${removed} old render folder(s) from the temporary folder.`);
  });
  const catalog = new SchemaCatalog(env.schemaDir ?? schemaBundleDir());
  const cacheDir = env.toolCacheDir ?? defaultToolCacheDir();
  const binaries = async (): Promise<ReturnType<typeof renderBinaries>> =>
    renderBinaries(await env.settings.get(), cacheDir);
  const workspace = editorWorkspace(catalog.workspaceCrds, {
    overlays: () => env.openDocuments(),
    binaries,
    log: (message) => env.log(message),
  });
  const validation = new ValidationService(
    catalog,
    () => env.refreshDiagnostics(),
    (message) => env.warn(message),
    { trusted: () => env.trusted(), storagePath: () => env.storagePath() },
    workspace,
  );
  const rendered = new RenderValidation({
    trusted: () => env.trusted(),
    workspace,
    // Rendered output is validated with the bundled schemas of the newest version.
    registry: () =>
      validation.registry({ kubernetesVersion: '', clusterContext: '', kubeconfig: '' }),
    changed: () => env.refreshDiagnostics(),
    log: (message) => env.log(message),
    progress: (report) => env.renderProgress?.(report),
  });
  const status = new StatusService({
    trusted: () => env.trusted(),
    workspaceFolders: () => env.workspaceFolders(),
    settings: () => env.settings.get(),
    workspace,
    notify: (context, appIds) => env.notifyStatus(context, appIds),
    log: (message) => env.log(message),
  });
  const git = new GitService({
    trusted: () => env.trusted(),
    workspaceFolders: () => env.workspaceFolders(),
    settings: () => env.settings.get(),
    // History and rollback compare commits: the workspace renders them without the buffers.
    workspace,
    status,
    // The branch impact's findings: the same bundled schemas as the rendered validation.
    registry: () =>
      validation.registry({ kubernetesVersion: '', clusterContext: '', kubeconfig: '' }),
    log: (message) => env.log(message),
  });
  const contexts = new ContextsService({
    trusted: () => env.trusted(),
    kubeconfigEnv: () => (env.kubeconfigEnv ? env.kubeconfigEnv() : process.env['KUBECONFIG']),
  });

  /** One read of the folders: their CRDs and kustomizations validate files from the start. */
  async function start(): Promise<void> {
    // Renders are kept in the extension's storage for the next session (see renderStore.ts).
    const storage = env.storagePath();
    if (storage) {
      const key = env.renderStoreKey?.();
      defaultRenderCache.attach(new RenderStore(path.join(storage, 'renders'), key ? { key } : {}));
    }
    await rendered.start(env.workspaceFolders()).catch((error: unknown) => {
      env.log(`Reading the workspace stopped: ${describe(error)}`);
    });
    env.refreshDiagnostics();
  }

  return {
    catalog,
    workspace,
    validation,
    rendered,
    status,
    git,
    contexts,
    start,
    fileChanged: (file, text) => {
      rendered.fileChanged(file, text);
      status.fileChanged();
    },
    documentOpened: (file) => {
      void rendered.documentOpened(file);
    },
    documentClosed: (file) => rendered.documentClosed(file),
    filesChanged: (events) => {
      void rendered.filesChanged(events);
      status.fileChanged();
    },
    settingsChanged: () => {
      status.reset();
      env.refreshDiagnostics();
    },
    trustChanged: async () => {
      env.refreshDiagnostics();
      // The folders were read already: only the units render now.
      await rendered.start(env.workspaceFolders());
    },
    dispose: () => {
      defaultRenderCache.attach(undefined);
      rendered.dispose();
      status.dispose();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
