/**
 * What each node of the Clusters tree shows: label, description, tooltip (Markdown), icon and
 * menu context value, as plain data. Free of editor APIs so it is tested in plain Node; the view
 * turns an ItemSpec into a vscode.TreeItem. Only ids, statuses, paths and messages are shown:
 * never a field value of a live object.
 */
import type {
  AppSummary,
  Comparison,
  ContextInfo,
  ResourceStatus,
  SyncState,
} from '../../server/src/protocol';
import type { AppNode, ClusterNode, ContextNode, MessageNode, ResourceNode } from './clusterNodes';
import { controllerHealth, controllerOf, controllerText } from './controllerStatusText';

/**
 * Circles say how live compares with Git (sync); a heart says health, shown instead of the green
 * check when a synced object is not healthy, so a Degraded object never looks like a failed sync.
 */
export const STATUS_ICON_NAMES = [
  'synced',
  'outOfSync',
  'missing',
  'extra',
  'unknown',
  'healthProgressing',
  'healthDegraded',
] as const;

export type StatusIconName = (typeof STATUS_ICON_NAMES)[number];

/** An SVG of media/status/, or a product icon (codicon) by id. */
export type ItemIcon = { readonly status: StatusIconName } | { readonly codicon: string };

export interface ItemSpec {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip: string;
  readonly icon: ItemIcon;
  readonly contextValue: string;
  readonly collapsible: boolean;
  /** Run on click, with the node as its argument (ClustersView runs it on the selected row). */
  readonly command?: { readonly id: string; readonly title: string };
}

/** Where a context's connection stands, as far as the tree knows. */
export type ContextConnection =
  | { readonly state: 'idle' | 'loading' | 'disconnected' }
  | { readonly state: 'loaded'; readonly apps: readonly AppSummary[] }
  | { readonly state: 'failed'; readonly message: string };

export const COMMAND = {
  showDiff: 'gitopsWorkbench.showDiff',
  retryContext: 'gitopsWorkbench.retryContext',
  refresh: 'gitopsWorkbench.refresh',
} as const;

/** Counts in this order, zeros left out: "1 Missing, 2 OutOfSync, 1 Extra". */
const COUNTED: readonly SyncState[] = ['Missing', 'OutOfSync', 'Extra', 'Unknown'];
const MAX_CHANGED_PATHS = 10;

/** The row of any node; a context's shows its connection. */
export function nodeItem(
  node: ClusterNode,
  connectionOf: (context: string) => ContextConnection,
): ItemSpec {
  switch (node.type) {
    case 'context':
      return contextItem(node, connectionOf(node.info.name));
    case 'app':
      return appItem(node);
    case 'resource':
      return resourceItem(node);
    case 'message':
      return messageItem(node);
  }
}

export function contextItem(node: ContextNode, connection: ContextConnection): ItemSpec {
  const info = node.info;
  return {
    id: node.id,
    label: info.name,
    description: contextDescription(info, connection),
    tooltip: contextTooltip(info),
    icon: { codicon: 'server-environment' },
    contextValue: connection.state === 'loaded' ? 'kubeContext.connected' : 'kubeContext',
    collapsible: true,
  };
}

