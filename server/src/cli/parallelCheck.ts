import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { schemaBundleDir } from '../bundleDir';
import { checkFiles } from '../engine/check/checkFiles';
import { SchemaCatalog } from '../engine/schemas/schemaCatalog';
import type { CheckReport, CrdVersionSchema, FileContext, FileFinding } from '../engine';

/** What a check worker is started with: the schemas to load while the repository is read. */
interface WorkerStart {
  readonly kind: 'gitops-workbench-check';
  readonly kubernetesVersion: string | undefined;
}

/**
 * What a check worker is then given: a batch of files, and with the first batch what the
 * repository says.
 */
interface CheckTask {
  readonly files: readonly string[];
  readonly workspaceCrds: ReadonlyArray<readonly [string, CrdVersionSchema[]]>;
  /** What the repository says about files (patches, transformers, encryption), by file. */
  readonly contexts: ReadonlyArray<readonly [string, FileContext]>;
}

/** Below this many files, starting workers costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 16;
/** Files are dealt in about this many batches per worker. */
const BATCHES_PER_WORKER = 8;

/**
 * True when the folders hold at least enough YAML files for workers (a walk that stops there,
 * skipping dot folders: a guess to start workers early, the files checked are found later).
 */
export async function mayShareWork(folders: readonly string[]): Promise<boolean> {
  const pending = [...folders];
  let found = 0;
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
        pending.push(path.join(folder, entry.name));
      } else if (
        entry.isFile() &&
        /\.ya?ml$/i.test(entry.name) &&
        ++found >= MIN_FILES_FOR_WORKERS
      ) {
        return true;
      }
    }
  }
  return false;
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
 * Worker threads that check files on every core. They start before the repository is read,
 * so each loads the bundle and the schemas while the main thread discovers the units; then
 * each takes batches of files until none is left, and the findings come back in file order.
 */
export class CheckWorkers {
  private constructor(private readonly workers: Worker[]) {}

  /** Starts a worker per core (at most 4); none on a single core. */
  static start(kubernetesVersion: string | undefined): CheckWorkers {
    const count = Math.min(os.availableParallelism(), 4);
    const start: WorkerStart = { kind: 'gitops-workbench-check', kubernetesVersion };
    const workers =
      count < 2
        ? []
        : Array.from({ length: count }, () => new Worker(workerScript(), { workerData: start }));
    for (const worker of workers) {
      // An idle worker must not keep the process alive, nor crash it before it is given work.
      worker.unref();
      worker.on('error', () => undefined);
    }
    return new CheckWorkers(workers);
  }

  /**
   * Checks `files` on the workers; undefined when there are too few files to share (the
   * caller checks them itself). The workers are stopped either way.
   */
  async check(
    files: readonly string[],
    task: Omit<CheckTask, 'files'>,
    signal: AbortSignal,
  ): Promise<CheckReport | undefined> {
    const wanted = Math.min(
      this.workers.length,
      Math.floor(files.length / (MIN_FILES_FOR_WORKERS / 2)),
    );
    const used = this.workers.slice(0, wanted);
    for (const worker of this.workers.slice(used.length)) void worker.terminate();
    if (used.length < 2 || files.length < MIN_FILES_FOR_WORKERS) {
      for (const worker of used) void worker.terminate();
      return undefined;
    }
    // Batches, not one share per worker: a worker slowed by other work takes fewer of them.
    const size = Math.max(1, Math.ceil(files.length / (used.length * BATCHES_PER_WORKER)));
    const batches: string[][] = [];
    for (let at = 0; at < files.length; at += size) batches.push(files.slice(at, at + size));
    const next = (): string[] | undefined => batches.shift();
    const reports = (
      await Promise.all(used.map((worker) => runBatches(worker, task, next, signal)))
    ).flat();
    const order = new Map(files.map((file, index) => [file, index]));
    const findings: FileFinding[] = reports.flatMap((report) => [...report.findings]);
    findings.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
    return {
      files: files.length,
      resources: reports.reduce((sum, report) => sum + report.resources, 0),
      findings,
    };
  }

  /** Stops every worker (after a failure before `check`). */
  stop(): void {
    for (const worker of this.workers) void worker.terminate();
  }
}

/** Gives `worker` batches until none is left; its reports, one per batch. */
function runBatches(
  worker: Worker,
  task: Omit<CheckTask, 'files'>,
  next: () => string[] | undefined,
  signal: AbortSignal,
): Promise<CheckReport[]> {
  return new Promise((resolve, reject) => {
    const reports: CheckReport[] = [];
    const abort = (): void => void worker.terminate();
    signal.addEventListener('abort', abort, { once: true });
    const give = (): void => {
      const files = next();
      if (files) {
        worker.postMessage({ files });
        return;
      }
      resolve(reports);
      void worker.terminate();
    };
    worker.ref();
    worker.on('message', (report: CheckReport) => {
      reports.push(report);
      give();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal.removeEventListener('abort', abort);
      reject(new Error(`a check worker stopped with code ${code}`));
    });
    const files = next();
    if (!files) {
      resolve(reports);
      void worker.terminate();
      return;
    }
    worker.postMessage({ ...task, files });
  });
}

/** The worker side: loads the schemas, then checks the share it is given. */
async function workerMain(start: WorkerStart): Promise<void> {
  const catalog = new SchemaCatalog(schemaBundleDir());
  const version = start.kubernetesVersion ?? (await catalog.defaultVersion());
  const loading = version ? catalog.registry(version) : Promise.resolve(undefined);
  // Loading fails only with the task's answer: the main thread reports it then.
  loading.catch(() => undefined);
  let contexts: Map<string, FileContext> | undefined;
  // Batches are checked one after another: the next comes only after this one's report.
  parentPort?.on('message', (task: Partial<CheckTask> & Pick<CheckTask, 'files'>) => {
    void (async (): Promise<void> => {
      if (!contexts) {
        for (const [file, schemas] of task.workspaceCrds ?? []) {
          catalog.workspaceCrds.set(file, schemas);
        }
        contexts = new Map(task.contexts);
      }
      const schemas = await loading;
      const known = contexts;
      const report = await checkFiles(task.files, {
        contextOf: (file: string) => known.get(file),
        ...(schemas ? { schemas } : {}),
      });
      parentPort?.postMessage(report);
    })();
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
