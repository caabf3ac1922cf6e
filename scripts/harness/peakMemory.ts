/**
 * An independent witness of how much memory the processes started by this process really used:
 * every few milliseconds it reads the kernel's own high-water mark (VmHWM of /proc/<pid>/status)
 * of each child of this process and their descendants. Linux only; elsewhere it sees nothing.
 */
import { readFileSync, readdirSync } from 'node:fs';

export interface PeakReport {
  /** The highest VmHWM in KiB of any process seen, by command name. */
  readonly peakKB: ReadonlyMap<string, number>;
  /** When (performance.now()) a process of that name was first seen above `markKB`. */
  readonly crossedAt: ReadonlyMap<string, number>;
  /** When a process of that name was last seen alive. */
  readonly lastSeenAt: ReadonlyMap<string, number>;
}

export interface PeakWatch {
  /** Stops watching and says what was seen. */
  stop(): PeakReport;
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
 * Watches every descendant of this process. One seen above `killAboveKB` is killed at once (a
 * safety net: a broken limit must not take the machine down with it); `markKB` is the RSS whose
 * first crossing is timed.
 */
export function watchPeakMemory(
  killAboveKB: number,
  options: { markKB?: number; intervalMs?: number } = {},
): PeakWatch {
  const peakKB = new Map<string, number>();
  const crossedAt = new Map<string, number>();
  const lastSeenAt = new Map<string, number>();
  const sample = (): void => {
    const queue = childrenOf('self');
    const seen = new Set<number>();
    while (queue.length > 0 && seen.size < 256) {
      const pid = queue.shift() as number;
      if (seen.has(pid)) continue;
      seen.add(pid);
      const status = read(`/proc/${pid}/status`);
      const hwm = /^VmHWM:\s*(\d+)/m.exec(status)?.[1];
      const rss = /^VmRSS:\s*(\d+)/m.exec(status)?.[1];
      const name = /^Name:\s*(\S+)/m.exec(status)?.[1] ?? String(pid);
      if (hwm && rss) {
        const now = performance.now();
        peakKB.set(name, Math.max(peakKB.get(name) ?? 0, Number(hwm)));
        lastSeenAt.set(name, now);
        if (options.markKB !== undefined && Number(rss) > options.markKB && !crossedAt.has(name)) {
          crossedAt.set(name, now);
        }
        if (Number(hwm) > killAboveKB) {
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
  const timer = setInterval(sample, options.intervalMs ?? 2);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { peakKB, crossedAt, lastSeenAt };
    },
  };
}
