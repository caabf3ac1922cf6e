import * as vscode from 'vscode';

/** Typed getters for the `gitopsWorkbench.*` settings the client reads itself. */
export const SECTION = 'gitopsWorkbench';

export function kubeconfigPath(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>('kubeconfig', '').trim();
}

export async function setKubeconfigPath(filePath: string): Promise<void> {
  await vscode.workspace
    .getConfiguration(SECTION)
    .update('kubeconfig', filePath, vscode.ConfigurationTarget.Global);
}

export function affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
  return event.affectsConfiguration(`${SECTION}.${key}`);
}

export type DesiredFrom = 'workingTree' | 'HEAD';

/** Where the desired state of sync status comes from: the working tree (unsaved edits) or HEAD. */
export function desiredFrom(): DesiredFrom {
  const value = vscode.workspace.getConfiguration(SECTION).get<string>('status.desiredFrom');
  return value === 'HEAD' ? 'HEAD' : 'workingTree';
}

/** Writes the setting in the workspace when it is set there, else for the user. */
export async function setDesiredFrom(value: DesiredFrom): Promise<void> {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const inspected = configuration.inspect<string>('status.desiredFrom');
  const target =
    inspected?.workspaceValue !== undefined
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await configuration.update('status.desiredFrom', value, target);
}
