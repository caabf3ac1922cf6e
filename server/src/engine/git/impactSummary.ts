/**
 * The figures every report of a branch's impact shows (the CLI's text and markdown, the
 * pull-request body): per app how many resources are added, changed and removed, whether the
 * branch changes anything a reader should see, and how the two compared commits are named.
 * Pure; the texts are returned as the repository wrote them (each report escapes its own way).
 */
import { NO_CLUSTER } from './branchImpactTypes';
import type { AppImpact, BranchImpact } from './branchImpactTypes';

export interface AppCounts {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export function appCounts(app: AppImpact): AppCounts {
  const count = (change: string): number =>
    app.resources.filter((resource) => resource.change === change).length;
  return { added: count('added'), changed: count('modified'), removed: count('removed') };
}

/** Whether the branch changes anything a reader should see (the CLI's exit code 1). */
export function impactChanges(impact: BranchImpact): boolean {
  return impact.apps.some(
    (app) => app.resources.length > 0 || app.findings.length > 0 || app.errorChanged,
  );
}

/** The clusters an app is deployed to, or the name of none. */
export function clusterName(app: AppImpact): string {
  return app.clusters.length > 0 ? app.clusters.join(', ') : NO_CLUSTER;
}

export function filesDiffer(count: number): string {
  return count === 1 ? '1 file differs' : `${count} files differ`;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** `HEAD (abc1234) against origin/main (merge base def5678)`, fields unescaped. */
export function comparedText(impact: BranchImpact): string {
  const base =
    impact.base.how === 'mergeBase'
      ? `${impact.base.ref} (merge base ${short(impact.base.sha)})`
      : `${impact.base.ref} (${short(impact.base.sha)})`;
  return `${impact.head.ref} (${short(impact.head.sha)}) against ${base}`;
}
