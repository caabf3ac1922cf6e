// Long-running child processes (etcd, kube-apiserver, ...), each in its own process group with a
// log file. leftovers.ts makes sure none outlives this Node process.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { lastLines, terminate } from './processes';

export interface Daemon {
  name: string;
  pid: number;
  logFile: string;
  child: ChildProcess;
  /** How it was started, so it can be started again the same way. */
  command: string;
  args: string[];
  options: DaemonOptions;
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
  return { name, pid: child.pid, logFile: options.logFile, child, command, args, options, exited };
}

/** Stops a daemon (SIGTERM, SIGKILL after `graceMs`) and starts it again the same way. */
export async function restartDaemon(daemon: Daemon, graceMs = 10_000): Promise<Daemon> {
  await terminate(daemon.child, graceMs);
  return startDaemon(daemon.name, daemon.command, daemon.args, daemon.options);
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
