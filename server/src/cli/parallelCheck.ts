import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { schemaBundleDir } from '../bundleDir';
import { checkFiles } from '../engine/check/checkFiles';
import { SchemaCatalog } from '../engine/schemas/schemaCatalog';
import type { CheckReport } from '../engine/check/checkFiles';
import type { CrdVersionSchema } from '../engine/schemas/crdSchemas';
import type { FileFinding } from '../engine/types';
import type { FileContext } from '../engine/validate/fileContext';
import { CheckQueue, SharedList } from './checkQueue';
import type { FileResult } from './checkQueue';

/** What a check worker is started with: the schemas to load while the repository is read. */
interface WorkerStart {
  readonly kind: 'gitops-workbench-check';
  readonly kubernetesVersion: string | undefined;
}

/** What the repository says, known once it is read: the same for every file checked after. */
export interface RepositoryTask {
  readonly workspaceCrds: ReadonlyArray<readonly [string, CrdVersionSchema[]]>;
  /** What the repository says about files (patches, transformers, encryption), by file. */
  readonly contexts: ReadonlyArray<readonly [string, FileContext]>;
}

/**
 * A list of files for a worker to take from (shared with the other threads); the first list
 * after the repository is read says what it says.
 */
interface ListMessage {
  readonly files: readonly string[];
  readonly counter: Int32Array;
  /** Taken before the repository is read: checked as if it said nothing of them. */
  readonly guessed: boolean;
  readonly repository?: RepositoryTask;
}

/** A worker's answer for one file it took. */
interface FileAnswer {
  readonly file: string;
  readonly result: FileResult;
  readonly guessed: boolean;
}

/** Below this many files, starting workers costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 16;

/**
 * YAML a worker must have to check to repay its start: loading its bundle and the schemas and
 * warming up its own compiled code cost it about what checking this much costs a warm thread.
 * Measured on 2 cores (`npm run bench:validate`'s corpus, 2 MB: one thread 1.7 s, with a
 * worker 2.0 s and half as much CPU again; 8 MB: even).
 */
export const BYTES_PER_WORKER = 6 * 1024 * 1024;

/** Folders `yamlSize` reads at once, and files of one folder it measures at once. */
const SIZED_AT_ONCE = 32;
const STATS_AT_ONCE = 8;

/** What a quick walk of the folders finds (skipping dot folders), stopping at `limit` bytes. */
export interface YamlSize {
  readonly files: number;
  /** Bytes of the YAML files found, up to `limit`. */
  readonly bytes: number;
}

/**
 * The YAML files and bytes under `folders`, a walk that stops at `limit` bytes: a guess to
 * start workers early (the files checked are found later). Folders of one depth are read a few
 * dozen at once, and the files of each folder a few at a time: the waits overlap.
 */
export async function yamlSize(folders: readonly string[], limit: number): Promise<YamlSize> {
  let level = [...folders];
  let files = 0;
  let bytes = 0;
  while (level.length > 0 && bytes < limit) {
    const below: string[] = [];
    for (let next = 0; next < level.length && bytes < limit; next += SIZED_AT_ONCE) {
      const listed = await Promise.all(
        level.slice(next, next + SIZED_AT_ONCE).map((folder) => yamlSizeOf(folder, limit - bytes)),
      );
      for (const folder of listed) {
        files += folder.files;
        bytes += folder.bytes;
        below.push(...folder.subfolders);
      }
    }
    level = below;
  }
  return { files, bytes: Math.min(bytes, limit) };
}

/**
 * The YAML files and bytes right in `folder` (its files measured a few at a time, until they
 * reach `budget` bytes; all of them counted), and the folders below it the walk enters.
 */
async function yamlSizeOf(
  folder: string,
  budget: number,
): Promise<{ files: number; bytes: number; subfolders: string[] }> {
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  const subfolders = entries
    .filter(
      (entry) =>
        entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules',
    )
    .map((entry) => path.join(folder, entry.name));
  const yaml = entries.filter((entry) => entry.isFile() && /\.ya?ml$/i.test(entry.name));
  let bytes = 0;
  for (let next = 0; next < yaml.length && bytes < budget; next += STATS_AT_ONCE) {
    const sizes = await Promise.all(
      yaml.slice(next, next + STATS_AT_ONCE).map((entry) =>
        fs.stat(path.join(folder, entry.name)).then(
          (stat) => stat.size,
          () => 0,
        ),
      ),
    );
    bytes += sizes.reduce((sum, size) => sum + size, 0);
  }
  // Every file is counted, measured or not: MIN_FILES_FOR_WORKERS counts files.
  return { files: yaml.length, bytes, subfolders };
}

/**
 * The script a worker runs: the small bundle of checkWorker.ts next to the bundled CLI, else
 * this module (run from source).
 */
function workerScript(): string {
  const bundled = path.join(__dirname, 'checkWorker.js');
  return existsSync(bundled) ? bundled : __filename;
}

/**
 * How many workers to start for `size` of YAML on `cores`: one per `BYTES_PER_WORKER`, none
 * for fewer than MIN_FILES_FOR_WORKERS files, at most one per core but one (the main thread
 * keeps a core: it reads the repository, then checks files beside the workers), at most 3.
 */
export function workerCount(size: YamlSize, cores: number = os.availableParallelism()): number {
  if (size.files < MIN_FILES_FOR_WORKERS) return 0;
  return Math.max(0, Math.min(cores - 1, 3, Math.floor(size.bytes / BYTES_PER_WORKER)));
}

