/** What a hostile repository tries, which promise it attacks, and how the suite prepares it. */
import type { Sandbox } from './sandbox';

/** The promises of the product; every run is checked against all of them, whatever it targets. */
export type Promise_ =
  | 'nothing runs'
  | 'nothing outside is read'
  | 'no network unless allowed'
  | 'no Secret byte'
  | 'bounded time and memory'
  | 'output cannot be forged'
  | 'nothing in untrusted workspaces';

export interface Attack {
  /** The folder under test/hostile/repos (absent when `prepare` makes every file). */
  readonly id: string;
  /** One line: what the repository tries. */
  readonly what: string;
  readonly targets: readonly Promise_[];
  /** The unit `render` and `history` are given (repository-relative); default the root. */
  readonly unit?: string;
  /**
   * The message that names what was refused, as `check .` and `render` print it. Absent when the
   * product has nothing to refuse (the attack fails silently, e.g. helm's own `lookup`).
   */
  readonly refusal?: RegExp;
  /** Where the refusal is expected: both faces by default. */
  readonly refusalIn?: readonly ('check' | 'render')[];
  /** Makes the files git cannot hold or that depend on the sandbox (symlinks, FIFOs, sizes). */
  readonly prepare?: (repo: string, sandbox: Sandbox) => void | Promise<void>;
  /** Run after the commits: files git cannot commit (FIFOs) or must not (a hostile .git/config). */
  readonly afterCommit?: (repo: string, sandbox: Sandbox) => void | Promise<void>;
  /** The file the second commit changes (default: the first YAML file of the unit). */
  readonly touch?: string;
  /** The subject of the second commit. */
  readonly subject?: string;
}
