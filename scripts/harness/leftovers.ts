// Last-resort cleanup of the processes and folders a control plane leaves while it runs, on every
// exit path of this Node process: normal exit and SIGINT/SIGTERM/SIGHUP here (synchronously), and
// SIGKILL or a crash through a detached "reaper" that notices when our end of its stdin closes.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { killTree } from '../../server/src/engine/process/killTree';
import { isAlive } from './processTree';

const pids = new Set<number>();
const dirs = new Set<string>();
let handlersInstalled = false;
let reaper: ChildProcess | undefined;

/**
 * The reaper, as plain JavaScript for `node -e`: it reads "add|remove pid|dir VALUE" lines, and
 * when its stdin ends (this process is gone, however it ended) it kills what is still listed.
 */
const reaperSource = `
const { rmSync } = require('node:fs');
const pids = new Set(); const dirs = new Set(); let buffer = '';
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
const kill = (pid, signal) => { for (const target of [-pid, pid]) { try { process.kill(target, signal); return; } catch {} } };
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let i = buffer.indexOf('\\n'); i >= 0; i = buffer.indexOf('\\n')) {
    const [op, kind, ...rest] = buffer.slice(0, i).split(' ');
    buffer = buffer.slice(i + 1);
    const set = kind === 'pid' ? pids : dirs;
    const value = kind === 'pid' ? Number(rest[0]) : rest.join(' ');
    if (op === 'add') set.add(value); else set.delete(value);
  }
});
process.stdin.on('end', () => {
  if (pids.size === 0 && dirs.size === 0) process.exit(0);
  for (const pid of pids) kill(pid, 'SIGTERM');
  setTimeout(() => {
    for (const pid of pids) kill(pid, 'SIGKILL');
    for (const dir of dirs) { try { rmSync(dir, { recursive: true, force: true }); } catch {} }
    process.exit(0);
  }, 3000);
});
`;

function tellReaper(line: string): void {
  if (process.platform === 'win32') return;
  if (!reaper) {
    reaper = spawn(process.execPath, ['-e', reaperSource], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      windowsHide: true,
    });
    reaper.on('error', () => (reaper = undefined));
    reaper.unref();
    (reaper.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
  }
  reaper.stdin?.write(`${line}\n`);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Kills every registered process group and removes every registered folder, synchronously. */
export function cleanupNow(): void {
  const listed = [...pids];
  for (const pid of listed) killTree(pid, 'SIGTERM');
  const deadline = Date.now() + 2_000;
  while (listed.some(isAlive) && Date.now() < deadline) sleepSync(50);
  for (const pid of listed) killTree(pid, 'SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  pids.clear();
  dirs.clear();
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
  // First in line, so that the count in onSignal still includes `once` listeners of others.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.prependListener(signal, onSignal);
  }
}

/** Makes sure `pid`s are killed and `dir`s removed however this process ends; returns a release. */
export function registerLeftovers(newPids: number[], newDirs: string[]): () => void {
  installHandlers();
  for (const pid of newPids) {
    pids.add(pid);
    tellReaper(`add pid ${pid}`);
  }
  for (const dir of newDirs) {
    dirs.add(dir);
    tellReaper(`add dir ${dir}`);
  }
  return () => {
    for (const pid of newPids) {
      pids.delete(pid);
      tellReaper(`remove pid ${pid}`);
    }
    for (const dir of newDirs) {
      dirs.delete(dir);
      tellReaper(`remove dir ${dir}`);
    }
  };
}
