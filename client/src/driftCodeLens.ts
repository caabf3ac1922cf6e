import * as vscode from 'vscode';
import type { ClustersView } from './clustersView';
import { FOCUS_CLUSTERS } from './driftStatusBar';
import { driftLenses } from './statusSummary';
import { COMMAND, hasComparison } from './statusTreeItems';

/** How long a burst of tree changes is gathered before the lenses are asked for again. */
const SETTLE_MS = 300;

/**
 * A CodeLens over each resource an open file defines, with its status in the connected clusters
 * ("Deployment/podinfo: OutOfSync in prod: spec.replicas"); clicking it opens the live ↔ Git
 * diff. It reads what the Clusters tree already knows and never asks a cluster itself, so a file
 * of an app nobody expanded has no lens.
 */
export class DriftCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly clusters: ClustersView) {
    this.disposables.push(
      this.changed,
      clusters.onDidChangeTreeData(() => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.changed.fire(), SETTLE_MS);
      }),
      vscode.languages.registerCodeLensProvider(
        [
          { scheme: 'file', language: 'yaml' },
          { scheme: 'file', language: 'helm-template' },
          { scheme: 'file', language: 'helm' },
        ],
        this,
      ),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    const resources = this.clusters
      .connectedApps()
      .flatMap(({ apps }) => apps.filter((app) => app.summary.match))
      .flatMap((app) => this.clusters.knownResourcesOf(app));
    return driftLenses(resources, document.uri.fsPath, folder).map(({ line, title, node }) => {
      const range = new vscode.Range(line, 0, line, 0);
      return new vscode.CodeLens(
        range,
        hasComparison(node.resource)
          ? { title, command: COMMAND.showDiff, arguments: [node] }
          : { title, command: FOCUS_CLUSTERS },
      );
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0).reverse()) {
      disposable.dispose();
    }
  }
}
