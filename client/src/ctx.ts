import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { State } from 'vscode-languageclient/node';
import { listContexts, renderedManifests, trustChanged } from '../../server/src/protocol';
import type { ListContextsResult, RenderedManifestsResult } from '../../server/src/protocol';
import { kubeconfigPath } from './config';
import { createLanguageClient } from './languageClient';

/**
 * Owns the extension's lifetime: the log, the language client and what depends on it. One
 * disposal list lives as long as the extension; another is emptied at every server restart.
 */
export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly serverStateEmitter = new vscode.EventEmitter<void>();
  /** Fires when the language server starts or stops. */
  readonly onDidChangeServerState = this.serverStateEmitter.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('GitOps Workbench', { log: true });
    this.disposables.push(this.log, this.serverStateEmitter);
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** Registers a disposable that lives as long as the extension. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  async start(): Promise<void> {
    if (this.client) {
      return;
    }
    const client = createLanguageClient(this.extension, this.log, this.trusted, () =>
      this.restart(),
    );
    this.client = client;
    client.onDidChangeState(() => this.serverStateEmitter.fire());
    this.log.info(`Starting the language server (workspace trusted: ${this.trusted}).`);
    try {
      await client.start();
    } catch (error) {
      this.log.error(`The language server did not start: ${describe(error)}`);
      void vscode.window.showErrorMessage(
        'GitOps Workbench could not start its language server, so manifests are not validated. See the "GitOps Workbench" log for why.',
      );
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop(5000);
      } catch (error) {
        this.log.warn(`The language server did not stop cleanly: ${describe(error)}`);
      }
      await client.dispose();
    }
  }

  /** Tells the running server that the user granted workspace trust. */
  async notifyTrusted(): Promise<void> {
    if (this.client?.state === State.Running) {
      await this.client.sendNotification(trustChanged, { trusted: true });
    }
  }

  /** The kubeconfig contexts, or undefined while the server is not running. */
  async listContexts(): Promise<ListContextsResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(listContexts, { kubeconfigPath: kubeconfigPath() });
  }

  /** The rendered manifests of the unit `uri` belongs to, or undefined while the server is down. */
  async renderedManifests(
    uri: string,
    token: vscode.CancellationToken,
  ): Promise<RenderedManifestsResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(renderedManifests, { uri }, token);
  }

  dispose(): void {
    void this.stop();
    for (const disposable of this.disposables.splice(0).reverse()) {
      disposable.dispose();
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
