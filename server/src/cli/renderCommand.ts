import { parseArgs } from 'node:util';
import { SecretMasks, maskSecrets } from '../engine/secrets/secretMasker';
import { RENDER_OPTIONS, namedUnits, openWorkspace } from './cliWorkspace';
import { chosenUnit, otherUnitsNote } from './unitOption';
import { renderFailureFinding } from '../engine/check/renderedFindings';
import { cliText } from './flagHints';
import { UsageError } from './usage';

/** Thrown when a unit cannot be rendered: exit code 1, the engine's sentence on stderr. */
export class RenderCommandError extends Error {
  readonly reason = 'renderFailed';
}

/**
 * `gitops-workbench render <unit> [--unit PLACE] [--show-secrets] [--allow-network]
 * [--memory-limit MB] [--helm P] [--kustomize P]`: prints the unit's rendered YAML, Secret
 * values masked unless asked otherwise. A file of several units (a chart's template, used by
 * HelmReleases) renders the one `--unit` names, else the first, and `note` lists the others.
 */
export async function runRender(
  args: readonly string[],
  write: (text: string) => void,
  signal: AbortSignal,
  note: (text: string) => void = () => undefined,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...RENDER_OPTIONS,
      'show-secrets': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      unit: { type: 'string' },
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
  const workspace = await openWorkspace([], values, signal, { timeoutMs: timeoutSeconds * 1000 });
  const entries = await namedUnits(workspace, target, signal);
  const entry = chosenUnit(workspace, entries, target, values.unit);
  const result = await workspace.render(entry, { signal });
  if (values.unit === undefined) note(otherUnitsNote(workspace, entries, target, entry));
  if (!result.ok) {
    const where = result.error.file
      ? ` (${result.error.file}${result.error.line ? `:${result.error.line}` : ''})`
      : '';
    // The sentence `check` reports, which names the unit ("Flux Kustomization flux was not
    // rendered: ...").
    const sentence = renderFailureFinding(entry.unit, result.error).message;
    throw new RenderCommandError(`${cliText(sentence, result.error.hint)}${where}`);
  }
  write(
    values['show-secrets']
      ? result.yaml
      : maskSecrets(result.yaml, new SecretMasks(), result.secretValues),
  );
  return 0;
}
