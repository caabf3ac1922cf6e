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

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** The resident memory of `pid` and each of its descendants, in bytes. */
export function treeRss(pid: number): { total: number; processes: string[] } {
  let total = 0;
  const processes: { name: string; bytes: number }[] = [];
  const pending = [pid];
  const seen = new Set<number>();
  while (pending.length > 0) {
    const next = pending.pop() as number;
    if (seen.has(next)) continue;
    seen.add(next);
    const bytes = rssKb(next) * 1024;
    total += bytes;
    processes.push({ name: `${commandOf(next)}[${next}]`, bytes });
    pending.push(...childrenOf(next));
  }
  processes.sort((a, b) => b.bytes - a.bytes);
  return {
    total,
    processes: processes.map((p) => `${p.name} ${Math.round(p.bytes / 1048576)} MB`),
  };
}

export interface Peak {
  readonly peakBytes: number;
  readonly peakProcesses: readonly string[];
}

/** Samples the tree of `pid` every 25 ms until stopped; the peak is the largest total seen. */
export class PeakMemory {
  private highest = 0;
  private processes: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pid: number | undefined) {
    if (CAN_MEASURE_MEMORY && pid !== undefined) {
      this.timer = setInterval(() => this.sample(), 25);
      this.sample();
    }
  }

  private sample(): void {
    if (this.pid === undefined) return;
    const { total, processes } = treeRss(this.pid);
    if (total > this.highest) {
      this.highest = total;
      this.processes = processes;
    }
  }

  /** Stops sampling (call it when the process exits, before its id can be reused). */
  stop(): Peak {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return { peakBytes: this.highest, peakProcesses: this.processes };
  }
}
