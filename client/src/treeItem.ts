import * as vscode from 'vscode';
import type { ItemSpec } from './statusTreeItems';

/** The command every row's click runs; the view runs the row's own command on the selection. */
export const RUN_SELECTED_ROW = 'gitopsWorkbench.clusters.runSelectedRow';

/** Turns the plain description of a tree node into a vscode.TreeItem. */
export function toTreeItem(spec: ItemSpec, extensionUri: vscode.Uri): vscode.TreeItem {
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
    // No arguments: VS Code keeps a row's command arguments only until the row is rendered again,
    // and a click meanwhile runs nothing ("Actual command not found", microsoft/vscode#153982).
    // A click selects the row before it runs the command, so the view takes the node from the
    // selection (see ClustersView.runSelectedRow).
    item.command = { command: RUN_SELECTED_ROW, title: spec.command.title };
  }
  return item;
}
