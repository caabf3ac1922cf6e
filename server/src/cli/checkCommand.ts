import { parseArgs } from 'node:util';
import { checkPaths, hasErrors } from '../engine';
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
    options: { format: { type: 'string', default: 'text' } },
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
  const report = await checkPaths(positionals, { signal });
  write(format === 'json' ? JSON.stringify(toJsonReport(report)) + '\n' : formatTextReport(report));
  return hasErrors(report) ? 1 : 0;
}
