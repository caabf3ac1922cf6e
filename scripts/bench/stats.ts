/** The p-th percentile (0-100) of a list of numbers, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

/** `name N` on the command line: a whole number of at least 1, else `fallback` when absent. */
export function countOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const text = process.argv[at + 1] ?? '';
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`${name} takes a whole number of at least 1, not "${text}".`);
  }
  return count;
}

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/** Resident memory of a process in MB (Linux /proc, else ps). */
export async function rssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  if (process.platform === 'linux') {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  }
  const { execFileSync } = await import('node:child_process');
  return (
    Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) /
    1024
  );
}

/** Peak resident memory of a live process in MB (Linux /proc VmHWM); NaN elsewhere. */
export async function peakRssMb(pid: number): Promise<number> {
  if (process.platform !== 'linux') return NaN;
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}