/**
 * Worker threads that check files beside the main thread. They start before the repository is
 * read: each loads the bundle and the schemas, then checks the files a quick walk found as if
 * the repository said nothing of them (no context, no CRD of its own) while the main thread
 * reads it. Once it is read, the results that hold what it says are kept, and the workers and
 * the main thread take the files left, one at a time from a list in shared memory (no thread
 * waits for another to take its next file); the findings come back in file order.
 */
export class CheckWorkers {
  private readonly queue = new CheckQueue();
  private guessed: SharedList | undefined;
  private settled = false;
  private stopped = false;
  private failure: Error | undefined;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      // An idle worker must not keep the process alive, nor crash it before it is given work.
      worker.unref();
      worker.on('error', (error: Error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.stopped) this.fail(new Error(`a check worker stopped (${code}).`));
      });
      worker.on('message', (answer: FileAnswer) => {
        this.queue.found(answer.file, answer.result, answer.guessed);
      });
    }
  }

  /** Starts `count` workers. */
  static start(kubernetesVersion: string | undefined, count: number): CheckWorkers {
    const start: WorkerStart = { kind: 'gitops-workbench-check', kubernetesVersion };
    return new CheckWorkers(
      Array.from({ length: count }, () => new Worker(workerScript(), { workerData: start })),
    );
  }

  /** Lets the workers check `files` before the repository is read (a guess of what is checked). */
  speculate(files: readonly string[]): void {
    if (this.settled || this.guessed || files.length < MIN_FILES_FOR_WORKERS) return;
    this.guessed = new SharedList(files);
    this.queue.guess(files);
    this.post({ files, counter: this.guessed.counter, guessed: true });
  }

  /**
   * Checks `files` on the workers and with `here` on this thread; undefined when there are too
   * few files to share (the caller checks them itself). The workers are stopped either way.
   */
  async check(
    files: readonly string[],
    repository: RepositoryTask,
    signal: AbortSignal,
    here: (file: string) => Promise<CheckReport>,
  ): Promise<CheckReport | undefined> {
    const taken = this.guessed?.close() ?? 0;
    this.settled = true;
    if (this.workers.length === 0 || files.length < MIN_FILES_FOR_WORKERS) {
      this.stop();
      return undefined;
    }
    const abort = (): void => this.fail(new Error('The check was cancelled.'));
    signal.addEventListener('abort', abort, { once: true });
    try {
      // A result checked before the repository was read holds only if the repository says
      // nothing of its file and defines no CRD (a CRD may define any kind a file holds).
      const contexts = new Set(repository.contexts.map(([file]) => file));
      const reusable = repository.workspaceCrds.length === 0;
      const left = new SharedList(
        this.queue.settle(files, (file) => reusable && !contexts.has(file), taken),
      );
      for (const worker of this.workers) worker.ref();
      this.post({ files: left.files, counter: left.counter, guessed: false, repository });
      for (let file = left.take(); file !== undefined; file = left.take()) {
        this.throwIfFailed();
        this.queue.found(file, await here(file), false);
      }
      while (!this.queue.complete()) {
        this.throwIfFailed();
        await this.queue.changed();
      }
      this.throwIfFailed();
      return this.queue.report();
    } finally {
      signal.removeEventListener('abort', abort);
      this.stop();
    }
  }

  /** Stops every worker (after a failure before `check`). */
  stop(): void {
    this.stopped = true;
    for (const worker of this.workers) void worker.terminate();
  }

  private post(message: ListMessage): void {
    for (const worker of this.workers) worker.postMessage(message);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.queue.wake();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

/** The worker side: loads the schemas, then checks each batch it is given. */
async function workerMain(start: WorkerStart): Promise<void> {
  const catalog = new SchemaCatalog(schemaBundleDir());
  const version = start.kubernetesVersion ?? (await catalog.defaultVersion());
  const loading = version ? catalog.registry(version) : Promise.resolve(undefined);
  // Loading fails only with the task's answer: the main thread reports it then.
  loading.catch(() => undefined);
  let contexts = new Map<string, FileContext>();
  let work = Promise.resolve();
  // Lists are taken one after another: the files a list holds, then the next list.
  parentPort?.on('message', (list: ListMessage) => {
    work = work.then(async () => {
      if (list.repository) {
        for (const [file, schemas] of list.repository.workspaceCrds) {
          catalog.workspaceCrds.set(file, schemas);
        }
        contexts = new Map(list.repository.contexts);
      }
      const schemas = await loading;
      const known = contexts;
      const shared = new SharedList(list.files, list.counter);
      for (let file = shared.take(); file !== undefined; file = shared.take()) {
        const report = await checkFiles([file], {
          blockingReads: true,
          contextOf: (name: string) => known.get(name),
          ...(schemas ? { schemas } : {}),
        });
        const findings: FileFinding[] = [...report.findings];
        const answer: FileAnswer = {
          file,
          result: { resources: report.resources, findings },
          guessed: list.guessed,
        };
        parentPort?.postMessage(answer);
      }
    });
  });
}

export function isCheckWorker(): boolean {
  return (
    !isMainThread && (workerData as Partial<WorkerStart> | null)?.kind === 'gitops-workbench-check'
  );
}

/** Starts the worker's job; a failure ends the worker with an error the main thread reports. */
export function runCheckWorker(): void {
  void workerMain(workerData as WorkerStart);
}
