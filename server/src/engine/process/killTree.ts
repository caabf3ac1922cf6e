/**
 * Ends a process and everything it started: its process group on POSIX (the process must have
 * been spawned with `detached: true` to lead one), its tree on Windows (`taskkill /T /F`). The
 * one way the product, the scripts and the tests stop a tool they started.
 */
import { spawn } from 'node:child_process';

/** Sends `signal` to `pid`'s group, else to `pid` alone; a process already gone is no error. */
export function killTree(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true })
      .on('error', () => {
        // Already gone, or taskkill is missing: nothing more can be done.
      })
      .unref();
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
