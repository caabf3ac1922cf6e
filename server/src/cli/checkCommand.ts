import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { schemaBundleDir } from '../bundleDir';
// The engine's modules by name, not its index: `check` loads none of the cluster and git code.
import { checkFiles, hasErrors } from '../engine/check/checkFiles';
import type { CheckOptions, CheckReport } from '../engine/check/checkFiles';
import { PathNotFoundError, collectYamlFiles } from '../engine/files/yamlFiles';
import { SchemaBundleError } from '../engine/schemas/bundles';
import { SchemaCatalog } from '../engine/schemas/schemaCatalog';
import type { SchemaRegistry } from '../engine/schemas/schemaRegistry';
import type { FileFinding } from '../engine/types';
import type { FileContext } from '../engine/validate/fileContext';
import { renderedBeside } from '../engine/check/renderedRepeats';
import { withoutRepeats } from '../engine/workspace';
import type { Workspace } from '../engine/workspace';
import { RENDER_OPTIONS, openWorkspace } from './cliWorkspace';
import { cliText } from './flagHints';
import { formatTextReport, toJsonReport } from './formatReport';
import { BYTES_PER_WORKER, CheckWorkers, workerCount, yamlSize } from './parallelCheck';
import { UsageError } from './usage';

/** `gitops-workbench check <paths...> [--format text|json] [--kubernetes-version X.Y]`. */
export async function runCheck(
  args: readonly string[],
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...RENDER_OPTIONS,
      format: { type: 'string', default: 'text' },
      'kubernetes-version': { type: 'string' },
      'no-render': { type: 'boolean', default: false },
    },
  });
  const format = values.format;
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be "text" or "json", not "${format}".`);
  }
  if (positionals.length === 0) {
    throw new UsageError(
      'check needs at least one file or folder, e.g. "gitops-workbench check .".',
    );
  }
  for (const target of positionals) {
    if (!(await fs.stat(target).catch(() => undefined))) throw new PathNotFoundError(target);
  }
  const catalog = new SchemaCatalog(schemaBundleDir());
  const version = await targetVersion(catalog, values['kubernetes-version']);
  // A folder may hold enough YAML to share: workers start first, and load the schemas and
  // check the files a quick walk finds while this thread reads the repository.
  const count = workerCount(await yamlSize(await foldersOf(positionals), 3 * BYTES_PER_WORKER));
  const workers = count > 0 ? CheckWorkers.start(version, count) : undefined;
  let schemas: SchemaRegistry | undefined;
  let files: string[];
  let contexts: Map<string, FileContext>;
  let workspace: Workspace;
  try {
    if (workers) {
      collectYamlFiles(positionals, signal).then(
        (guess) => workers.speculate(guess),
        // The walk of the workspace below reports what this one met.
        () => undefined,
      );
    }
    schemas = version ? await loadRegistry(catalog, version) : undefined;
    // The repository of each target is read whole (CRDs, kustomizations, Flux patches), so a
    // file checked alone is judged as it is when its repository is checked.
    workspace = await openWorkspace(positionals, values, signal, {
      crds: catalog.workspaceCrds,
      snapshot: true,
    });
    // The files checked come from that one walk.
    files = await workspace.yamlFiles(positionals, signal);
    contexts = contextsOf(files, workspace);
  } catch (error) {
    workers?.stop();
    throw error;
  }
  // What the charts' values schemas say is read on this thread while the workers check.
  const refusing = valuesFindings(workspace, files);
  refusing.catch(() => undefined);
  const options = {
    signal,
    contextOf: (file: string) => contexts.get(file),
    ...(schemas ? { schemas } : {}),
  };
  const report =
    (await workers?.check(
      files,
      {
        workspaceCrds: [...catalog.workspaceCrds.entries()],
        contexts: [...contexts.entries()],
      },
      signal,
      (file) => checkHere(file, options),
    )) ?? (await checkAllHere(files, options));
  const rendered =
    values['no-render'] || !schemas
      ? undefined
      : await renderedFindings(workspace, await unitPlacesOf(positionals), schemas, signal);
  const refused = await refusing;
  const merged = {
    ...report,
    ...(rendered && rendered.units > 0
      ? { rendered: { units: rendered.units, resources: rendered.resources } }
      : {}),
    findings: mergeFindings([...report.findings, ...refused], rendered?.findings ?? []).map(
      (finding) => ({
        ...finding,
        file: displayPath(finding.file),
      }),
    ),
  };
  write(format === 'json' ? JSON.stringify(toJsonReport(merged)) + '\n' : formatTextReport(merged));
  return hasErrors(merged) ? 1 : 0;
}

/**
 * Checks `file` on this thread, which has nothing else to do meanwhile: its reads block (a read
 * handed to the thread pool only adds its wait), then the event loop takes a turn (an interrupt
 * is heard, workers' answers are taken).
 */
async function checkHere(file: string, options: CheckOptions): Promise<CheckReport> {
  const report = await checkFiles([file], { ...options, blockingReads: true });
  await new Promise<void>((resolve) => setImmediate(resolve));
  return report;
}

/** `checkFiles` of `files` on this thread, one file after another with `checkHere`. */
async function checkAllHere(files: readonly string[], options: CheckOptions): Promise<CheckReport> {
  let resources = 0;
  const findings: FileFinding[] = [];
  for (const file of files) {
    const report = await checkHere(file, options);
    resources += report.resources;
    findings.push(...report.findings);
  }
  return { files: files.length, resources, findings };
}

/**
 * The findings of what the kustomizations, charts, Flux and Argo CD apps under `folders`
 * render, reported on their sources (the workspace's one loop: a missing helm or kustomize is
 * one warning per tool, the files themselves were still checked).
 */
async function renderedFindings(
  workspace: Workspace,
  folders: readonly string[],
  registry: SchemaRegistry,
  signal: AbortSignal,
): Promise<{ findings: FileFinding[]; units: number; resources: number }> {
  const counts = { units: 0, resources: 0 };
  if (folders.length === 0) return { findings: [], ...counts };
  const done = await workspace.check({
    registry,
    signal,
    folders,
    progress: (entry, result) => {
      // A plain folder's resources are its files' own, counted with them.
      if (!result.ok || entry.unit.renderer === 'plain') return;
      counts.units++;
      counts.resources += result.resources.length;
    },
  });
  signal.throwIfAborted();
  return { findings: done ? workspace.findings() : [], ...counts };
}

/** What the charts' values.schema.json say of the values the files hold (no render needed). */
async function valuesFindings(
  workspace: Workspace,
  files: readonly string[],
): Promise<FileFinding[]> {
  const findings: FileFinding[] = [];
  for (const file of files) {
    const text = readText(file);
    if (text === undefined) continue;
    for (const finding of await workspace.valuesFindings(file, text)) {
      findings.push({ file, ...finding });
    }
  }
  return findings;
}

/** The text of `file`, read blocking (this thread has nothing else to do); undefined if unreadable. */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The files whose context is not empty, by path as collected. */
function contextsOf(files: readonly string[], workspace: Workspace): Map<string, FileContext> {
  const contexts = new Map<string, FileContext>();
  for (const file of files) {
    const context = workspace.facts.contextOf(file);
    if (Object.keys(context).length > 0) {
      contexts.set(file, context);
    }
  }
  return contexts;
}

/** Every path of the report relative to the current folder, whether found as given or rendered. */
function displayPath(file: string): string {
  return path.relative(process.cwd(), path.resolve(file)) || '.';
}

/** Findings of the rendered output that a file's own findings already report are left out. */
function mergeFindings(
  direct: readonly FileFinding[],
  rendered: readonly FileFinding[],
): FileFinding[] {
  // Compared by absolute path: a file's own findings name it as the user did.
  const ownOf = new Map<string, FileFinding[]>();
  for (const finding of direct) {
    const file = path.resolve(finding.file);
    ownOf.set(file, [...(ownOf.get(file) ?? []), finding]);
  }
  const said = rendered.filter(
    (finding) => renderedBeside(ownOf.get(path.resolve(finding.file)) ?? [], [finding]).length > 0,
  );
  const all = [...direct, ...said];
  const kept = withoutRepeats(
    all.map((finding, index) => ({ ...finding, file: path.resolve(finding.file), index })),
  );
  return kept.map(({ index }) => all[index] as FileFinding);
}

/** The targets that are folders. */
async function foldersOf(targets: readonly string[]): Promise<string[]> {
  const folders: string[] = [];
  for (const target of targets) {
    if ((await fs.stat(target).catch(() => undefined))?.isDirectory()) {
      folders.push(target);
    }
  }
  return folders;
}

/**
 * Where the units to render are: the folders named, and the files named, for the units they
 * define (a Flux Kustomization's file, checked alone by a pre-commit hook, renders its app).
 */
async function unitPlacesOf(targets: readonly string[]): Promise<string[]> {
  const places: string[] = [];
  for (const target of targets) {
    if ((await fs.stat(target).catch(() => undefined)) !== undefined) places.push(target);
  }
  return places;
}

export async function targetVersion(
  catalog: SchemaCatalog,
  wanted: string | undefined,
): Promise<string | undefined> {
  return wanted
    ? wanted.replace(/^v/, '').split('.').slice(0, 2).join('.')
    : catalog.defaultVersion();
}

export async function loadRegistry(
  catalog: SchemaCatalog,
  version: string,
): Promise<SchemaRegistry> {
  try {
    return await catalog.registry(version);
  } catch (error) {
    if (error instanceof SchemaBundleError && error.reason === 'versionNotBundled') {
      throw new UsageError(cliText(error.message, error.hint));
    }
    throw error;
  }
}
