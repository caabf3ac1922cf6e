import type { CheckReport } from '../engine/check/checkFiles';
import type { FileFinding } from '../engine/types';

/** What checking one file found. */
export interface FileResult {
  readonly resources: number;
  readonly findings: readonly FileFinding[];
}

/**
 * The files of one `check` and their results. Files are first guessed (a quick walk, before the
 * repository is read) and checked in that order; then the files the repository says are checked
 * are settled on: a guessed result is kept only where it holds, and the files left are checked
 * once each. Which thread checks which file is not this class's business.
 */
export class CheckQueue {
  private guessed: readonly string[] = [];
  private readonly results = new Map<string, FileResult>();
  private wanted: readonly string[] | undefined;
  private holds: (file: string) => boolean = () => false;
  private waiters: Array<() => void> = [];

  /** Files that may be checked before the repository is read, in the order they are taken. */
  guess(files: readonly string[]): void {
    if (!this.wanted) this.guessed = files;
  }

  /**
   * Settles on `files`, once the repository is read; `holds(file)` is true when a result found
   * before then is the result the repository would give (nothing it says bears on it), and
   * the first `taken` guessed files were taken to be checked. Returns the files left to check:
   * neither found already, nor coming from a guessed file taken.
   */
  settle(files: readonly string[], holds: (file: string) => boolean, taken: number): string[] {
    const wanted = new Set(files);
    for (const file of [...this.results.keys()]) {
      if (!wanted.has(file) || !holds(file)) this.results.delete(file);
    }
    const coming = new Set(this.guessed.slice(0, taken).filter(holds));
    this.wanted = files;
    this.holds = holds;
    return files.filter((file) => !this.results.has(file) && !coming.has(file));
  }

  /** What checking `file` found; `guessed` when it was checked before the repository was read. */
  found(file: string, result: FileResult, guessed: boolean): void {
    // A guessed file's result, once settled, counts only if it holds.
    if (!(guessed && this.wanted && !this.holds(file))) this.results.set(file, result);
    this.wake();
  }

  /** True once every settled file has its result. */
  complete(): boolean {
    return this.wanted !== undefined && this.wanted.every((file) => this.results.has(file));
  }

  /** Resolves at the next result (or `wake`). */
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

/**
 * A list of files threads take one at a time, each file once, through a counter in shared
 * memory: a thread takes its next file without waiting for another to answer.
 */
export class SharedList {
  /** Added to the counter to close the list: far past any length, far from overflowing. */
  private static readonly CLOSED = 2 ** 30;

  constructor(
    readonly files: readonly string[],
    readonly counter: Int32Array = new Int32Array(new SharedArrayBuffer(4)),
  ) {}

  /** The next file, or undefined once every file is taken or the list is closed. */
  take(): string | undefined {
    const index = Atomics.add(this.counter, 0, 1);
    return index < this.files.length ? this.files[index] : undefined;
  }

  /** Closes the list; how many files were taken before. */
  close(): number {
    return Math.min(Atomics.add(this.counter, 0, SharedList.CLOSED), this.files.length);
  }
}
