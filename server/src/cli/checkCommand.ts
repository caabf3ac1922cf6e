import { parseArgs } from 'node:util';
import { schemaBundleDir } from '../bundleDir';
import {
  PatchFileIndex,
  SchemaBundleError,
  SchemaCatalog,
  checkFiles,
  collectYamlFiles,
  hasErrors,
  scanKustomizations,
  scanWorkspaceCrds,
} from '../engine';
import type { SchemaRegistry } from '../engine';
import { formatTextReport, toJsonReport } from './formatReport';
import { checkInParallel } from './parallelCheck';
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
  const files = await collectYamlFiles(positionals, signal);
  const catalog = new SchemaCatalog(schemaBundleDir());
  const version = await targetVersion(catalog, values['kubernetes-version']);
  const schemas = version ? await loadRegistry(catalog, version) : undefined;
  await scanWorkspaceCrds(positionals, catalog.workspaceCrds, { signal });
  const patches = new PatchFileIndex();
  await scanKustomizations(positionals, patches, signal);
  const patchFiles = files.filter((file) => patches.isPatch(file));
  const report =
    (await checkInParallel(
      files,
      version,
      [...catalog.workspaceCrds.entries()],
      patchFiles,
      signal,
    )) ?? (await checkFiles(files, { signal, patches, ...(schemas ? { schemas } : {}) }));
  write(format === 'json' ? JSON.stringify(toJsonReport(report)) + '\n' : formatTextReport(report));
  return hasErrors(report) ? 1 : 0;
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
