// Long-running child processes (etcd, kube-apiserver, ...) with a log file each, and a last-resort
// cleanup that kills them and removes their folders on every exit path of this Node process.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { isAlive, killTree, lastLines, terminate } from './processes';

export interface Daemon {
  name: string;
  pid: number;
  logFile: string;
  child: ChildProcess;
  /** Resolves when the process has exited (for whatever reason). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface DaemonOptions {
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Starts `command` in its own process group with stdout and stderr appended to `logFile`. */
export function startDaemon(
  name: string,
  command: string,
  args: string[],
  options: DaemonOptions,
): Daemon {
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  if (child.pid === undefined) throw new Error(`Could not start ${name} (${command}).`);
  return { name, pid: child.pid, logFile: options.logFile, child, exited };
}

/** Stops daemons in reverse start order: SIGTERM to each group, SIGKILL after `graceMs`. */
export async function stopDaemons(daemons: readonly Daemon[], graceMs = 10_000): Promise<void> {
  for (const daemon of [...daemons].reverse()) await terminate(daemon.child, graceMs);
}

/** The last `count` lines of a daemon's log, for error messages. */
export function logTail(daemon: Daemon, count = 8): string {
  try {
    return lastLines(readFileSync(daemon.logFile, 'utf8'), count);
  } catch {
    return '(no log)';
  }
}

// ---- last-resort cleanup -------------------------------------------------------------------

interface Leftovers {
  pids: Set<number>;
  dirs: Set<string>;
}

const leftovers: Leftovers = { pids: new Set(), dirs: new Set() };
let handlersInstalled = false;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Kills every registered process group and removes every registered folder, synchronously. */
export function cleanupNow(): void {
  const pids = [...leftovers.pids];
  for (const pid of pids) killTree(pid, 'SIGTERM');
  const deadline = Date.now() + 2_000;
  while (pids.some(isAlive) && Date.now() < deadline) sleepSync(50);
  for (const pid of pids) killTree(pid, 'SIGKILL');
  for (const dir of leftovers.dirs) rmSync(dir, { recursive: true, force: true });
  leftovers.pids.clear();
  leftovers.dirs.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  cleanupNow();
  // Nobody else handles this signal: let it do what it would have done without us.
  if (process.listenerCount(signal) === 1) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

/** Makes sure `pids` are killed and `dirs` removed however this process ends; returns a release. */
export function registerLeftovers(pids: number[], dirs: string[]): () => void {
  installHandlers();
  for (const pid of pids) leftovers.pids.add(pid);
  for (const dir of dirs) leftovers.dirs.add(dir);
  return () => {
    for (const pid of pids) leftovers.pids.delete(pid);
    for (const dir of dirs) leftovers.dirs.delete(dir);
  };
}
