import type { CheckReport, FileFinding } from '../engine';

/** What checking one file found. */
export interface FileResult {
  readonly resources: number;
  readonly findings: readonly FileFinding[];
}

/** A batch a thread is checking, and whether it was given before the repository was read. */
interface Batch {
  readonly files: readonly string[];
  readonly guessed: boolean;
}

/** Files are dealt in about this many batches per thread. */
const BATCHES_PER_THREAD = 8;

/**
 * The files of one `check` and who checks which. Files are first guessed (a quick walk, before
 * the repository is read): results of guessed files are kept only if `settle` says they hold.
 * Then the files the repository says are checked are settled on, and each is checked once:
 * by a worker (in batches) or by the main thread (one at a time).
 */
export class CheckQueue<Thread = unknown> {
  private pending: string[] = [];
  private readonly results = new Map<string, FileResult>();
  private readonly inFlight = new Map<Thread, Batch>();
  private wanted: readonly string[] | undefined;
  private holds: (file: string) => boolean = () => false;
  private size = 1;
  private waiters: Array<() => void> = [];

  /** Files that may be checked: checked before the repository is read, if a thread is idle. */
  guess(files: readonly string[]): void {
    if (this.wanted) return;
    this.pending = [...files];
    this.size = batchSize(files.length);
  }

  /**
   * The files to check, once the repository is read; `holds(file)` is true when a result
   * found before then is the result the repository would give (nothing it says bears on it).
   */
  settle(files: readonly string[], holds: (file: string) => boolean): void {
    const wanted = new Set(files);
    for (const file of [...this.results.keys()]) {
      if (!wanted.has(file) || !holds(file)) this.results.delete(file);
    }
    // Guessed files being checked now are waited for when their result will hold.
    const coming = new Set(
      [...this.inFlight.values()].flatMap((batch) => batch.files.filter(holds)),
    );
    this.wanted = files;
    this.holds = holds;
    this.pending = files.filter((file) => !this.results.has(file) && !coming.has(file));
    this.size = batchSize(this.pending.length);
  }

  /** The next batch for `thread` (one of `threads` taking files), or undefined if none is left. */
  batchFor(thread: Thread, threads: number): string[] | undefined {
    if (this.pending.length === 0) return undefined;
    const size = Math.max(1, Math.ceil(this.size / threads));
    const files = this.pending.splice(0, size);
    this.inFlight.set(thread, { files, guessed: this.wanted === undefined });
    return files;
  }

  /** The next file for the main thread, taken from the end (workers take from the start). */
  take(): string | undefined {
    return this.wanted ? this.pending.pop() : undefined;
  }

  /** True while `thread` checks a batch. */
  busy(thread: Thread): boolean {
    return this.inFlight.has(thread);
  }

  /** What `thread` found in its batch. */
  answered(thread: Thread, results: ReadonlyArray<readonly [string, FileResult]>): void {
    const batch = this.inFlight.get(thread);
    this.inFlight.delete(thread);
    for (const [file, result] of results) {
      // A guessed file's result, once settled, counts only if it holds.
      if (batch?.guessed && this.wanted && !this.holds(file)) continue;
      this.results.set(file, result);
    }
    this.wake();
  }

  /** What the main thread found in `file`. */
  checked(file: string, result: FileResult): void {
    this.results.set(file, result);
  }

  /** True once every settled file has its result. */
  complete(): boolean {
    return this.wanted !== undefined && this.wanted.every((file) => this.results.has(file));
  }

  /** Resolves at the next answer (or `wake`). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** The report of the settled files, findings in file order. */
  report(): CheckReport {
    const files = this.wanted ?? [];
    let resources = 0;
    const findings: FileFinding[] = [];
    for (const file of files) {
      const result = this.results.get(file);
      resources += result?.resources ?? 0;
      findings.push(...(result?.findings ?? []));
    }
    return { files: files.length, resources, findings };
  }
}

function batchSize(files: number): number {
  return Math.max(1, Math.ceil(files / BATCHES_PER_THREAD));
}
