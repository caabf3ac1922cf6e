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
