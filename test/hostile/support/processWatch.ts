/**
 * Watches a process tree from outside: its peak resident memory (Linux /proc; elsewhere the
 * suite says it cannot measure) and whether it outlives a limit.
 */
import { readFileSync } from 'node:fs';

export const CAN_MEASURE_MEMORY = process.platform === 'linux';

function childrenOf(pid: number): number[] {
  try {
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return tasks
      .split(/\s+/)
      .filter(Boolean)
      .map((child) => Number(child));
  } catch {
    return [];
  }
}

function rssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The resident memory of `pid` and all its descendants, in bytes. */
export function treeRss(pid: number): number {
  let total = 0;
  const pending = [pid];
  const seen = new Set<number>();
  while (pending.length > 0) {
    const next = pending.pop() as number;
    if (seen.has(next)) continue;
    seen.add(next);
    total += rssKb(next) * 1024;
    pending.push(...childrenOf(next));
  }
  return total;
}

/** Samples the tree of `pid` every 25 ms until stopped; `peak()` is the largest total seen. */
export class PeakMemory {
  private highest = 0;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly pid: number | undefined) {
    if (CAN_MEASURE_MEMORY && pid !== undefined) {
      this.timer = setInterval(() => this.sample(), 25);
      this.sample();
    }
  }

  private sample(): void {
    if (this.pid !== undefined) this.highest = Math.max(this.highest, treeRss(this.pid));
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    return this.highest;
  }
}
