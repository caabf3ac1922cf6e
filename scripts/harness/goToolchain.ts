// Finding a Go toolchain new enough for the wrapper modules under tools/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ProcessError, runProcess } from './processes';

export type ToolchainErrorReason =
  'goMissing' | 'goTooOld' | 'buildFailed' | 'timeout' | 'aborted' | 'notBuilt' | 'unknownTool';

/** An expected failure of the tool chain; `message` says what to do, no stack trace needed. */
export class ToolchainError extends Error {
  override readonly name = 'ToolchainError';
  constructor(
    readonly reason: ToolchainErrorReason,
    message: string,
    readonly logFile?: string,
  ) {
    super(message);
  }
}

export interface GoToolchain {
  /** The go executable to run. */
  command: string;
  /** e.g. "1.26.8" */
  version: string;
}

/** Environment for every go command: never download another toolchain, never use cgo. */
export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' };
}

/** Compares dotted version numbers ("1.26.0" vs "1.26"); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const pb = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The `go` directive of a go.mod file ("1.26.0"), or undefined when it has none. */
export function goDirective(goModText: string): string | undefined {
  return /^go\s+(\d+(?:\.\d+){0,2})\s*$/m.exec(goModText)?.[1];
}

/** The highest `go` directive among the given wrapper modules' go.mod files. */
export function requiredGoVersion(wrapperDirs: string[]): string {
  let required = '1.0';
  for (const dir of wrapperDirs) {
    const version = goDirective(readFileSync(path.join(dir, 'go.mod'), 'utf8'));
    if (version !== undefined && compareVersions(version, required) > 0) required = version;
  }
  return required;
}

/** `$GITOPS_WORKBENCH_GO` alone when set; else go on PATH, $GOROOT/bin/go, /usr/local/go/bin/go. */
function goCandidates(): string[] {
  const chosen = process.env.GITOPS_WORKBENCH_GO;
  if (chosen) return [chosen];
  const exe = process.platform === 'win32' ? 'go.exe' : 'go';
  const candidates = [exe];
  const extra = [process.env.GOROOT ? path.join(process.env.GOROOT, 'bin', exe) : undefined];
  if (process.platform !== 'win32') extra.push('/usr/local/go/bin/go');
  for (const candidate of extra) {
    if (candidate !== undefined && existsSync(candidate)) candidates.push(candidate);
  }
  return candidates;
}

/**
 * Finds go (see goCandidates) and checks it is at least
 * `required`. Throws a ToolchainError ('goMissing' or 'goTooOld') that says what to install.
 */
export async function findGo(required: string, signal?: AbortSignal): Promise<GoToolchain> {
  const install = `Install Go ${required} or newer from https://go.dev/dl/ and put its bin folder on PATH.`;
  let found: GoToolchain | undefined;
  for (const command of goCandidates()) {
    try {
      const { stdout } = await runProcess(command, ['env', 'GOVERSION'], {
        env: goEnv(),
        timeoutMs: 30_000,
        signal,
      });
      const version = /^go(\d+(?:\.\d+)*)/.exec(stdout.trim())?.[1];
      if (version === undefined) continue;
      const candidate = { command, version };
      if (compareVersions(version, required) >= 0) return candidate;
      found ??= candidate;
    } catch (error) {
      if (error instanceof ProcessError && error.reason === 'aborted') {
        throw new ToolchainError('aborted', 'Looking for Go was cancelled.');
      }
      // Not there or not working: try the next candidate.
    }
  }
  if (found) {
    throw new ToolchainError(
      'goTooOld',
      `Go ${found.version} (${found.command}) is too old to build the test tools. ${install}`,
    );
  }
  const chosen = process.env.GITOPS_WORKBENCH_GO;
  const where = chosen ? ` (GITOPS_WORKBENCH_GO=${chosen} does not run)` : ' (no go on PATH)';
  throw new ToolchainError('goMissing', `Go is needed to build the test tools${where}. ${install}`);
}
