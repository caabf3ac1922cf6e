// Child processes for the test harness: always spawned without a shell, always bounded in time,
// always cancellable, and killed as a whole process group (children of children included).
import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { registerLeftovers } from './leftovers';
import { killTree } from '../../server/src/engine/process/killTree';

export { isAlive } from './processTree';
export { killTree };

export type ProcessErrorReason = 'notFound' | 'timeout' | 'aborted' | 'exitCode' | 'spawnFailed';

export class ProcessError extends Error {
  override readonly name = 'ProcessError';
  constructor(
    readonly reason: ProcessErrorReason,
    message: string,
    readonly output = '',
  ) {
    super(message);
  }
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Hard limit; the process group is killed when it runs out. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called with each chunk of stdout and stderr as it arrives (e.g. to write a log file). */
  onOutput?: (chunk: string) => void;
  /** Text written to stdin, which is then closed. */
  input?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

const isWindows = process.platform === 'win32';

/** Waits until `child` has exited, or kills its group after `graceMs` (SIGTERM, then SIGKILL). */
export async function terminate(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killTree(pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), graceMs);
  });
  const late = await Promise.race([exited.then(() => false), timedOut]);
  if (late) {
    killTree(pid, 'SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  }
  clearTimeout(timer);
  // Children of the leader that outlived it share its group: make sure none is left.
  killTree(pid, 'SIGKILL');
}

/** Runs a command to completion and returns its output; rejects with a typed ProcessError. */
export function runProcess(
  command: string,
  args: string[],
  options: RunOptions,
): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ProcessError('aborted', `${command} was cancelled before it started.`));
      return;
    }
    const stdio: StdioOptions = [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio,
      detached: !isWindows,
      windowsHide: true,
    });
    // Killed with its group if this process ends first (Ctrl-C, SIGTERM, crash).
    const release = child.pid === undefined ? () => {} : registerLeftovers([child.pid], []);
    let stdout = '';
    let stderr = '';
    let settled = false;
    let stopReason: 'timeout' | 'aborted' | undefined;
    const finish = (error?: ProcessError): void => {
      if (settled) return;
      settled = true;
      release();
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve({ stdout, stderr });
    };
    const stop = (reason: 'timeout' | 'aborted'): void => {
      stopReason = reason;
      if (child.pid !== undefined) void terminate(child, 3_000);
    };
    const onAbort = (): void => stop('aborted');
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onOutput?.(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onOutput?.(chunk);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);

    child.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? 'notFound' : 'spawnFailed';
      finish(new ProcessError(reason, `Could not run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      const output = `${stdout}${stderr}`;
      if (stopReason === 'timeout') {
        const secs = Math.round(options.timeoutMs / 1000);
        finish(new ProcessError('timeout', `${command} did not finish within ${secs} s.`, output));
      } else if (stopReason === 'aborted') {
        finish(new ProcessError('aborted', `${command} was cancelled.`, output));
      } else if (code !== 0) {
        const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with ${code}`;
        finish(new ProcessError('exitCode', `${command} ${how}: ${lastLines(output, 5)}`, output));
      } else {
        finish();
      }
    });
  });
}

/** The last `count` non-empty lines of `text`, joined with " | " for one-line messages. */
export function lastLines(text: string, count: number): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(-count)
    .join(' | ');
}
