/** What the server learns from the client's `initialize` request, and what it answers. */
import { TextDocumentSyncKind } from 'vscode-languageserver';
import type { InitializeParams, InitializeResult } from 'vscode-languageserver';
import { fileURLToPath } from 'node:url';
import type { InitializationOptions } from './protocol';

/** The server's state from the client: trust (the client may grant it later), folders... */
export interface ClientState {
  trusted: boolean;
  /** Whether the client answers `workspace/configuration` (else: the default settings). */
  readonly configurable: boolean;
  /** A folder to cache cluster schemas in; empty: none. */
  readonly storagePath: string;
  /** InitializationOptions.renderStoreKey, decoded; undefined when absent or not 32 bytes. */
  readonly renderStoreKey?: Buffer;
  /** Absolute paths of the workspace folders on disk. */
  readonly folders: readonly string[];
  /** Whether the client reports file events for a watcher the server registers. */
  readonly watchesFiles: boolean;
}

/** The state before the client's `initialize`: nothing trusted, no folders. */
export const NO_CLIENT: ClientState = {
  trusted: false,
  configurable: false,
  storagePath: '',
  folders: [],
  watchesFiles: false,
};

export function clientState(params: InitializeParams): ClientState {
  const options = params.initializationOptions as Partial<InitializationOptions> | undefined;
  return {
    trusted: options?.trusted === true,
    configurable: params.capabilities.workspace?.configuration === true,
    storagePath: typeof options?.storagePath === 'string' ? options.storagePath : '',
    ...storeKey(options?.renderStoreKey),
    folders: (params.workspaceFolders ?? [])
      .filter((folder) => folder.uri.startsWith('file:'))
      .map((folder) => fileURLToPath(folder.uri)),
    watchesFiles:
      params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
  };
}

export const INITIALIZE_RESULT: InitializeResult = {
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: true },
    codeActionProvider: { codeActionKinds: ['quickfix'] },
    hoverProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    completionProvider: { triggerCharacters: [':', ' '] },
  },
  serverInfo: { name: 'gitops-workbench' },
};

function storeKey(text: unknown): { renderStoreKey?: Buffer } {
  if (typeof text !== 'string') return {};
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? { renderStoreKey: key } : {};
}
