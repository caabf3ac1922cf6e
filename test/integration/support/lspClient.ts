import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShowMessageRequest,
  ShutdownRequest,
  StreamMessageReader,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type {
  DocumentDiagnosticReport,
  ProtocolConnection,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export const SERVER_JS = path.resolve(__dirname, '..', '..', '..', 'dist', 'server.js');

/**
 * A minimal LSP client for tests: starts the built `dist/server.js --stdio` as a process and
 * speaks JSON-RPC to it, answering the server's configuration requests from `settings`.
 */
export class TestLspClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcess;
  private readonly versions = new Map<string, number>();
  settings: Record<string, unknown> = { validation: { enable: true } };
  refreshRequests = 0;
  private readonly refreshWaiters: Array<() => void> = [];
  stderr = '';
  /** Every log line and message the server sent (window/logMessage, window/showMessage). */
  readonly messages: string[] = [];
  /** Every work done progress value the server sent, in order (begin, report, end). */
  readonly progress: { kind: string; title?: string; message?: string; at: number }[] = [];

  private constructor(child: ChildProcess) {
    this.child = child;
    if (!child.stdout || !child.stdin) {
      throw new Error('the server process has no stdio');
    }
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    this.connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map(() => this.settings),
    );
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      this.connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
        this.progress.push({
          kind: value.kind,
          ...('title' in value ? { title: value.title } : {}),
          ...(value.message !== undefined ? { message: value.message } : {}),
          at: performance.now(),
        });
      });
    });
    this.connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshRequests++;
      for (const wake of this.refreshWaiters.splice(0)) wake();
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.messages.push(params.message);
    });
    this.connection.onNotification(ShowMessageNotification.type, (params) => {
      this.messages.push(params.message);
    });
    this.connection.onRequest(ShowMessageRequest.type, (params) => {
      this.messages.push(params.message);
      return null;
    });
    this.connection.listen();
  }

  static async start(
    initializationOptions: unknown = { trusted: true },
    workspaceFolder?: string,
    settings?: Record<string, unknown>,
    env?: NodeJS.ProcessEnv,
  ): Promise<TestLspClient> {
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      ...(env ? { env } : {}),
    });
    const client = new TestLspClient(child);
    if (settings) {
      client.settings = settings;
    }
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: workspaceFolder
        ? [{ uri: pathToFileURL(workspaceFolder).href, name: path.basename(workspaceFolder) }]
        : null,
      capabilities: {
        workspace: { configuration: true, diagnostics: { refreshSupport: true } },
        window: { workDoneProgress: true },
        textDocument: { diagnostic: { dynamicRegistration: false } },
      },
      initializationOptions,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /**
   * Resolves once the server has asked for diagnostics to be pulled again more than `seen`
   * times (the count of `refreshRequests` read before the last pull), or after `limitMs`.
   */
  async refreshAfter(seen: number, limitMs: number): Promise<void> {
    if (this.refreshRequests > seen) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      this.refreshWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  diagnostics(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri },
      previousResultId,
    });
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: null,
    });
  }

  /** Shuts the server down politely and waits for its process to exit. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', resolve));
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.child.kill('SIGKILL');
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }
}