/** What matters first, as the row is cut at the sidebar's width: "1 out of sync · 2 apps · current". */
export function contextDescription(
  info: ContextInfo,
  connection: ContextConnection,
): string | undefined {
  const parts: string[] = [];
  switch (connection.state) {
    case 'loaded': {
      const apps = connection.apps;
      const outOfSync = apps.filter((app) => app.sync === 'OutOfSync' && !app.comparing).length;
      if (outOfSync > 0) parts.push(`${outOfSync} out of sync`);
      const comparing = apps.filter((app) => app.comparing).length;
      if (comparing > 0) parts.push(`comparing ${comparing}…`);
      parts.push(plural(apps.length, 'app'));
      break;
    }
    case 'loading':
      parts.push('connecting…');
      break;
    case 'failed':
      parts.push('not connected');
      break;
    case 'disconnected':
      parts.push('disconnected');
      break;
    case 'idle':
      break;
  }
  if (info.current) parts.push('current');
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function contextTooltip(info: ContextInfo): string {
  return lines([
    `**${md(info.name)}**${info.current ? ' (the current context of the kubeconfig)' : ''}`,
    `cluster: ${code(info.cluster)}`,
    info.server ? `server: ${code(info.server)}` : undefined,
    `user: ${code(info.user)}`,
    info.namespace ? `namespace: ${code(info.namespace)}` : undefined,
    `from: ${code(info.file)}`,
  ]);
}

export function appItem(node: AppNode): ItemSpec {
  const app = node.summary;
  return {
    id: node.id,
    label: app.name,
    description: appDescription(app),
    tooltip: appTooltip(app),
    // While first compared, a spinner: the controller's own status is in the description.
    icon: app.comparing ? { codicon: 'loading~spin' } : { status: appIcon(app) },
    contextValue: `gitopsApp${controllerOf(app) ? `.${controllerOf(app)}` : ''}`,
    collapsible: true,
  };
}

/**
 * Our sync first, then the controller's health in one word, then Git ahead: "OutOfSync · Ready ·
 * Git ahead". Counts and the controller's own words are in the tooltip: the row is cut at the
 * sidebar's width.
 */
export function appDescription(app: AppSummary): string {
  const parts: string[] = [];
  if (app.comparing) {
    parts.push(comparingText(app.comparing));
  } else if (!app.match) {
    parts.push('not in this workspace');
  } else if (app.error) {
    parts.push('status unavailable');
  } else {
    parts.push(app.sync);
  }
  const health = controllerHealth(app);
  if (health) parts.push(health);
  if (app.gitAhead) parts.push('Git ahead');
  return parts.join(' · ');
}

/** "Rendering…" until the app's resources are known, then "Comparing 120/1000…". */
export function comparingText(comparing: NonNullable<AppSummary['comparing']>): string {
  return comparing.total === 0 ? 'Rendering…' : `Comparing ${comparing.done}/${comparing.total}…`;
}

export function countsText(counts: Readonly<Record<SyncState, number>>): string {
  return COUNTED.filter((state) => (counts[state] ?? 0) > 0)
    .map((state) => `${counts[state]} ${state}`)
    .join(', ');
}

export function appTooltip(app: AppSummary): string {
  const source = app.source;
  const status = app.controller;
  const counts = countsText(app.counts);
  const synced = app.counts.Synced ?? 0;
  return lines([
    `**${md(app.name)}** (${KIND_LABEL[app.kind]})`,
    app.namespace ? `namespace: ${code(app.namespace)}` : undefined,
    source?.url ? `source: ${code(source.url)}` : undefined,
    source?.path ? `path: ${code(source.path)}` : undefined,
    source?.ref ? `ref: ${code(source.ref)}` : undefined,
    app.comparing
      ? `status: ${md(comparingText(app.comparing))} (our comparison with Git is under way)`
      : app.match
        ? `status: **${app.sync}**${counts ? ` (${md(counts)}${synced > 0 ? `, ${synced} Synced` : ''})` : synced > 0 ? ` (${synced} Synced)` : ''}`
        : 'status: not in this workspace (no folder of the workspace holds its desired state)',
    app.match
      ? `desired: ${code(app.match.root)} (${app.desiredFrom === 'HEAD' ? 'HEAD' : 'working tree'}, matched by ${MATCH_LABEL[app.match.how]})`
      : undefined,
    app.gitAhead ? 'Git ahead: the branch has commits the cluster has not applied yet' : undefined,
    controllerText(app)
      ? `controller: ${md(controllerText(app) ?? '')}${status?.reason ? ` (${md(status.reason)})` : ''}`
      : undefined,
    status?.revision ? `revision: ${code(status.revision)}` : undefined,
    status?.message ? `controller message: ${md(status.message)}` : undefined,
    app.match ? `comparison: ${md(comparisonLabel(app.comparison))}` : undefined,
    app.error ? `error: ${md(app.error)}` : undefined,
  ]);
}

export function appIcon(app: AppSummary): StatusIconName {
  if (!app.match || app.error) return 'unknown';
  switch (app.sync) {
    case 'OutOfSync':
      return 'outOfSync';
    case 'Unknown':
      return 'unknown';
    case 'Synced': {
      const said = app.controller?.ready;
      if (said === 'False' || said === 'Degraded' || said === 'Missing') return 'healthDegraded';
      if (said === 'Progressing') return 'healthProgressing';
      return 'synced';
    }
  }
}

export function resourceItem(node: ResourceNode): ItemSpec {
  const resource = node.resource;
  const label = resourceLabel(resource);
  return {
    id: node.id,
    label,
    description: resourceDescription(resource),
    tooltip: resourceTooltip(resource),
    icon: { status: resourceIcon(resource) },
    contextValue: resource.origin ? 'gitopsResource.withSource' : 'gitopsResource',
    collapsible: false,
    command: hasComparison(resource)
      ? { id: COMMAND.showDiff, title: `Show live ↔ Git diff of ${label}` }
      : undefined,
  };
}

export function resourceLabel(resource: Pick<ResourceStatus, 'kind' | 'name'>): string {
  return `${resource.kind}/${resource.name}`;
}

/** Sync, then health: "OutOfSync · Healthy" (the namespace is in the tooltip). */
export function resourceDescription(resource: ResourceStatus): string {
  const health = resource.health.status;
  return health && health !== resource.sync ? `${resource.sync} · ${health}` : resource.sync;
}

export function resourceTooltip(resource: ResourceStatus): string {
  const changed = resource.changedPaths;
  const shown = changed.slice(0, MAX_CHANGED_PATHS);
  return lines([
    `**${md(resourceLabel(resource))}** (${code(resource.apiVersion)})`,
    resource.namespace ? `namespace: ${code(resource.namespace)}` : undefined,
    `sync: **${resource.sync}**`,
    `health: **${resource.health.status}**${resource.health.message ? ` — ${md(resource.health.message)}` : ''}`,
    shown.length > 0
      ? `changed: ${shown.map(code).join(', ')}${changed.length > shown.length ? ` and ${changed.length - shown.length} more` : ''}`
      : undefined,
    resource.comparison !== 'none'
      ? `comparison: ${md(comparisonLabel(resource.comparison))}`
      : undefined,
    resource.reason ? `reason: ${md(resource.reason)}` : undefined,
    resource.origin
      ? `source: ${code(resource.origin.file)}${resource.origin.line !== undefined ? ` line ${resource.origin.line}` : ''}`
      : undefined,
    resource.changedAt
      ? `changed by: ${code(resource.changedAt.file)} line ${resource.changedAt.line}`
      : undefined,
  ]);
}

export function resourceIcon(resource: ResourceStatus): StatusIconName {
  switch (resource.sync) {
    case 'Synced':
      if (resource.health.status === 'Degraded') return 'healthDegraded';
      if (resource.health.status === 'Progressing') return 'healthProgressing';
      return 'synced';
    case 'OutOfSync':
      return 'outOfSync';
    case 'Missing':
      return 'missing';
    case 'Extra':
      return 'extra';
    case 'Unknown':
      return 'unknown';
  }
}

/** Whether live and desired were compared, so a diff can be shown. */
export function hasComparison(resource: Pick<ResourceStatus, 'sync'>): boolean {
  return resource.sync !== 'Unknown';
}

export function messageItem(node: MessageNode): ItemSpec {
  switch (node.kind) {
    case 'error':
      return {
        id: node.id,
        label: node.message,
        tooltip: md(node.message),
        icon: { codicon: 'error' },
        contextValue: 'gitopsError',
        collapsible: false,
      };
    case 'info':
      return {
        id: node.id,
        label: node.message,
        tooltip: md(node.message),
        icon: { codicon: 'info' },
        contextValue: 'gitopsInfo',
        collapsible: false,
      };
    case 'retry':
    case 'connect':
      return {
        id: node.id,
        label: node.kind === 'retry' ? 'Retry' : 'Connect',
        tooltip: md(node.message),
        icon: { codicon: node.kind === 'retry' ? 'refresh' : 'plug' },
        contextValue: 'gitopsRetry',
        collapsible: false,
        command: node.appId
          ? { id: COMMAND.refresh, title: 'Retry' }
          : { id: COMMAND.retryContext, title: node.kind === 'retry' ? 'Retry' : 'Connect' },
      };
  }
}

export function comparisonLabel(comparison: Comparison): string {
  switch (comparison) {
    case 'serverSideDryRun':
      return 'server-side dry-run';
    case 'noOpApply':
      return "server-side apply would change nothing (read from the applier's managed fields, no dry-run needed)";
    case 'predictedLive':
      return 'predicted live — an approximation: dry-run is not permitted for this user';
    case 'none':
      return 'not compared';
  }
}

export function desiredFromLabel(desiredFrom: 'workingTree' | 'HEAD'): string {
  return desiredFrom === 'HEAD' ? 'desired: HEAD' : 'desired: working tree';
}

const KIND_LABEL: Record<AppSummary['kind'], string> = {
  FluxKustomization: 'Flux Kustomization',
  FluxHelmRelease: 'Flux HelmRelease',
  ArgoApplication: 'Argo CD Application',
  Folder: 'folder of the targets setting',
};

const MATCH_LABEL: Record<NonNullable<AppSummary['match']>['how'], string> = {
  definition: 'its definition in the workspace',
  repository: 'repository URL and path',
  setting: 'the gitopsWorkbench.targets setting',
};

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function lines(parts: readonly (string | undefined)[]): string {
  return parts.filter((part) => part !== undefined).join('  \n');
}

/** Escapes Markdown so names and messages show as written. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\r?\n/g, '  \n');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
