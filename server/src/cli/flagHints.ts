/**
 * How the CLI names the knob of an engine message: the flag that turns it (the editor names a
 * setting instead, see editorHints.ts). A knob the CLI has no flag for is named as the editor
 * setting it is, so the sentence never points at an option that does not exist.
 */
import { withKnobName } from '../engine/configHint';
import type { ConfigHint } from '../engine/configHint';

/** The flag of each knob; every flag is in the usage text (a unit test checks it). */
export const FLAG_OF_HINT: Readonly<Record<ConfigHint, string | undefined>> = {
  allowNetwork: '--allow-network',
  memoryLimit: '--memory-limit MB',
  gitPath: '--git PATH',
  helmPath: '--helm PATH',
  kustomizePath: '--kustomize PATH',
  kubernetesVersion: '--kubernetes-version',
  // No flag: the list lives in the editor's settings; the CLI reports such names as they are.
  externalResources: "the editor's gitopsWorkbench.externalResources setting",
  // The CLI opens no pull request.
  forgeHosts: undefined,
  workspaceRoot: '--root FOLDER',
};

/** The engine's sentence as the CLI says it: with the flag its fix is about. */
export function cliText(message: string, hint: ConfigHint | undefined): string {
  return withKnobName(message, hint ? FLAG_OF_HINT[hint] : undefined);
}
