import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type {
  Diagnostic,
  ProtocolConnection,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

/**
 * The peer of the latency benchmark: redhat's yaml-language-server (the npm package), given the
 * same Kubernetes schema as a local file. It pushes diagnostics; we wait for the push that
 * reflects an edit.
 */
export class YamlLanguageServer {
  private readonly waiters: Array<{
    uri: string;
    test: (d: Diagnostic[]) => boolean;
    resolve: () => void;
  }> = [];
  private version = 1;

  private constructor(
    readonly connection: ProtocolConnection,
    readonly child: ChildProcess,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.test(params.diagnostics)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  }

  static async start(schemaFile: string, glob: string): Promise<YamlLanguageServer> {
    const main = path.join(
      __dirname,
      '..',
      '..',
      'node_modules',
      'yaml-language-server',
      'bin',
      'yaml-language-server',
    );
    const child = spawn(process.execPath, [main, '--stdio'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      shell: false,
    });
    if (!child.stdout || !child.stdin) {
      throw new Error('yaml-language-server has no stdio');
    }
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const settings = {
      yaml: {
        validate: true,
        hover: false,
        completion: false,
        format: { enable: false },
        schemaStore: { enable: false },
        kubernetesCRDStore: { enable: false },
        schemas: { [`file://${schemaFile}`]: glob },
      },
    };
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) =>
        item.section === 'yaml' ? settings.yaml : item.section ? undefined : settings,
      ),
    );
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.listen();
    const server = new YamlLanguageServer(connection, child);
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true },
        textDocument: { publishDiagnostics: {} },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
    return server;
  }

  async open(uri: string, text: string, ready: (d: Diagnostic[]) => boolean): Promise<void> {
    const published = this.waitFor(uri, ready);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: this.version, text },
    });
    await published;
  }

  /** Applies an incremental edit and resolves when diagnostics that satisfy `expect` arrive. */
  async change(
    uri: string,
    change: TextDocumentContentChangeEvent,
    expect: (d: Diagnostic[]) => boolean,
  ): Promise<void> {
    const published = this.waitFor(uri, expect);
    this.version++;
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: this.version },
      contentChanges: [change],
    });
    await published;
  }

  private waitFor(uri: string, test: (d: Diagnostic[]) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('yaml-language-server did not publish in 60 s')),
        60_000,
      );
      this.waiters.push({ uri, test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  stop(): void {
    this.connection.dispose();
    this.child.kill('SIGKILL');
  }
}
