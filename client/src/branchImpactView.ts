import * as vscode from 'vscode';
import type { BranchImpact } from '../../server/src/protocol';
import {
  appChildren,
  appDescription,
  appIcon,
  diffTitle,
  findingDescription,
  findingLabel,
  resourceBadge,
  resourceIcon,
  resourceLabel,
  rootNodes,
  sidesOf,
} from './branchImpactNodes';
import type { ImpactNode } from './branchImpactNodes';

export const BRANCH_IMPACT_VIEW = 'gitopsWorkbench.branchImpact';
export const BRANCH_IMPACT_SCHEME = 'gitops-workbench-branch-impact';
export const OPEN_IMPACT_DIFF = 'gitopsWorkbench.openBranchImpactDiff';
/** Set once an impact is shown: the view is listed in the GitOps Workbench container from then. */
const SHOWN_KEY = 'gitopsWorkbench.branchImpactShown';

/**
 * The "Branch Impact" tree of the last "Preview Branch Impact", and the read-only documents its
 * diffs compare (the base's and the head's masked YAML of a resource). The impact is held whole,
 * so `getChildren` only reads memory; a new preview replaces it and its documents.
 */
export class BranchImpactView
  implements
    vscode.TreeDataProvider<ImpactNode>,
    vscode.TextDocumentContentProvider,
    vscode.Disposable
{
  private readonly changed = new vscode.EventEmitter<ImpactNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly documentChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.documentChanged.event;
  private readonly view: vscode.TreeView<ImpactNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private impact?: BranchImpact;
  /** Bumped by each preview: a document of an older preview is not served a newer text. */
  private generation = 0;

  constructor() {
    this.view = vscode.window.createTreeView(BRANCH_IMPACT_VIEW, {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.view,
      this.changed,
      this.documentChanged,
      vscode.workspace.registerTextDocumentContentProvider(BRANCH_IMPACT_SCHEME, this),
      vscode.commands.registerCommand(OPEN_IMPACT_DIFF, (node: ImpactNode) => this.openDiff(node)),
    );
  }

  /** Shows `impact` in the view and brings the view forward. */
  async show(impact: BranchImpact): Promise<void> {
    this.impact = impact;
    this.generation += 1;
    this.changed.fire(undefined);
    await vscode.commands.executeCommand('setContext', SHOWN_KEY, true);
    await vscode.commands.executeCommand(`${BRANCH_IMPACT_VIEW}.focus`);
  }

  getChildren(node?: ImpactNode): ImpactNode[] {
    const impact = this.impact;
    if (!impact) return [];
    return node ? appChildren(node, sidesOf(impact)) : rootNodes(impact);
  }

  getTreeItem(node: ImpactNode): vscode.TreeItem {
    switch (node.type) {
      case 'header':
        return item(node.id, node.label, { icon: 'git-compare', tooltip: node.tooltip });
      case 'message':
        return item(node.id, node.label, { icon: node.icon, tooltip: node.label });
      case 'app': {
        const description = appDescription(node.app);
        const result = item(node.id, node.app.app, {
          icon: appIcon(node.app),
          description,
          tooltip: `${node.app.kind} ${node.app.path}${node.app.definedIn ? ` (defined in ${node.app.definedIn})` : ''}: ${node.app.status}, ${description}`,
        });
        result.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        return result;
      }
      case 'appError':
        return item(node.id, node.message, { icon: 'error', tooltip: node.message });
      case 'finding':
        return item(node.id, findingLabel(node.finding), {
          icon: node.finding.severity,
          description: findingDescription(node.finding),
          tooltip: `${node.finding.severity} ${node.finding.code}: ${node.finding.message} (${findingDescription(node.finding)})`,
        });
      case 'resource': {
        const result = item(node.id, resourceLabel(node.resource), {
          icon: resourceIcon(node.resource),
          description: resourceBadge(node.resource),
          tooltip: `${node.resource.id}: ${resourceBadge(node.resource)}`,
        });
        result.command = {
          command: OPEN_IMPACT_DIFF,
          title: 'Show the Change',
          arguments: [node],
        };
        return result;
      }
    }
  }

  /** Base ↔ head of a resource in VS Code's diff editor; an added or removed side is empty. */
  private async openDiff(node: ImpactNode): Promise<void> {
    if (node.type !== 'resource') return;
    const { resource, sides } = node;
    const file = `${resource.kind}-${resource.namespace ?? '_'}-${resource.name}.yaml`;
    const uriOf = (side: 'base' | 'head'): vscode.Uri =>
      vscode.Uri.from({
        scheme: BRANCH_IMPACT_SCHEME,
        path: `/${side}/${encodeURIComponent(file)}`,
        query: `${this.generation}:${encodeURIComponent(node.id)}`,
      });
    await vscode.commands.executeCommand(
      'vscode.diff',
      uriOf('base'),
      uriOf('head'),
      diffTitle(resource, sides),
      { preview: true },
    );
  }

  /** The masked text of one side of a resource of the impact shown now. */
  provideTextDocumentContent(uri: vscode.Uri): string {
    const [generation, encoded] = splitOnce(uri.query);
    const side = uri.path.split('/')[1];
    if (!this.impact || Number(generation) !== this.generation || encoded === undefined) {
      return '# This preview was replaced: run Preview Branch Impact again to see this change.\n';
    }
    const id = decodeURIComponent(encoded);
    for (const app of rootNodes(this.impact)) {
      for (const child of appChildren(app, sidesOf(this.impact))) {
        if (child.id === id && child.type === 'resource') {
          return (side === 'base' ? child.resource.baseText : child.resource.headText) ?? '';
        }
      }
    }
    return '';
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      disposable.dispose();
    }
  }
}

function item(
  id: string,
  label: string,
  spec: { icon: string; tooltip: string; description?: string },
): vscode.TreeItem {
  const result = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  result.id = id;
  result.tooltip = spec.tooltip;
  if (spec.description !== undefined) result.description = spec.description;
  const color =
    spec.icon === 'error'
      ? new vscode.ThemeColor('errorForeground')
      : spec.icon === 'warning'
        ? new vscode.ThemeColor('problemsWarningIcon.foreground')
        : undefined;
  result.iconPath = new vscode.ThemeIcon(spec.icon, color);
  return result;
}

function splitOnce(query: string): [string, string | undefined] {
  const at = query.indexOf(':');
  return at < 0 ? [query, undefined] : [query.slice(0, at), query.slice(at + 1)];
}
