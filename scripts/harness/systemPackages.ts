// Child processes for the harness (no shell, time-limited, cancellable, logged) and the Debian
// packages that code-server and Chromium need: found, installed as root, or named for `sudo`.
import { spawn } from 'node:child_process';
import type { SpawnOptions } from 'node:child_process';
import { accessSync, appendFileSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { killTree } from '../../server/src/engine/process/killTree';

/** Why a step of the harness failed; the message says what to do. */
export type HarnessErrorReason = 'missingSystemPackages' | 'stepFailed' | 'timeout' | 'aborted';

export class HarnessError extends Error {
  constructor(
    readonly reason: HarnessErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'HarnessError';
  }
}

export interface RunOptions {
  /** What the step does, for the log and for error messages ("npm install code-server"). */
  step: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Every line of output goes here, after a header naming the step. */
  logPath: string;
  /** Exit codes other than 0 are failures unless this says otherwise. */
  acceptExit?: (code: number) => boolean;
}

/** Runs `command args` without a shell, appending its output to `logPath`. */
export function runLogged(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<void> {
  const { step, logPath, timeoutMs, signal } = options;
  const started = Date.now();
  appendFileSync(
    logPath,
    `\n=== ${new Date().toISOString()} ${step}\n$ ${[command, ...args].join(' ')}\n`,
  );
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new HarnessError('aborted', `${step} was cancelled before it started.`));
      return;
    }
    const spawnOptions: SpawnOptions = {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    };
    const child = spawn(command, args, spawnOptions);
    const untrack = child.pid === undefined ? (): void => undefined : trackProcessGroup(child.pid);
    let outcome: HarnessError | undefined;
    const kill = (reason: HarnessError): void => {
      outcome ??= reason;
      killTree(child.pid);
    };
    const timer = setTimeout(
      () =>
        kill(
          new HarnessError(
            'timeout',
            `${step} did not finish within ${Math.round(timeoutMs / 1000)} s.`,
          ),
        ),
      timeoutMs,
    );
    const onAbort = (): void => kill(new HarnessError('aborted', `${step} was cancelled.`));
    signal?.addEventListener('abort', onAbort, { once: true });
    const toLog = (chunk: Buffer): void => appendFileSync(logPath, chunk);
    child.stdout?.on('data', toLog);
    child.stderr?.on('data', toLog);
    child.on('error', (error) => {
      outcome ??= new HarnessError(
        'stepFailed',
        `${step} could not start ${command}: ${error.message}`,
      );
    });
    child.on('close', (code, killedBy) => {
      untrack();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      appendFileSync(logPath, `=== ${step}: exit ${code ?? killedBy} after ${seconds} s\n`);
      const accepted = code !== null && (code === 0 || (options.acceptExit?.(code) ?? false));
      if (!outcome && accepted) {
        resolve();
        return;
      }
      reject(
        outcome ??
          new HarnessError(
            'stepFailed',
            `${step} failed (exit ${code ?? killedBy}); its output is in ${logPath}.`,
          ),
      );
    });
  });
}

const tracked = new Set<{ pid: number; cleanUp?: () => void }>();
let handlersInstalled = false;

/**
 * Remembers a detached process group so that it is killed (and `cleanUp` run) if this process
 * exits or is interrupted first; returns the function that forgets it once it has been stopped.
 */
export function trackProcessGroup(pid: number, cleanUp?: () => void): () => void {
  const entry = { pid, cleanUp };
  tracked.add(entry);
  installExitHandlers();
  return () => {
    tracked.delete(entry);
  };
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = (): void => {
    for (const entry of tracked) {
      killTree(entry.pid, 'SIGKILL');
      entry.cleanUp?.();
    }
    tracked.clear();
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // A program with its own handler (scripts/start.ts) stops what it started itself.
    if (process.listenerCount(signal) > 0) continue;
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

/** How to run npm without a shell: node + npm-cli.js when it can be found, else `npm` on PATH. */
export function npmInvocation(): { command: string; prefixArgs: string[] } {
  const nodeDir = path.dirname(process.execPath);
  const candidates = [
    process.env['npm_execpath'],
    path.join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    path.join(nodeDir, 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const cli = candidates.find((file) => file?.endsWith('npm-cli.js') === true && existsSync(file));
  return cli
    ? { command: process.execPath, prefixArgs: [cli] }
    : { command: 'npm', prefixArgs: [] };
}

/** The environment minus what would make a nested npm or code-server act on the wrong project. */
export function cleanChildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const upper = key.toUpperCase();
    if (upper.startsWith('NPM_') || upper.startsWith('VSCODE_') || upper === 'NODE_OPTIONS')
      continue;
    if (upper === 'ELECTRON_RUN_AS_NODE' || upper === 'INIT_CWD') continue;
    env[key] = value;
  }
  return env;
}

/** A Debian package the harness needs, and how to see without dpkg that it is there. */
export interface SystemPackage {
  name: string;
  present: () => boolean;
}

export function onPath(command: string): boolean {
  const dirs = (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  return dirs.some((dir) => isExecutable(path.join(dir, command)));
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Debian packages for building code-server's native addons and for its search. */
export const codeServerPackages: readonly SystemPackage[] = [
  { name: 'libkrb5-dev', present: () => existsSync('/usr/include/gssapi/gssapi.h') },
  { name: 'ripgrep', present: () => isExecutable('/usr/bin/rg') },
  { name: 'build-essential', present: () => onPath('make') && onPath('g++') },
  { name: 'python3', present: () => onPath('python3') },
];

export const chromiumPackages: readonly SystemPackage[] = [
  { name: 'chromium', present: () => isExecutable('/usr/bin/chromium') },
];

export interface EnsurePackagesOptions {
  logPath: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/** Installs the missing packages with apt-get when root; otherwise says which command to run. */
export async function ensureSystemPackages(
  packages: readonly SystemPackage[],
  options: EnsurePackagesOptions,
): Promise<void> {
  if (process.platform !== 'linux') return;
  const missing = packages.filter((pkg) => !pkg.present()).map((pkg) => pkg.name);
  if (missing.length === 0) return;
  const command = `sudo apt-get install -y ${missing.join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !isExecutable('/usr/bin/apt-get')) {
    throw new HarnessError(
      'missingSystemPackages',
      `Missing system packages: ${missing.join(', ')}. Install them with: ${command}`,
    );
  }
  options.onProgress?.(`Installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const common = { env, logPath: options.logPath, signal: options.signal };
  await runLogged('apt-get', ['update'], {
    ...common,
    step: 'apt-get update',
    timeoutMs: 5 * 60_000,
  });
  await runLogged('apt-get', ['install', '-y', ...missing], {
    ...common,
    step: `apt-get install ${missing.join(' ')}`,
    timeoutMs: 15 * 60_000,
  });
  const stillMissing = packages.filter((pkg) => !pkg.present()).map((pkg) => pkg.name);
  if (stillMissing.length > 0) {
    throw new HarnessError(
      'missingSystemPackages',
      `apt-get ran but ${stillMissing.join(', ')} is still missing; see ${options.logPath}.`,
    );
  }
}
