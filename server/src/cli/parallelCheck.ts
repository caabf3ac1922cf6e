import * as os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { schemaBundleDir } from '../bundleDir';
import { SchemaCatalog, checkFiles } from '../engine';
import type { CheckReport, CrdVersionSchema, FileContext, FileFinding } from '../engine';

/** What a check worker is given: its share of the files and the schemas to use. */
interface CheckTask {
  readonly kind: 'gitops-workbench-check';
  readonly files: readonly string[];
  readonly kubernetesVersion: string | undefined;
  readonly workspaceCrds: ReadonlyArray<readonly [string, CrdVersionSchema[]]>;
  /** What the repository says about files (patches, transformers, encryption), by file. */
  readonly contexts: ReadonlyArray<readonly [string, FileContext]>;
}

/** Below this many files, starting workers costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 16;

/**
 * Checks files on every core: the files are dealt into one share per worker thread, each worker
 * loads the same schemas and validates its share, and the findings come back in file order.
 */
export async function checkInParallel(
  files: readonly string[],
  kubernetesVersion: string | undefined,
  workspaceCrds: ReadonlyArray<readonly [string, CrdVersionSchema[]]>,
  contexts: ReadonlyArray<readonly [string, FileContext]>,
  signal: AbortSignal,
): Promise<CheckReport | undefined> {
  const workers = Math.min(
    os.availableParallelism(),
    4,
    Math.floor(files.length / (MIN_FILES_FOR_WORKERS / 2)),
  );
  if (workers < 2 || files.length < MIN_FILES_FOR_WORKERS) {
    return undefined;
  }
  const shares = Array.from({ length: workers }, (_, worker) =>
    files.filter((_, index) => index % workers === worker),
  );
  const reports = await Promise.all(
    shares.map((share) =>
      runWorker(
        {
          kind: 'gitops-workbench-check',
          files: share,
          kubernetesVersion,
          workspaceCrds,
          contexts,
        },
        signal,
      ),
    ),
  );
  const order = new Map(files.map((file, index) => [file, index]));
  const findings: FileFinding[] = reports.flatMap((report) => [...report.findings]);
  findings.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  return {
    files: files.length,
    resources: reports.reduce((sum, report) => sum + report.resources, 0),
    findings,
  };
}

function runWorker(task: CheckTask, signal: AbortSignal): Promise<CheckReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: task });
    const abort = (): void => void worker.terminate();
    signal.addEventListener('abort', abort, { once: true });
    worker.once('message', (report: CheckReport) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal.removeEventListener('abort', abort);
      if (code !== 0) {
        reject(new Error(`a check worker stopped with code ${code}`));
      }
    });
  });
}

/** The worker side: runs when this bundle is loaded as a check worker. */
async function workerMain(task: CheckTask): Promise<void> {
  const catalog = new SchemaCatalog(schemaBundleDir());
  for (const [file, schemas] of task.workspaceCrds) {
    catalog.workspaceCrds.set(file, schemas);
  }
  const version = task.kubernetesVersion ?? (await catalog.defaultVersion());
  const schemas = version ? await catalog.registry(version) : undefined;
  const contexts = new Map(task.contexts);
  const report = await checkFiles(task.files, {
    contextOf: (file: string) => contexts.get(file),
    ...(schemas ? { schemas } : {}),
  });
  parentPort?.postMessage(report);
}

export function isCheckWorker(): boolean {
  return (
    !isMainThread && (workerData as Partial<CheckTask> | null)?.kind === 'gitops-workbench-check'
  );
}

/** Starts the worker's job; a failure ends the worker with an error the main thread reports. */
export function runCheckWorker(): void {
  void workerMain(workerData as CheckTask);
}
