/**
 * Names of a live ↔ Git diff in the editor: its title, and the path of each side's virtual
 * document (one path segment per part, ending in .yaml so it is highlighted).
 */
import type { Comparison, ResourceStatus } from '../../server/src/protocol';
import { resourceLabel } from './statusTreeItems';

/**
 * The language of both sides: YAML under an id of its own (package.json), whose
 * configurationDefaults keep this diff side by side with unchanged regions collapsed (no option
 * of `vscode.diff` can) without changing any other diff.
 */
export const DIFF_LANGUAGE = 'gitops-workbench-diff-yaml';

/**
 * "Deployment/podinfo: live (cluster) ↔ Git (desired) · server-side dry-run": which side is which
 * is said in words, as the inline view shows one column only.
 */
export function diffTitle(
  resource: Pick<ResourceStatus, 'kind' | 'name'>,
  comparison: Comparison,
): string {
  const how =
    comparison === 'serverSideDryRun'
      ? ' · server-side dry-run'
      : comparison === 'noOpApply'
        ? ' · apply changes nothing'
        : comparison === 'predictedLive'
          ? ' · predicted live'
          : '';
  return `${resourceLabel(resource)}: live (cluster) ↔ Git (desired)${how}`;
}

/**
 * `/<context>/<Kind>-<name> (live).yaml` and `… (Git).yaml`: one path segment per part, the side
 * in the name (the tab and the inline view's header show it), ending in .yaml for highlighting.
 */
export function diffDocumentPath(
  context: string,
  resource: Pick<ResourceStatus, 'kind' | 'name'>,
  side: 'live' | 'desired',
): string {
  const label = side === 'live' ? 'live' : 'Git';
  return `/${segment(context)}/${segment(`${resource.kind}-${resource.name}`)} (${label}).yaml`;
}

function segment(text: string): string {
  return text.replace(/[/\\?#%]/g, '_');
}
