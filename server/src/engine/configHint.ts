/**
 * Which knob of the caller fixes a failure or silences a finding. The engine's sentences say
 * what to do in neutral terms ("turn on network rendering") and carry one of these; each face
 * names the knob its own way: a setting in the editor (`gitopsWorkbench.render.allowNetwork`), a
 * flag in the CLI (`--allow-network`). No engine message names a setting or a flag.
 */
export type ConfigHint =
  /** Fetch remote bases, charts and values files while rendering. */
  | 'allowNetwork'
  /** The memory limit of each helm or kustomize process tree. */
  | 'memoryLimit'
  /** The git binary. */
  | 'gitPath'
  /** The helm binary. */
  | 'helmPath'
  /** The kustomize binary. */
  | 'kustomizePath'
  /** Names that exist outside the repository, by kind. */
  | 'externalResources'
  /** The Kubernetes version whose bundled schemas validate. */
  | 'kubernetesVersion'
  /** Self-hosted forges and their API URLs. */
  | 'forgeHosts'
  /** The folder a repository is read within: files outside it are never read. */
  | 'workspaceRoot';

/** Every hint, for faces that must name each of them (and the tests that check they do). */
export const CONFIG_HINTS: readonly ConfigHint[] = [
  'allowNetwork',
  'memoryLimit',
  'gitPath',
  'helmPath',
  'kustomizePath',
  'externalResources',
  'kubernetesVersion',
  'forgeHosts',
  'workspaceRoot',
];

/**
 * The sentence with a face's name for its knob put in parentheses before the sentence's final
 * period: "… turn on network rendering (--allow-network)." A parenthesis that follows the final
 * period (a finding's "(rendered Secret x of …)") stays after it. Without a name, the sentence
 * is returned as it is; without a final period, the name is added at the end.
 */
export function withKnobName(message: string, name: string | undefined): string {
  if (!name) return message;
  const end = /\.(\s*\([^()]*\))?\s*$/.exec(message);
  if (!end) return `${message} (${name})`;
  return `${message.slice(0, end.index)} (${name})${message.slice(end.index)}`;
}
