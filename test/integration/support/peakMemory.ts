/**
 * An independent witness of how much memory the tools started by this process really used: every
 * few milliseconds it reads the kernel's own high-water mark (VmHWM of /proc/<pid>/status) of
 * each child of this process and their descendants. Linux only; elsewhere it sees nothing.
 */
import { readFileSync, readdirSync } from 'node:fs';

export interface PeakWatch {
  /** Stops watching; the highest VmHWM in KiB of any process seen, by command name. */
  stop(): Map<string, number>;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function childrenOf(pid: number | 'self'): number[] {
  let threads: string[] = [];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return threads.flatMap((tid) =>
    read(`/proc/${pid}/task/${tid}/children`)
      .split(/\s+/)
      .filter((field) => /^\d+$/.test(field))
      .map(Number),
  );
}

/**
 * Watches every descendant of this process. A process seen above `killAboveKB` is killed at once
 * (a safety net: a broken limit must not take the test machine down with it).
 */
export function watchPeakMemory(killAboveKB: number, intervalMs = 2): PeakWatch {
  const peaks = new Map<string, number>();
  const sample = (): void => {
    const queue = childrenOf('self');
    const seen = new Set<number>();
    while (queue.length > 0 && seen.size < 256) {
      const pid = queue.shift() as number;
      if (seen.has(pid)) continue;
      seen.add(pid);
      const status = read(`/proc/${pid}/status`);
      const hwm = /^VmHWM:\s*(\d+)/m.exec(status)?.[1];
      const name = /^Name:\s*(\S+)/m.exec(status)?.[1] ?? String(pid);
      if (hwm) {
        const kb = Number(hwm);
        peaks.set(name, Math.max(peaks.get(name) ?? 0, kb));
        if (kb > killAboveKB) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
      queue.push(...childrenOf(pid));
    }
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}
