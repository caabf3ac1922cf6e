/**
 * The environment git runs with. We never want an editor, a pager, an external diff or config
 * injected through the environment (git commands here never need them), and simple-git refuses
 * to run with such variables set, so they are left out: npm, for one, sets EDITOR for its
 * scripts. The user's own ssh command, askpass and proxy are kept, as the git CLI would use them.
 */
const LEFT_OUT = new Set([
  'editor',
  'visual',
  'git_editor',
  'git_sequence_editor',
  'pager',
  'git_pager',
  'git_external_diff',
  'git_template_dir',
  'git_exec_path',
  'git_config',
  'git_config_global',
  'git_config_system',
  'git_config_count',
  'prefix',
]);

export function gitEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    const lower = name.toLowerCase();
    if (value === undefined || LEFT_OUT.has(lower) || /^git_config_(key|value)_\d+$/.test(lower)) {
      continue;
    }
    env[name] = value;
  }
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra };
}

/**
 * simple-git's checks for the user's own transport settings, which we keep, and for
 * `core.fsmonitor`, which we only ever set to `false` (GIT_CONFIG_OVERRIDES in gitRunner.ts).
 */
export const GIT_UNSAFE_ALLOWED = {
  allowUnsafeSshCommand: true,
  allowUnsafeAskPass: true,
  allowUnsafeGitProxy: true,
  allowUnsafeFsMonitor: true,
} as const;
