/**
 * How the editor names the knob of an engine message: the `gitopsWorkbench.*` setting that
 * turns it. Shared by the server's diagnostics and the client's messages (through the protocol
 * file); the CLI names flags instead (cli/flagHints.ts).
 */
import { withKnobName } from './engine/configHint';
import type { ConfigHint } from './engine/configHint';

/**
 * The setting of each knob; every one is declared in package.json (a unit test checks it). The
 * workspace root has none: it is the folder opened in VS Code, as the sentence says.
 */
export const SETTING_OF_HINT: Readonly<Record<ConfigHint, string | undefined>> = {
  allowNetwork: 'gitopsWorkbench.render.allowNetwork',
  memoryLimit: 'gitopsWorkbench.render.memoryLimitMB',
  gitPath: 'gitopsWorkbench.gitPath',
  helmPath: 'gitopsWorkbench.helmPath',
  kustomizePath: 'gitopsWorkbench.kustomizePath',
  externalResources: 'gitopsWorkbench.externalResources',
  kubernetesVersion: 'gitopsWorkbench.kubernetesVersion',
  forgeHosts: 'gitopsWorkbench.forge.hosts',
  workspaceRoot: undefined,
};

/** The engine's sentence as the editor says it: with the setting its fix is about. */
export function editorText(message: string, hint: ConfigHint | undefined): string {
  return withKnobName(message, hint ? SETTING_OF_HINT[hint] : undefined);
}

/** A failure sent to the client (git, status, preview), as the editor says it. */
export function editorFailureText(failure: {
  readonly message: string;
  readonly hint?: ConfigHint | undefined;
}): string {
  return editorText(failure.message, failure.hint);
}
