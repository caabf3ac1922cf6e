// Signalling a process and its group, on POSIX and Windows.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const isWindows = process.platform === 'win32';

/** Sends `signal` to the whole process group of `pid` (started with `detached: true`). */
export function killTree(pid: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (isWindows) {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' }).on('error', () => {
      // The process is already gone or taskkill is missing: nothing more can be done.
    });
    return;
  }
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch {
      // No such group (the leader was not detached, or it is gone): try the pid itself.
    }
  }
}

/** True while a process with this pid runs (on Linux an exited, unreaped child does not count). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; S is Z for a zombie.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
