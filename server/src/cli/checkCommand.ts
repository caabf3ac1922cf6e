import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { schemaBundleDir } from '../bundleDir';
import {
  PatchFileIndex,
  SchemaBundleError,
  SchemaCatalog,
  checkFiles,
  collectYamlFiles,
  hasErrors,
  repositoryRootOf,
  scanKustomizations,
  scanWorkspaceCrds,
} from '../engine';
import type { FileContext, FileFinding, SchemaRegistry } from '../engine';
import { formatTextReport, toJsonReport } from './formatReport';
import { checkInParallel } from './parallelCheck';
import { checkRenderedUnits } from './renderedCheck';
import { memoryLimitOption, renderBinaries } from './renderSupport';
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
      format: { type: 'string', default: 'text' },
      'kubernetes-version': { type: 'string' },
      'no-render': { type: 'boolean', default: false },
      root: { type: 'string' },
      helm: { type: 'string' },
      kustomize: { type: 'string' },
      'allow-network': { type: 'boolean', default: false },
      'memory-limit': { type: 'string' },
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
  const memoryLimitMB = memoryLimitOption(values['memory-limit']);
  const files = await collectYamlFiles(positionals, signal);
  const catalog = new SchemaCatalog(schemaBundleDir());
  const version = await targetVersion(catalog, values['kubernetes-version']);
  const schemas = version ? await loadRegistry(catalog, version) : undefined;
  // The repository of each target is read whole (CRDs, kustomizations, Flux patches), so a
  // file checked alone is judged as it is when its repository is checked.
  const roots = values.root
    ? [path.resolve(values.root)]
    : [...new Set(positionals.map((target) => repositoryRootOf(target)))];
  await scanWorkspaceCrds(roots, catalog.workspaceCrds, { signal });
  const index = new PatchFileIndex();
  await scanKustomizations(roots, index, signal);
  const contexts = contextsOf(files, index);
  const report =
    (await checkInParallel(
      files,
      version,
      [...catalog.workspaceCrds.entries()],
      [...contexts.entries()],
      signal,
    )) ??
    (await checkFiles(files, {
      signal,
      contextOf: (file) => contexts.get(file),
      ...(schemas ? { schemas } : {}),
    }));
  const rendered = values['no-render']
    ? { findings: [], units: 0 }
    : await checkRenderedUnits({
        folders: await foldersOf(positionals),
        root: values.root,
        registry: schemas,
        binaries: renderBinaries(values.helm, values.kustomize, memoryLimitMB),
        allowNetwork: values['allow-network'],
        signal,
      });
  const merged = {
    ...report,
    findings: mergeFindings(report.findings, rendered.findings).map((finding) => ({
      ...finding,
      file: displayPath(finding.file),
    })),
  };
  write(format === 'json' ? JSON.stringify(toJsonReport(merged)) + '\n' : formatTextReport(merged));
  return hasErrors(merged) ? 1 : 0;
}

/** The files whose context is not empty, by path as collected. */
function contextsOf(files: readonly string[], index: PatchFileIndex): Map<string, FileContext> {
  const contexts = new Map<string, FileContext>();
  for (const file of files) {
    const context = index.contextOf(file);
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

/** Findings of the rendered output that a file's own finding already reports are left out. */
function mergeFindings(
  direct: readonly FileFinding[],
  rendered: readonly FileFinding[],
): FileFinding[] {
  const key = (f: FileFinding): string =>
    `${path.resolve(f.file)}:${f.range.start.line}:${f.range.start.character}:${f.code}`;
  const seen = new Set(direct.map(key));
  const extra = rendered.filter((finding) => {
    const id = key(finding);
    const duplicate = seen.has(id);
    seen.add(id);
    return !duplicate;
  });
  return [...direct, ...extra];
}

async function foldersOf(targets: readonly string[]): Promise<string[]> {
  const folders: string[] = [];
  for (const target of targets) {
    if ((await fs.stat(target).catch(() => undefined))?.isDirectory()) {
      folders.push(target);
    }
  }
  return folders;
}

async function targetVersion(
  catalog: SchemaCatalog,
  wanted: string | undefined,
): Promise<string | undefined> {
  return wanted
    ? wanted.replace(/^v/, '').split('.').slice(0, 2).join('.')
    : catalog.defaultVersion();
}

async function loadRegistry(catalog: SchemaCatalog, version: string): Promise<SchemaRegistry> {
  try {
    return await catalog.registry(version);
  } catch (error) {
    if (error instanceof SchemaBundleError && error.reason === 'versionNotBundled') {
      throw new UsageError(
        error.message.replace('gitopsWorkbench.kubernetesVersion', '--kubernetes-version'),
      );
    }
    throw error;
  }
}
