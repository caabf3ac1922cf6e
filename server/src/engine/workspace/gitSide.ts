/**
 * A workspace's history and impact (`workspaceHistory.ts`), loaded when first asked: they bring
 * git's code, which `check` and the editor's validation never need to start.
 */
import type * as WorkspaceHistory from './workspaceHistory';

let loading: Promise<typeof WorkspaceHistory> | undefined;

export function gitSide(): Promise<typeof WorkspaceHistory> {
  loading ??= import('./workspaceHistory');
  return loading;
}
