import * as vscode from 'vscode';
import type { StatusChangedParams } from '../../server/src/protocol';
import { appNodeId, contextNodeId } from './clusterNodes';
import type { AppNode, ClusterNode, ContextNode, ResourceNode } from './clusterNodes';
import { ClusterStore } from './clusterStore';
import { affects, desiredFrom } from './config';
import type { Ctx } from './ctx';
import { COMMAND, desiredFromLabel, nodeItem } from './statusTreeItems';
import { RUN_SELECTED_ROW, toTreeItem } from './treeItem';

/** How long a click waits for VS Code to name the selected row, and how often it asks. */
const SELECTION_WAIT_MS = 1000;
const SELECTION_POLL_MS = 50;
/** Settings whose change changes every status: connected contexts are asked again. */
const STATUS_SETTINGS = ['status.desiredFrom', 'targets', 'ignoreDifferences'];

/**
 * The "Clusters" tree: kubeconfig contexts, then the GitOps apps a context holds (asked of the
 * server only when the user expands the context), then each app's resources with their sync and
 * health. Listing contexts reads kubeconfig files only. Nodes are kept by id and updated in
 * place, so a `statusChanged` from the server refreshes just the nodes it names. No cluster is
 * contacted in an untrusted workspace.
 */
export class ClustersView implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<ClusterNode>;
  private readonly store: ClusterStore;
  private readonly disposables: vscode.Disposable[] = [];
  /** The contexts being listed for VS Code, and whether the root changed meanwhile. */
  private listing?: Promise<ContextNode[]>;
  private rootChanged = false;

  constructor(private readonly ctx: Ctx) {
    this.store = new ClusterStore(
      {
        contextApps: (context, refresh) => ctx.contextApps(context, refresh),
        appResources: (appId) => ctx.appResources(appId),
        log: ctx.log,
      },
      (node) => this.changed.fire(node),
    );
    this.view = vscode.window.createTreeView('gitopsWorkbench.clusters', {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.showDesiredFrom();
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidExpandElement(({ element }) => this.expanded(element)),
      vscode.commands.registerCommand(RUN_SELECTED_ROW, () => this.runSelectedRow()),
      ctx.onDidChangeStatus((params) => void this.statusChanged(params)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affects(event, 'status.desiredFrom')) {
          this.showDesiredFrom();
        }
        if (STATUS_SETTINGS.some((key) => affects(event, key))) {
          this.refresh();
        }
      }),
    );
  }

  /** Lists the contexts again and asks again for every connected one. */
  refresh(): void {
    this.store.markAppsStale();
    this.fireRoot();
    if (!this.ctx.trusted) return;
    for (const context of this.store.connectedContexts()) {
      void this.store.loadContext(context, true).then(() => this.fireContext(context));
    }
  }

  /** Asks again for what a node belongs to: its app, or its context. */
  async refreshNode(node: ClusterNode): Promise<void> {
    if (!this.ctx.trusted) return;
    const appId =
      node.type === 'app' ? node.summary.id : node.type === 'context' ? undefined : node.appId;
    if (appId !== undefined && node.type !== 'context') {
      await this.store.loadApp(appId);
      if (!this.store.fireContextIfChanged(node.contextName)) {
        this.fireChanged(appNodeId(appId));
      }
      return;
    }
    await this.connect(contextOf(node));
  }

  /** Connects (again) to a context: Retry, Connect, Refresh on a context. */
  async connect(context: string): Promise<void> {
    if (!this.ctx.trusted) return;
    this.store.reset(context);
    await this.store.loadContext(context, true);
    this.fireContext(context);
  }

  /** Stops the server's watches of a context; its node then offers to connect again. */
  async disconnect(context: string): Promise<void> {
    await this.ctx.disconnectContext(context);
    this.store.disconnected(context);
    this.fireContext(context);
  }

  /** Contexts whose apps are listed, with their app nodes as known now. */
  connectedApps(): { context: string; apps: AppNode[] }[] {
    return this.store
      .connectedContexts()
      .filter((context) => this.store.connectionOf(context).state === 'loaded')
      .map((context) => ({ context, apps: this.store.appsOf(context) }));
  }

  /** The resources of an app the tree has read (none asked for here). */
  knownResourcesOf(app: AppNode): ResourceNode[] {
    return this.store.resourcesOf(app.summary.id);
  }

  /** The resources of an app, read first when the tree has not shown them yet. */
  async resourcesOf(app: AppNode): Promise<ResourceNode[]> {
    const known = this.store.resourcesOf(app.summary.id);
    if (known.length > 0 || !this.ctx.trusted) return known;
    await this.store.loadApp(app.summary.id);
    return this.store.resourcesOf(app.summary.id);
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    return toTreeItem(this.store.item(node), this.ctx.extension.extensionUri);
  }

  getParent(node: ClusterNode): ClusterNode | undefined {
    return this.store.parentOf(node);
  }

  /** Contexts and apps answer from the store without waiting (see ClusterStore.childrenOfContext). */
  async getChildren(node?: ClusterNode): Promise<ClusterNode[]> {
    if (!this.ctx.trusted) {
      this.view.message = undefined;
      return [];
    }
    switch (node?.type) {
      case undefined:
        return this.contextNodes();
      case 'context':
        return this.store.childrenOfContext(node);
      case 'app':
        return this.store.childrenOfApp(node);
      default:
        return [];
    }
  }

  /**
   * Fires the root, unless the contexts are being listed: VS Code would then ask for them a
   * second time while the first answer is on its way and register both (see getChildren).
   */
  private fireRoot(): void {
    if (this.listing) {
      this.rootChanged = true;
      return;
    }
    this.changed.fire(undefined);
  }

  private async contextNodes(): Promise<ContextNode[]> {
    const listing = this.listContextNodes();
    this.listing = listing;
    try {
      return await listing;
    } finally {
      if (this.listing === listing) this.listing = undefined;
      if (this.rootChanged && !this.listing) {
        this.rootChanged = false;
        setTimeout(() => this.fireRoot(), 0);
      }
    }
  }

  private async listContextNodes(): Promise<ContextNode[]> {
    try {
      const result = await this.ctx.listContexts();
      this.view.message = result?.problems.length ? result.problems.join(' ') : undefined;
      return (result?.contexts ?? []).map((info) => this.store.contextNode(info));
    } catch (error) {
      this.ctx.log.error(
        `Listing kubeconfig contexts failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.view.message = 'Could not read the kubeconfig contexts: see the GitOps Workbench log.';
      return [];
    }
  }

  private async statusChanged(params: StatusChangedParams): Promise<void> {
    if (this.ctx.trusted) await this.store.statusChanged(params.context, params.appIds);
  }

  /**
   * A row was clicked: runs its command on it. The click selected the row first; while VS Code
   * renders the row's parent again, the selection names no node for a moment, so it is asked
   * again for up to a second. A resource row always shows its diff (showDiff says why there is
   * none when it could not be compared since the row was drawn).
   */
  private async runSelectedRow(): Promise<unknown> {
    for (let waited = 0; waited < SELECTION_WAIT_MS; waited += SELECTION_POLL_MS) {
      const [node] = this.view.selection;
      if (node) {
        const spec = nodeItem(node, (context) => this.store.connectionOf(context));
        const command = node.type === 'resource' ? COMMAND.showDiff : spec.command?.id;
        return command ? vscode.commands.executeCommand(command, node) : undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, SELECTION_POLL_MS));
    }
    this.ctx.log.warn('A click in the Clusters view found no selected row: click it again.');
    return undefined;
  }

  private expanded(node: ClusterNode): void {
    if (
      node.type === 'context' &&
      this.store.connectionOf(node.info.name).state === 'disconnected'
    ) {
      this.store.reset(node.info.name);
      this.changed.fire(node);
    }
  }

  private fireContext(context: string): void {
    this.fireNode(contextNodeId(context));
  }

  private fireNode(id: string): void {
    const node = this.store.node(id);
    if (node) this.changed.fire(node);
  }

  /** Fires only the rows under and at a context or app that differ from what is shown. */
  private fireChanged(id: string): void {
    const node = this.store.node(id);
    if (node?.type === 'context' || node?.type === 'app') this.store.fireChanged(node);
  }

  private showDesiredFrom(): void {
    this.view.description = desiredFromLabel(desiredFrom());
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      disposable.dispose();
    }
  }
}

/** The context a node belongs to. */
export function contextOf(node: ClusterNode): string {
  return node.type === 'context' ? node.info.name : node.contextName;
}
