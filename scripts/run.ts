import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Milliseconds after which the process is killed; default ten minutes. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs a program without a shell, output passed through, and resolves with its exit code. A time
 * limit or an abort kills it.
 */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: 'inherit',
      shell: false,
      signal: options.signal,
      timeout: options.timeoutMs ?? 10 * 60 * 1000,
      killSignal: 'SIGKILL',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * The path of a Node.js script of an installed package, e.g. `nodeBin('typescript/bin/tsc')`
 * (bins are often not in a package's `exports`, so they are not resolved through them).
 */
export function nodeBin(moduleBin: string): string {
  return path.join(__dirname, '..', 'node_modules', ...moduleBin.split('/'));
}
