/**
 * The resident memory (RSS) of a process and its descendants, by the means each platform offers
 * without a native addon: /proc on Linux, `ps` on macOS and other Unixes, `tasklist` on Windows.
 * The parsers are pure; `treeRssKB` does the reading.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** One process of a process table: its parent when the platform says it. */
export interface ProcessRow {
  readonly pid: number;
  readonly ppid?: number;
  /** Resident set size in KiB. */
  readonly rssKB: number;
}

/** More processes than this in one tree is not a render tool: stop counting. */
const MAX_TREE = 512;

/** `PPid` and `VmRSS` of a /proc/<pid>/status text; undefined without VmRSS (a zombie). */
export function parseProcStatus(text: string): { ppid?: number; rssKB: number } | undefined {
  const rss = /^VmRSS:\s*(\d+)\s*kB/m.exec(text);
  if (!rss?.[1]) return undefined;
  const ppid = /^PPid:\s*(\d+)/m.exec(text);
  return { rssKB: Number(rss[1]), ...(ppid?.[1] ? { ppid: Number(ppid[1]) } : {}) };
}

/** The pids of a /proc/<pid>/task/<tid>/children text ("12 34 "). */
export function parseProcChildren(text: string): number[] {
  return text
    .split(/\s+/)
    .filter((field) => /^\d+$/.test(field))
    .map(Number);
}

/** `ps -A -o pid=,ppid=,rss=` output: one "pid ppid rss" line per process, rss in KiB. */
export function parsePsTable(text: string): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = /^\s*(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
    if (fields?.[1] && fields[2] && fields[3]) {
      rows.push({ pid: Number(fields[1]), ppid: Number(fields[2]), rssKB: Number(fields[3]) });
    }
  }
  return rows;
}

/**
 * `tasklist /FO CSV /NH` output: `"helm.exe","1234","Console","1","45,678 K"`. The memory column
 * is the working set in KiB, its digits grouped the way the system locale groups them ("45,678",
 * "45.678", "45 678"); lines that are not a process ("INFO: No tasks...") are skipped.
 */
export function parseTasklistCsv(text: string): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    // Every field is quoted, and no Windows file name holds a quote: split on `","`.
    if (!line.startsWith('"') || !line.trimEnd().endsWith('"')) continue;
    const fields = line.trimEnd().slice(1, -1).split('","');
    const pid = fields[1];
    const memory = fields[fields.length - 1];
    if (fields.length < 5 || !pid || !/^\d+$/.test(pid) || memory === undefined) continue;
    const digits = memory.replace(/\D/g, '');
    if (digits === '') continue;
    rows.push({ pid: Number(pid), rssKB: Number(digits) });
  }
  return rows;
}

/** The RSS of `root` and every descendant in `rows`; undefined when `root` is not there. */
export function treeRssKB(rows: readonly ProcessRow[], root: number): number | undefined {
  const byPid = new Map(rows.map((row) => [row.pid, row]));
  const top = byPid.get(root);
  if (!top) return undefined;
  const children = new Map<number, number[]>();
  for (const row of rows) {
    if (row.ppid === undefined || row.pid === root) continue;
    const siblings = children.get(row.ppid) ?? [];
    siblings.push(row.pid);
    children.set(row.ppid, siblings);
  }
  let total = 0;
  const seen = new Set<number>();
  const queue = [root];
  while (queue.length > 0 && seen.size < MAX_TREE) {
    const pid = queue.shift() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += byPid.get(pid)?.rssKB ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Linux: VmRSS of /proc/<pid>/status for the root and, through the `children` file of each of
 * its threads, every descendant. Reads of /proc never wait on a disk, so they are synchronous.
 */
export function linuxTreeRssKB(root: number, proc = '/proc'): number | undefined {
  return linuxTree(root, proc)?.rssKB;
}

function linuxTree(
  root: number,
  proc: string,
): { rssKB: number; descendants: number[] } | undefined {
  let total = 0;
  const seen = new Set<number>();
  const queue = [root];
  while (queue.length > 0 && seen.size < MAX_TREE) {
    const pid = queue.shift() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const status = parseProcStatus(readOrEmpty(`${proc}/${pid}/status`));
    if (!status) {
      if (pid === root) return undefined;
      continue;
    }
    total += status.rssKB;
    let threads: string[] = [];
    try {
      threads = readdirSync(`${proc}/${pid}/task`);
    } catch {
      // Exited between the two reads: its children, if any, are orphans now.
    }
    for (const tid of threads) {
      queue.push(...parseProcChildren(readOrEmpty(`${proc}/${pid}/task/${tid}/children`)));
    }
  }
  seen.delete(root);
  return { rssKB: total, descendants: [...seen] };
}

/** Samples between two walks of the whole tree (see `linuxTreeSampler`). */
const SAMPLES_PER_WALK = 4;

/**
 * A sampler of one tree on Linux: every few samples it walks the tree (the root's threads each
 * list their children: a Go tool has a dozen); in between it reads only the root and the
 * descendants the last walk found (helm and kustomize start none of their own), so a sample
 * costs one read instead of a dozen.
 */
export function linuxTreeSampler(root: number, proc = '/proc'): () => number | undefined {
  let sampled = 0;
  let descendants: number[] = [];
  return () => {
    if (sampled++ % SAMPLES_PER_WALK === 0) {
      const tree = linuxTree(root, proc);
      descendants = tree?.descendants ?? [];
      return tree?.rssKB;
    }
    const top = parseProcStatus(readOrEmpty(`${proc}/${root}/status`));
    if (!top) return undefined;
    let total = top.rssKB;
    for (const pid of descendants) {
      total += parseProcStatus(readOrEmpty(`${proc}/${pid}/status`))?.rssKB ?? 0;
    }
    return total;
  };
}

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { shell: false, windowsHide: true, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout) => resolve(error ? '' : stdout),
    );
  });
}

/**
 * The RSS in KiB of `root` and its descendants, or undefined when it cannot be read (the process
 * has exited, or the platform's tool failed). On Windows `tasklist` gives no parent, so only the
 * process itself is counted (helm and kustomize start no child process of their own there).
 */
/** A sampler of `root`'s tree: `treeRss`, cheaper between walks on Linux. */
export function treeRssSampler(root: number): (pid: number) => Promise<number | undefined> {
  if (process.platform !== 'linux') return treeRss;
  const sample = linuxTreeSampler(root);
  return () => Promise.resolve(sample());
}

export async function treeRss(root: number): Promise<number | undefined> {
  switch (process.platform) {
    case 'linux':
      return linuxTreeRssKB(root);
    case 'win32':
      return treeRssKB(
        parseTasklistCsv(
          await run('tasklist', ['/FO', 'CSV', '/NH', '/FI', `PID eq ${root}`], 5_000),
        ),
        root,
      );
    default:
      return treeRssKB(parsePsTable(await run('ps', ['-A', '-o', 'pid=,ppid=,rss='], 5_000)), root);
  }
}

/** How often `treeRss` is sampled: /proc is cheap, `ps` and `tasklist` start a process. */
export function sampleIntervalMs(platform: NodeJS.Platform = process.platform): number {
  switch (platform) {
    case 'linux':
      return 50;
    case 'win32':
      return 500;
    default:
      return 200;
  }
}
