import * as vscode from 'vscode';
import type { ClustersView } from './clustersView';
import { driftSummary } from './statusSummary';

/** Focuses the Clusters view (VS Code gives every view a `<id>.focus` command). */
export const FOCUS_CLUSTERS = 'gitopsWorkbench.clusters.focus';

/**
 * The status bar item that says how the workspace's apps compare with the connected clusters:
 * "$(sync) 2 OutOfSync", "$(check) Synced". It follows the Clusters tree, which is updated on
 * every statusChanged of the server, and is hidden while no context is connected.
 */
export class DriftStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly clusters: ClustersView) {
    this.item = vscode.window.createStatusBarItem(
      'gitopsWorkbench.drift',
      vscode.StatusBarAlignment.Left,
      50,
    );
    this.item.name = 'GitOps Workbench: Sync Status';
    this.item.command = { command: FOCUS_CLUSTERS, title: 'Show the Clusters view' };
    this.disposables.push(
      this.item,
      clusters.onDidChangeTreeData(() => this.update()),
    );
    this.update();
  }

  private update(): void {
    const summary = driftSummary(
      this.clusters
        .connectedApps()
        .map(({ context, apps }) => ({ context, apps: apps.map((app) => app.summary) })),
    );
    if (!summary) {
      this.item.hide();
      return;
    }
    this.item.text = summary.text;
    this.item.tooltip = new vscode.MarkdownString(summary.tooltip);
    this.item.show();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      disposable.dispose();
    }
  }
}
