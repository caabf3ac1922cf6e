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

/** `trace.server` as the language client reads it. */
export function serverTrace(): 'off' | 'messages' | 'verbose' {
  const value = vscode.workspace.getConfiguration(SECTION).get<string>('trace.server');
  return value === 'messages' || value === 'verbose' ? value : 'off';
}

/** Branches never committed to directly, beside main and master (which the server adds). */
export function protectedBranches(): string[] {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('git.protectedBranches');
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '')
    : [];
}

/** Whether a rollback may commit the revert on the current branch instead of a new one. */
export function commitToCurrentBranch(): boolean {
  return vscode.workspace
    .getConfiguration(SECTION)
    .get<boolean>('rollback.commitToCurrentBranch', false);
}

/** Whether that current branch may be a protected one. */
export function allowProtectedBranches(): boolean {
  return vscode.workspace
    .getConfiguration(SECTION)
    .get<boolean>('rollback.allowProtectedBranches', false);
}

/** Hosts of `forge.hosts` (GitHub Enterprise, self-hosted GitLab, Gitea, Forgejo). */
export function forgeHosts(): string[] {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('forge.hosts');
  return typeof value === 'object' && value !== null ? Object.keys(value) : [];
}
