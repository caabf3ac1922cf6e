import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import {
  KUBERNETES_EXTENSION_ID,
  YAML_EXTENSION_ID,
  doubleValidationOf,
  noticeOf,
  searchPattern,
  settingsToStopDoubles,
} from './yamlDoubleValidation';
import type { DoubleValidation, YamlSettingsSnapshot } from './yamlDoubleValidation';

/** The Command Palette command that writes the settings (id matches package.json). */
export const TURN_OFF_YAML_KUBERNETES_SCHEMA = 'gitopsWorkbench.turnOffYamlKubernetesSchema';
const ASKED_KEY = 'gitopsWorkbench.yamlDoubleValidation.asked';
const SEARCH_TIME_LIMIT_MS = 10_000;

function snapshot(): YamlSettingsSnapshot {
  const yaml = vscode.workspace.getConfiguration('yaml');
  return {
    schemas: yaml.get('schemas'),
    workspaceSchemas: yaml.inspect('schemas')?.workspaceValue,
    validate: yaml.get('validate'),
    kubernetesExtension: vscode.extensions.getExtension(KUBERNETES_EXTENSION_ID) !== undefined,
  };
}

/** Whether any glob finds a file of the workspace, within a time limit. */
async function anyFileMatches(globs: readonly string[]): Promise<boolean> {
  const cancel = new vscode.CancellationTokenSource();
  const timer = setTimeout(() => cancel.cancel(), SEARCH_TIME_LIMIT_MS);
  try {
    for (const glob of globs) {
      const found = await vscode.workspace.findFiles(
        searchPattern(glob),
        '**/node_modules/**',
        1,
        cancel.token,
      );
      if (found.length > 0) return true;
    }
    return false;
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}

/**
 * The YAML extension's validation of this workspace's manifests, when it would happen. Enabled is
 * enough: it activates on the YAML files we do.
 */
async function detect(): Promise<DoubleValidation | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) return undefined;
  if (!vscode.extensions.getExtension(YAML_EXTENSION_ID)) return undefined;
  const found = doubleValidationOf(snapshot());
  if (!found || found.kubernetesExtension) return found;
  return (await anyFileMatches(found.kubernetesGlobs)) ? found : undefined;
}

/** Writes the workspace settings that stop the doubles and says what changed. */
async function turnOff(ctx: Ctx): Promise<void> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showWarningMessage(
      'No folder is open, so there is no workspace to change: open the folder first.',
    );
    return;
  }
  const changes = settingsToStopDoubles(snapshot());
  if (changes.length === 0) {
    void vscode.window.showInformationMessage(
      "Red Hat's YAML extension validates no Kubernetes manifest in this workspace: nothing to change.",
    );
    return;
  }
  const yaml = vscode.workspace.getConfiguration('yaml');
  try {
    for (const change of changes) {
      await yaml.update(change.key, change.value, vscode.ConfigurationTarget.Workspace);
      ctx.log.info(`Workspace setting changed: ${change.description}.`);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.log.warn(`Changing the workspace's yaml settings failed: ${reason}`);
    void vscode.window.showErrorMessage(
      `The workspace settings could not be changed (${reason.replace(/\.$/, '')}): fix the workspace settings file and run the command again.`,
    );
    return;
  }
  const open = 'Open Workspace Settings';
  const picked = await vscode.window.showInformationMessage(
    `Changed for this workspace only: ${changes.map((change) => change.description).join('; ')}.`,
    open,
  );
  if (picked === open) {
    await vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile');
  }
}

/**
 * Offers, once per workspace, to stop Red Hat's YAML extension listing manifest problems a second
 * time, and registers the command that does it.
 */
export function offerToStopDoubleValidation(ctx: Ctx): vscode.Disposable {
  const state = ctx.extension.workspaceState;
  let checking = false;
  const check = async (): Promise<void> => {
    if (checking || state.get<boolean>(ASKED_KEY)) return;
    checking = true;
    try {
      const found = await detect();
      if (!found || state.get<boolean>(ASKED_KEY)) return;
      await state.update(ASKED_KEY, true);
      const notice = noticeOf(found);
      const picked = await vscode.window.showWarningMessage(notice.message, notice.action);
      if (picked === notice.action) await turnOff(ctx);
    } catch (error) {
      ctx.log.warn(
        `Looking for Red Hat's YAML extension's Kubernetes schema failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      checking = false;
    }
  };
  void check();
  return vscode.Disposable.from(
    vscode.commands.registerCommand(TURN_OFF_YAML_KUBERNETES_SCHEMA, () => turnOff(ctx)),
    vscode.extensions.onDidChange(() => void check()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('yaml')) void check();
    }),
  );
}
