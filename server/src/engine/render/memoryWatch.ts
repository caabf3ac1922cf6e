/**
 * Watches the memory of a running tool: samples the RSS of its process tree every few tens of
 * milliseconds and calls back once when it passes the limit. The caller kills the tree.
 */
import { sampleIntervalMs, treeRssSampler } from './processMemory';

export interface MemoryWatch {
  /** Stops sampling; safe to call more than once. */
  stop(): void;
  /** The highest RSS of the tree seen so far, in KiB. */
  readonly peakKB: number;
}

export interface MemoryWatchOptions {
  readonly intervalMs?: number;
  /** The sampler; default: the platform's (`treeRssSampler`). */
  readonly sample?: (pid: number) => Promise<number | undefined>;
}

/**
 * Samples `pid`'s tree until `stop()` or the first sample above `limitKB`, which is passed to
 * `onExceeded`. Samples never overlap (a slow `ps` delays the next one) and the timer does not
 * keep Node running.
 */
export function watchMemory(
  pid: number,
  limitKB: number,
  onExceeded: (rssKB: number) => void,
  options: MemoryWatchOptions = {},
): MemoryWatch {
  const intervalMs = options.intervalMs ?? sampleIntervalMs();
  const sample = options.sample ?? treeRssSampler(pid);
  let stopped = false;
  let peakKB = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    const rss = await sample(pid).catch(() => undefined);
    if (stopped) return;
    if (rss !== undefined) {
      peakKB = Math.max(peakKB, rss);
      if (rss > limitKB) {
        stopped = true;
        onExceeded(rss);
        return;
      }
    }
    schedule();
  };
  const schedule = (): void => {
    timer = setTimeout(() => void tick(), intervalMs);
    timer.unref();
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    get peakKB() {
      return peakKB;
    },
  };
}
