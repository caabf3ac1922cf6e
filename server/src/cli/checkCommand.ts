import { parseArgs } from 'node:util';
import { schemaBundleDir } from '../bundleDir';
import {
  SchemaCatalog,
  SchemaBundleError,
  checkPaths,
  hasErrors,
  scanWorkspaceCrds,
} from '../engine';
import type { SchemaRegistry } from '../engine';
import { formatTextReport, toJsonReport } from './formatReport';
import { UsageError } from './usage';

/** `gitops-workbench check <paths...> [--format text|json]`; returns the exit code. */
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
  const schemas = await loadSchemas(values['kubernetes-version'], positionals, signal);
  const report = await checkPaths(positionals, { signal, ...(schemas ? { schemas } : {}) });
  write(format === 'json' ? JSON.stringify(toJsonReport(report)) + '\n' : formatTextReport(report));
  return hasErrors(report) ? 1 : 0;
}

/** The registry of the wanted (or newest bundled) version, with the checked files' CRDs in it. */
async function loadSchemas(
  version: string | undefined,
  targets: readonly string[],
  signal: AbortSignal,
): Promise<SchemaRegistry | undefined> {
  const catalog = new SchemaCatalog(schemaBundleDir());
  const wanted = version ?? (await catalog.defaultVersion());
  if (!wanted) {
    return undefined;
  }
  let registry: SchemaRegistry;
  try {
    registry = await catalog.registry(wanted.replace(/^v/, ''));
  } catch (error) {
    if (error instanceof SchemaBundleError && error.reason === 'versionNotBundled') {
      throw new UsageError(
        error.message.replace('gitopsWorkbench.kubernetesVersion', '--kubernetes-version'),
      );
    }
    throw error;
  }
  await scanWorkspaceCrds(targets, catalog.workspaceCrds, { signal });
  return registry;
}
