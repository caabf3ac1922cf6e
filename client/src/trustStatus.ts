import * as vscode from 'vscode';

/** A status bar item that says, in an untrusted folder, what GitOps Workbench does not do. */
export function createRestrictedModeItem(): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem(
    'gitopsWorkbench.restricted',
    vscode.StatusBarAlignment.Left,
  );
  item.name = 'GitOps Workbench Restricted Mode';
  item.text = '$(shield) GitOps Workbench: Restricted';
  item.tooltip =
    'This folder is not trusted: manifests are validated, but no cluster is contacted, no helm or kustomize binary runs and no git change is made. Click to manage workspace trust.';
  item.command = 'workbench.trust.manage';
  return item;
}
