import * as vscode from 'vscode';
import type { ClusterNode } from './clusterNodes';
import type { ItemSpec } from './statusTreeItems';

/** Turns the plain description of a tree node into a vscode.TreeItem; clicks pass the node. */
export function toTreeItem(
  spec: ItemSpec,
  node: ClusterNode,
  extensionUri: vscode.Uri,
): vscode.TreeItem {
  const item = new vscode.TreeItem(
    spec.label,
    spec.collapsible
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None,
  );
  item.id = spec.id;
  item.description = spec.description;
  item.tooltip = new vscode.MarkdownString(spec.tooltip);
  item.contextValue = spec.contextValue;
  item.iconPath =
    'status' in spec.icon
      ? vscode.Uri.joinPath(extensionUri, 'media', 'status', `${spec.icon.status}.svg`)
      : new vscode.ThemeIcon(
          spec.icon.codicon,
          spec.icon.codicon === 'error' ? new vscode.ThemeColor('errorForeground') : undefined,
        );
  if (spec.command) {
    item.command = { command: spec.command.id, title: spec.command.title, arguments: [node] };
  }
  return item;
}
