/**
 * What a preview shows: the units a file belongs to, and the rendered YAML of the one a user
 * chose (else the first), Secrets masked, or why there is none.
 */
import * as path from 'node:path';
import { SecretMasks, maskSecrets } from './engine/secrets/secretMasker';
import type { Workspace } from './engine/workspace';
import { chosenUnit } from './engine/workspace/unitChoices';
import type { ChosenUnit, RenderUnitsResult, RenderedManifestsResult } from './protocol';

/** A preview in a folder that is not trusted: no tool runs. */
export const UNTRUSTED_PREVIEW: RenderedManifestsResult = {
  title: 'Rendered manifests',
  yaml: '',
  error:
    'This folder is not trusted, so kustomize and helm are not run. Trust the folder to see rendered manifests.',
  reason: 'untrusted',
};

/** The units `file` belongs to that a preview can show (no tool runs). */
export async function previewUnits(
  workspace: Workspace,
  file: string,
  signal: AbortSignal,
): Promise<RenderUnitsResult> {
  const entries = await workspace.unitsOf(file, { signal });
  return {
    units: entries
      .filter(({ unit }) => unit.renderer !== 'plain')
      .map((entry) => ({
        id: entry.unit.id,
        kind: entry.unit.kind,
        name: entry.unit.name,
        ...(entry.unit.definedIn ? { file: entry.unit.definedIn.file } : {}),
        ...workspace.describe(entry),
      })),
  };
}

/**
 * The rendered YAML (Secrets masked) of `chosen`, one of the units `file` belongs to, else of
 * its first (the workspace's one rule: the unit it defines, else the innermost kustomization
 * or chart folder holding it, else a unit that reads it).
 */
export async function renderedPreview(
  workspace: Workspace,
  file: string,
  signal: AbortSignal,
  chosen?: ChosenUnit,
): Promise<RenderedManifestsResult> {
  const entries = (await workspace.unitsOf(file, { signal })).filter(
    ({ unit }) => unit.renderer !== 'plain',
  );
  const entry = chosen ? chosenUnit(entries, chosen) : entries[0];
  if (!entry) {
    return chosen
      ? {
          title: 'Rendered manifests',
          yaml: '',
          error: `${chosen.name} no longer renders ${path.basename(file)}: run Show Rendered Manifests again to choose a unit.`,
          reason: 'unitGone',
        }
      : {
          title: 'Rendered manifests',
          yaml: '',
          error: `${path.basename(file)} belongs to no kustomization, chart, Flux or Argo CD app of this workspace.`,
          reason: 'noUnit',
        };
  }
  const result = await workspace.render(entry, { signal });
  const title = workspace.describe(entry).label;
  return result.ok
    ? { title, yaml: maskSecrets(result.yaml, new SecretMasks(), result.secretValues) }
    : {
        title,
        yaml: '',
        error: result.error.message,
        reason: result.error.reason,
        ...(result.error.hint ? { hint: result.error.hint } : {}),
      };
}
