import { parseArgs } from 'node:util';
import { renderUnit } from '../engine/render';
import { SecretMasks, maskSecrets } from '../engine/secrets/secretMasker';
import { cliText } from './flagHints';
import { findUnit, memoryLimitOption, renderBinaries } from './renderSupport';
import { UsageError } from './usage';

/** Thrown when a unit cannot be rendered: exit code 1, the engine's sentence on stderr. */
export class RenderCommandError extends Error {
  readonly reason = 'renderFailed';
}

/**
 * `gitops-workbench render <unit> [--show-secrets] [--allow-network] [--memory-limit MB]
 * [--helm P] [--kustomize P]`: prints the unit's rendered YAML, Secret values masked unless
 * asked otherwise.
 */
export async function runRender(
  args: readonly string[],
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      'show-secrets': { type: 'boolean', default: false },
      'allow-network': { type: 'boolean', default: false },
      helm: { type: 'string' },
      kustomize: { type: 'string' },
      timeout: { type: 'string' },
      'memory-limit': { type: 'string' },
      root: { type: 'string' },
    },
  });
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) {
    throw new UsageError(
      'render needs exactly one unit: a folder, or a file with a Flux or Argo CD resource.',
    );
  }
  const timeoutSeconds = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new UsageError(`--timeout must be a number of seconds, not "${values.timeout}".`);
  }
  const memoryLimitMB = memoryLimitOption(values['memory-limit']);
  const { unit, root } = await findUnit(target, signal, values.root);
  const result = await renderUnit(unit, {
    workspaceRoot: root,
    overlays: new Map(),
    binaries: renderBinaries(values.helm, values.kustomize, memoryLimitMB),
    allowNetwork: values['allow-network'],
    timeoutMs: timeoutSeconds * 1000,
    signal,
  });
  if (!result.ok) {
    const where = result.error.file
      ? ` (${result.error.file}${result.error.line ? `:${result.error.line}` : ''})`
      : '';
    throw new RenderCommandError(`${cliText(result.error.message, result.error.hint)}${where}`);
  }
  write(
    values['show-secrets']
      ? result.yaml
      : maskSecrets(result.yaml, new SecretMasks(), result.secretValues),
  );
  return 0;
}
