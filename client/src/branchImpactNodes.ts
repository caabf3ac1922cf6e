/**
 * What the "Branch Impact" tree shows, as plain data: a header "<head> against <base>", one node
 * per app the branch changes (its clusters and change counts), under it the findings the branch
 * brings, then the changed resources with their change badge. Free of editor APIs so it is tested
 * in plain Node; the view turns the nodes into tree items. Texts are the server's, Secret-masked.
 */
import { NO_CLUSTER, editorText } from '../../server/src/protocol';
import type {
  AppImpact,
  BranchImpact,
  ImpactFinding,
  ImpactResource,
} from '../../server/src/protocol';

/** How many changed paths a resource's badge names before "…". */
const MAX_PATHS = 3;

export interface ImpactSides {
  readonly base: string;
  readonly head: string;
}

export type ImpactNode =
  | {
      readonly type: 'header';
      readonly id: string;
      readonly label: string;
      readonly tooltip: string;
    }
  | { readonly type: 'message'; readonly id: string; readonly label: string; readonly icon: string }
  | { readonly type: 'app'; readonly id: string; readonly app: AppImpact }
  | { readonly type: 'finding'; readonly id: string; readonly finding: ImpactFinding }
  | { readonly type: 'appError'; readonly id: string; readonly message: string }
  | {
      readonly type: 'resource';
      readonly id: string;
      readonly resource: ImpactResource;
      readonly sides: ImpactSides;
    };

/** The names the two sides are shown with: the refs, else short SHAs. */
export function sidesOf(impact: BranchImpact): ImpactSides {
  return {
    base: impact.base.ref || impact.base.sha.slice(0, 12),
    head: impact.head.ref || impact.head.sha.slice(0, 12),
  };
}

/** The top level: the header, then the apps, or the sentence saying why there are none. */
export function rootNodes(impact: BranchImpact): ImpactNode[] {
  const { base, head } = sidesOf(impact);
  const header: ImpactNode = {
    type: 'header',
    id: 'header',
    label: `${head} against ${base}`,
    tooltip: `${head} (${impact.head.sha.slice(0, 12)}) against ${base} (${impact.base.sha.slice(0, 12)}${impact.base.how === 'mergeBase' ? ', the merge base' : ''}): ${impact.changedFiles.length} changed files, ${impact.renders.base + impact.renders.head} renders.`,
  };
  if (impact.unusable) {
    const text = editorText(impact.unusable.message, impact.unusable.hint);
    return [header, { type: 'message', id: 'unusable', label: text, icon: 'error' }];
  }
  if (impact.apps.length === 0) {
    const label = `No rendered change between ${head} and ${base}.`;
    return [header, { type: 'message', id: 'none', label, icon: 'pass' }];
  }
  return [
    header,
    ...impact.apps.map((app): ImpactNode => ({
      type: 'app',
      id: `app:${app.kind}:${app.path}:${app.app}`,
      app,
    })),
  ];
}

/** An app's children: its render error, the findings the branch brings, then its resources. */
export function appChildren(node: ImpactNode, sides: ImpactSides): ImpactNode[] {
  if (node.type !== 'app') return [];
  const { app } = node;
  return [
    ...(app.error !== undefined
      ? [{ type: 'appError', id: `${node.id}/error`, message: app.error } as const]
      : []),
    ...app.findings.map((finding, index): ImpactNode => ({
      type: 'finding',
      id: `${node.id}/finding:${index}`,
      finding,
    })),
    ...app.resources.map((resource): ImpactNode => ({
      type: 'resource',
      id: `${node.id}/resource:${resource.id}`,
      resource,
      sides,
    })),
  ];
}

/** "staging · 1 changed, 0 added, 0 removed". */
export function appDescription(app: AppImpact): string {
  const count = (change: ImpactResource['change']): number =>
    app.resources.filter((resource) => resource.change === change).length;
  const clusters = app.clusters.length > 0 ? app.clusters.join(', ') : NO_CLUSTER;
  return `${clusters} · ${count('modified')} changed, ${count('added')} added, ${count('removed')} removed`;
}

/** The codicon of an app: its render error, else whether it came, went or changed. */
export function appIcon(app: AppImpact): string {
  if (app.error !== undefined) return 'error';
  return app.status === 'added'
    ? 'diff-added'
    : app.status === 'removed'
      ? 'diff-removed'
      : 'diff-modified';
}

/** `Deployment/web`. */
export function resourceLabel(resource: ImpactResource): string {
  return `${resource.kind}/${resource.name}`;
}

/** The change badge: `added`, `removed`, `modified: spec.replicas, spec.template…`. */
export function resourceBadge(resource: ImpactResource): string {
  if (resource.change !== 'modified' || resource.changedPaths.length === 0) return resource.change;
  const shown = resource.changedPaths.slice(0, MAX_PATHS).join(', ');
  return `modified: ${shown}${resource.changedPaths.length > MAX_PATHS ? ', …' : ''}`;
}

export function resourceIcon(resource: ImpactResource): string {
  return resource.change === 'added'
    ? 'diff-added'
    : resource.change === 'removed'
      ? 'diff-removed'
      : 'diff-modified';
}

/** The diff editor's title: `Deployment/web (main ↔ feature)`. */
export function diffTitle(resource: ImpactResource, sides: ImpactSides): string {
  return `${resourceLabel(resource)} (${sides.base} ↔ ${sides.head})`;
}

/** `file:line: message`, as the finding's label says it. */
export function findingLabel(finding: ImpactFinding): string {
  return finding.message;
}

export function findingDescription(finding: ImpactFinding): string {
  return `${finding.file}:${finding.line}`;
}
