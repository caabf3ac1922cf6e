/**
 * Names of a live ↔ Git diff in the editor: its title, and the path of each side's virtual
 * document (one path segment per part, ending in .yaml so it is highlighted).
 */
import type { Comparison, ResourceStatus } from '../../server/src/protocol';
import { resourceLabel } from './statusTreeItems';

/** "Deployment/podinfo: live ↔ Git (server-side dry-run)". */
export function diffTitle(
  resource: Pick<ResourceStatus, 'kind' | 'name'>,
  comparison: Comparison,
): string {
  const how =
    comparison === 'serverSideDryRun'
      ? ' (server-side dry-run)'
      : comparison === 'noOpApply'
        ? ' (apply changes nothing)'
        : comparison === 'predictedLive'
          ? ' (predicted live)'
          : '';
  return `${resourceLabel(resource)}: live ↔ Git${how}`;
}

/** `/<context>/<Kind>-<name>.live.yaml`: one path segment per part, ending in .yaml for highlighting. */
export function diffDocumentPath(
  context: string,
  resource: Pick<ResourceStatus, 'kind' | 'name'>,
  side: 'live' | 'desired',
): string {
  return `/${segment(context)}/${segment(`${resource.kind}-${resource.name}`)}.${side}.yaml`;
}

function segment(text: string): string {
  return text.replace(/[/\\?#%]/g, '_');
}
