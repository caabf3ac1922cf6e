import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { State, Trace } from 'vscode-languageclient/node';
import {
  appResources,
  branchImpact,
  branchList,
  branchState,
  contextApps,
  createPullRequest,
  history,
  disconnectContext,
  listContexts,
  reconcileApp,
  renderedImpact,
  renderUnitsOf,
  renderedManifests,
  resourceDiff,
  rollbackCommit,
  statusChanged,
  trustChanged,
} from '../../server/src/protocol';
import type {
  AppResourcesResult,
  BranchImpactParams,
  BranchImpactResult,
  BranchListParams,
  BranchListResult,
  BranchStateResult,
  ContextAppsResult,
  CreatePullRequestParams,
  CreatePullRequestResult,
  HistoryParams,
  HistoryResult,
  ListContextsResult,
  ReconcileResult,
  RenderedImpactParams,
  RenderedImpactResult,
  ChosenUnit,
  RenderUnitsResult,
  RenderedManifestsResult,
  ResourceDiffResult,
  RollbackParams,
  RollbackResultMessage,
  StatusChangedParams,
} from '../../server/src/protocol';
import { kubeconfigPath, serverTrace } from './config';
import { createLanguageClient, renderStoreKey } from './languageClient';

/**
 * Owns the extension's lifetime: the log, the language client and what depends on it. One
 * disposal list lives as long as the extension; another is emptied at every server restart.
 */
export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Emptied at every server stop: what was registered on the client of that run. */
  private readonly serverDisposables: vscode.Disposable[] = [];
  private readonly serverStateEmitter = new vscode.EventEmitter<void>();
  private readonly statusChangedEmitter = new vscode.EventEmitter<StatusChangedParams>();
  /** Fires when the language server starts or stops. */
  readonly onDidChangeServerState = this.serverStateEmitter.event;
  /** Fires when the server says the status of a context's apps changed; survives restarts. */
  readonly onDidChangeStatus = this.statusChangedEmitter.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('GitOps Workbench', { log: true });
    this.disposables.push(this.log, this.serverStateEmitter, this.statusChangedEmitter);
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
    const client = createLanguageClient(
      this.extension,
      this.log,
      this.trusted,
      () => this.restart(),
      await renderStoreKey(this.extension.secrets, this.log),
    );
    this.client = client;
    this.serverDisposables.push(
      client.onDidChangeState(() => this.serverStateEmitter.fire()),
      client.onNotification(statusChanged, (params) => this.statusChangedEmitter.fire(params)),
    );
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
    // Taken now: a start that follows registers its own.
    const owned = this.serverDisposables.splice(0);
    if (client) {
      try {
        await client.stop(5000);
      } catch (error) {
        this.log.warn(`The language server did not stop cleanly: ${describe(error)}`);
      }
      await client.dispose();
    }
    for (const disposable of owned.reverse()) {
      disposable.dispose();
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

  /** The units `uri` belongs to, the default first, or undefined while the server is down. */
  async renderUnits(uri: string): Promise<RenderUnitsResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(renderUnitsOf, { uri });
  }

  /**
   * The rendered manifests of `unit` (else the first unit `uri` belongs to), or undefined while
   * the server is down.
   */
  async renderedManifests(
    uri: string,
    unit: ChosenUnit | undefined,
    token: vscode.CancellationToken,
  ): Promise<RenderedManifestsResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(renderedManifests, { uri, ...(unit ? { unit } : {}) }, token);
  }

  /**
   * Connects to `context` and lists its GitOps apps (`refresh`: the workspace is read again);
   * undefined while the server is not running.
   */
  async contextApps(context: string, refresh = false): Promise<ContextAppsResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(contextApps, {
      context,
      kubeconfigPath: kubeconfigPath(),
      refresh,
      // The tree shows apps as soon as they are listed; their comparisons fill in after.
      progressive: true,
    });
  }

  /** One app's status with its resources; undefined while the server is not running. */
  async appResources(appId: string): Promise<AppResourcesResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(appResources, { appId, progressive: true });
  }

  /** The live and desired texts of one resource; undefined while the server is not running. */
  async resourceDiff(appId: string, resourceId: string): Promise<ResourceDiffResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(resourceDiff, { appId, resourceId });
  }

  /** Asks the app's controller to reconcile; undefined while the server is not running. */
  async reconcileApp(appId: string): Promise<ReconcileResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(reconcileApp, { appId });
  }

  /** Stops the watches of `context`; nothing to do while the server is not running. */
  async disconnectContext(context: string): Promise<void> {
    if (this.client?.state === State.Running) {
      await this.client.sendNotification(disconnectContext, { context });
    }
  }

  /** The commits that touched an app's or a path's sources; undefined while the server is down. */
  async history(
    params: HistoryParams,
    token: vscode.CancellationToken,
  ): Promise<HistoryResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(history, params, token);
  }

  /** What a commit (or its revert) changes in the rendered output; undefined while down. */
  async renderedImpact(
    params: RenderedImpactParams,
    token: vscode.CancellationToken,
  ): Promise<RenderedImpactResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(renderedImpact, params, token);
  }

  /** What a branch changes in the rendered output, per app; undefined while down. */
  async branchImpact(
    params: BranchImpactParams,
    token: vscode.CancellationToken,
  ): Promise<BranchImpactResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(branchImpact, params, token);
  }

  /** The branches a branch impact can be compared with; undefined while down. */
  async branchList(
    params: BranchListParams,
    token: vscode.CancellationToken,
  ): Promise<BranchListResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(branchList, params, token);
  }

  /** Branch, upstream, dirtiness and forge of a repository; undefined while down. */
  async branchState(
    repoRoot: string,
    token: vscode.CancellationToken,
  ): Promise<BranchStateResult | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(branchState, { repoRoot }, token);
  }

  /** Reverts a commit on a new branch (or the current one) and pushes it; undefined while down. */
  async rollbackCommit(
    params: RollbackParams,
    token: vscode.CancellationToken,
  ): Promise<RollbackResultMessage | undefined> {
    if (this.client?.state !== State.Running) {
      return undefined;
    }
    return this.client.sendRequest(rollbackCommit, params, token);
  }

  /**
   * Pushes the branch and opens a pull request; undefined while down. The protocol trace is off
   * while the request carries a forge token, so that `trace.server: verbose` cannot log it.
   */
  async createPullRequest(
    params: CreatePullRequestParams,
    token: vscode.CancellationToken,
  ): Promise<CreatePullRequestResult | undefined> {
    const client = this.client;
    if (client?.state !== State.Running) {
      return undefined;
    }
    const trace = serverTrace();
    const quiet = params.token !== undefined && trace !== 'off';
    if (quiet) await client.setTrace(Trace.Off);
    try {
      return await client.sendRequest(createPullRequest, params, token);
    } finally {
      if (quiet && client.state === State.Running) await client.setTrace(Trace.fromString(trace));
    }
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
