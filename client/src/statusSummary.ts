/**
 * What the status bar item and the Command Palette pickers of sync status show, as plain data.
 * Free of editor APIs so it is tested in plain Node.
 */
import * as path from 'node:path';
import type { AppSummary, ResourceStatus } from '../../server/src/protocol';
import { md, resourceDescription } from './statusTreeItems';

/** The apps of one connected context. */
export interface ConnectedApps {
  readonly context: string;
  readonly apps: readonly AppSummary[];
}

export interface DriftSummary {
  /** With a product icon: "$(sync) 2 OutOfSync", "$(check) Synced". */
  readonly text: string;
  /** Markdown, one line per context. */
  readonly tooltip: string;
}

/**
 * The drift of the workspace's apps on the connected contexts, or undefined when no context is
 * connected (the item is then hidden). Apps that no folder of the workspace holds are left out.
 */
export function driftSummary(connected: readonly ConnectedApps[]): DriftSummary | undefined {
  if (connected.length === 0) return undefined;
  const mine = connected.flatMap(({ apps }) => apps.filter((app) => app.match !== undefined));
  const outOfSync = mine.filter((app) => !app.comparing && app.sync === 'OutOfSync').length;
  const comparing = mine.filter((app) => app.comparing).length;
  const unknown = mine.filter(
    (app) => !app.comparing && (app.sync === 'Unknown' || app.error !== undefined),
  ).length;
  const text =
    outOfSync > 0
      ? `$(sync) ${outOfSync} OutOfSync`
      : comparing > 0
        ? '$(sync~spin) Comparing…'
        : unknown > 0
          ? `$(question) ${unknown} Unknown`
          : mine.length > 0
            ? '$(check) Synced'
            : '$(circle-slash) No app of this workspace';
  const tooltip = connected
    .map(({ context, apps }) => `${md(context)}: ${contextLine(apps)}`)
    .concat('Click to show the Clusters view.')
    .join('  \n');
  return { text, tooltip };
}

function contextLine(apps: readonly AppSummary[]): string {
  const mine = apps.filter((app) => app.match !== undefined);
  if (mine.length === 0) return 'no app of this workspace';
  const outOfSync = mine.filter((app) => !app.comparing && app.sync === 'OutOfSync').length;
  return `${outOfSync} of ${mine.length} app${mine.length === 1 ? '' : 's'} of this workspace out of sync`;
}

/** The absolute path of a resource's source file: relative ones are under the first folder. */
export function originPath(file: string, folder: string | undefined): string {
  return path.isAbsolute(file) || folder === undefined ? file : path.join(folder, file);
}

/** The resources whose desired object comes from `file` (an absolute path). */
export function definedIn<T extends { readonly resource: Pick<ResourceStatus, 'origin'> }>(
  resources: readonly T[],
  file: string,
  folder: string | undefined,
): T[] {
  const wanted = path.resolve(file);
  return resources.filter((item) => {
    const origin = item.resource.origin;
    return origin !== undefined && path.resolve(originPath(origin.file, folder)) === wanted;
  });
}

/** One CodeLens of a file: a resource it defines, as a connected cluster sees it. */
export interface DriftLens<T> {
  /** 0-based line of the resource's document in the file. */
  readonly line: number;
  readonly title: string;
  readonly node: T;
}

/**
 * The lenses of `file`: one per resource of a connected context whose desired object comes from
 * it, on the resource's first line: "OutOfSync in prod: spec.replicas", "Synced in prod".
 */
export function driftLenses<
  T extends { readonly resource: ResourceStatus; readonly contextName: string },
>(resources: readonly T[], file: string, folder: string | undefined): DriftLens<T>[] {
  return definedIn(resources, file, folder).map((node) => {
    const { resource } = node;
    const state = resourceDescription(resource);
    const changed = resource.changedPaths.slice(0, 2).join(', ');
    const more =
      resource.changedPaths.length > 2 ? ` and ${resource.changedPaths.length - 2} more` : '';
    return {
      line: Math.max(0, (resource.origin?.line ?? 1) - 1),
      title: `${resource.kind}/${resource.name}: ${state} in ${node.contextName}${changed ? `: ${changed}${more}` : ''}`,
      node,
    };
  });
}
