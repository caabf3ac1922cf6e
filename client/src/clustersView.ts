import * as vscode from 'vscode';
import type { ContextInfo } from '../../server/src/protocol';
import type { Ctx } from './ctx';

/**
 * The "Clusters" tree: one item per kubeconfig context. Listing contexts reads kubeconfig files
 * only; no cluster is contacted at start-up. When there is nothing to show the view's welcome
 * content tells the user how to connect a cluster.
 */
export class ClustersView implements vscode.TreeDataProvider<ContextInfo>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ContextInfo | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<ContextInfo>;

  constructor(private readonly ctx: Ctx) {
    this.view = vscode.window.createTreeView('gitopsWorkbench.clusters', {
      treeDataProvider: this,
      showCollapseAll: false,
    });
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(context: ContextInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(context.name, vscode.TreeItemCollapsibleState.None);
    item.id = `context:${context.name}`;
    item.description = context.current ? 'current' : undefined;
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = 'kubeContext';
    item.tooltip = new vscode.MarkdownString(
      [
        `**${context.name}**`,
        `cluster: \`${context.cluster}\``,
        context.server ? `server: \`${context.server}\`` : undefined,
        `user: \`${context.user}\``,
        context.namespace ? `namespace: \`${context.namespace}\`` : undefined,
        `from: \`${context.file}\``,
      ]
        .filter((line) => line !== undefined)
        .join('  \n'),
    );
    return item;
  }

  async getChildren(element?: ContextInfo): Promise<ContextInfo[]> {
    if (element || !this.ctx.trusted) {
      this.view.message = undefined;
      return [];
    }
    try {
      const result = await this.ctx.listContexts();
      this.view.message = result?.problems.length ? result.problems.join(' ') : undefined;
      return result ? [...result.contexts] : [];
    } catch (error) {
      this.ctx.log.error(`Listing kubeconfig contexts failed: ${String(error)}`);
      this.view.message = 'Could not read the kubeconfig contexts: see the GitOps Workbench log.';
      return [];
    }
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
