/**
 * `gitops-workbench status` and `gitops-workbench diff`: the Clusters view, headless. Exit 0 when
 * nothing drifted, 1 on drift, 2 on an error (unreachable cluster, bad arguments...). Given a
 * path, they compare what it renders (see clusterCompare).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { escapeControls as field } from '../controlChars';
import { ClusterError } from '../engine';
import type { AppStatus, ResourceStatus, StatusSession } from '../engine';
import { unifiedDiff } from '../engine/diff/unifiedDiff';
import { RENDER_OPTIONS } from './cliWorkspace';
import { appsOf, openComparison } from './clusterCompare';
import type { CompareValues, PathTarget } from './clusterCompare';
import { UsageError } from './usage';

/** A failure that is not the user's invocation: exit code 2, the sentence on stderr. */
export class StatusCommandError extends Error {
  readonly reason = 'statusFailed';
}

const OPTIONS = {
  ...RENDER_OPTIONS,
  context: { type: 'string' },
  namespace: { type: 'string' },
  kubeconfig: { type: 'string' },
  format: { type: 'string', default: 'text' },
  desired: { type: 'string', default: 'working-tree' },
} as const;

function parse(args: readonly string[]): {
  values: CompareValues & { format?: string | undefined };
  positionals: string[];
} {
  return parseArgs({ args: [...args], allowPositionals: true, options: OPTIONS });
}

async function withSession<T>(
  values: CompareValues,
  signal: AbortSignal,
  target: string | undefined,
  work: (session: StatusSession, path?: PathTarget) => Promise<T>,
): Promise<T> {
  const { session, path: compared } = await openComparison(values, signal, target).catch(
    (error: unknown) => {
      throw commandError(error);
    },
  );
  try {
    return await work(session, compared);
  } catch (error) {
    throw commandError(error);
  } finally {
    session.dispose();
  }
}

/** A cluster's refusal as the command's own one-line message, saying what to do. */
function commandError(error: unknown): unknown {
  if (!(error instanceof ClusterError)) return error;
  return new StatusCommandError(
    error.reason === 'contextNotFound'
      ? `${error.message} List the contexts with "kubectl config get-contexts" and give one with --context.`
      : error.message,
  );
}

async function allApps(session: StatusSession, signal: AbortSignal): Promise<AppStatus[]> {
  const apps: AppStatus[] = [];
  for (const summary of await session.apps(signal)) {
    const app = await session.app(summary.id, signal);
    if (app) apps.push(app);
  }
  return apps;
}

const drifted = (resource: ResourceStatus): boolean => resource.sync !== 'Synced';

function appLine(app: AppStatus): string {
  const counts = (['OutOfSync', 'Missing', 'Extra', 'Unknown'] as const)
    .filter((state) => app.counts[state] > 0)
    .map((state) => `${app.counts[state]} ${state}`);
  const controller = app.controller
    ? ` · controller: ${field([app.controller.syncStatus, app.controller.ready && `Ready ${app.controller.ready}`, app.controller.revision].filter(Boolean).join(', '))}`
    : '';
  const where = app.match ? '' : ' · not in this workspace';
  const predicted =
    app.comparison === 'predictedLive' ? ' · predicted live (no dry-run permission)' : '';
  // A folder compared as an app is named as a path from here, like the paths of `check`.
  const name = app.kind === 'Folder' ? path.relative(process.cwd(), app.name) || '.' : app.name;
  return `${app.sync.padEnd(10)} ${field(app.kind)} ${app.namespace ? `${field(app.namespace)}/` : ''}${field(name)}${counts.length ? ` · ${counts.join(', ')}` : ''}${controller}${app.gitAhead ? ' · Git ahead of cluster' : ''}${where}${predicted}${app.error ? `\n           error: ${field(app.error)}` : ''}`;
}

function resourceLine(resource: ResourceStatus): string {
  const where = resource.namespace ? `${field(resource.namespace)}/` : '';
  const fields = resource.changedPaths.length
    ? `  ${field(resource.changedPaths.slice(0, 5).join(', '))}`
    : '';
  return `  ${resource.sync.padEnd(10)} ${field(resource.kind)} ${where}${field(resource.name)}${fields}`;
}

/** `gitops-workbench status [path] [--context C] [--namespace N] [--format json]` */
export async function runStatus(
  args: readonly string[],
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parse(args);
  const [target, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError('status takes at most one path.');
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be "text" or "json", not "${values.format}".`);
  }
  return withSession(values, signal, target, async (session, compared) => {
    const all = await allApps(session, signal);
    const apps = target === undefined ? all : appsOf(all, target, compared);
    if (values.format === 'json') {
      write(`${JSON.stringify({ context: session.context, apps }, null, 2)}\n`);
    } else if (apps.length === 0) {
      write(`No GitOps apps in context "${field(session.context)}".\n`);
    } else {
      for (const app of apps) {
        write(`${appLine(app)}\n`);
        for (const resource of app.resources.filter(drifted)) write(`${resourceLine(resource)}\n`);
      }
    }
    return apps.some((app) => app.sync !== 'Synced') ? 1 : 0;
  });
}

/**
 * `gitops-workbench diff <app or path> [--context C] [--namespace N]`: a unified diff, Secret
 * values masked.
 */
export async function runDiff(
  args: readonly string[],
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parse(args);
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) {
    throw new UsageError('diff needs exactly one app name (or namespace/name) or path.');
  }
  // A path on disk is compared as what it renders; anything else names an app.
  const asPath = existsSync(target.replace(/:\d+$/, '')) ? target : undefined;
  return withSession(values, signal, asPath, async (session, compared) => {
    const apps = appsOf(await allApps(session, signal), target, compared);
    if (apps.length === 0) {
      throw new StatusCommandError(
        `No app "${target}" in context "${session.context}": run "gitops-workbench status" to list them.`,
      );
    }
    let drift = false;
    for (const app of apps) {
      if (app.error) throw new StatusCommandError(`${app.name}: ${app.error}`);
      for (const resource of app.resources.filter(drifted)) {
        const diff = await session.diff(app.id, resource.id, signal);
        if (!diff) continue;
        drift = true;
        const name = field(
          `${resource.kind}/${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`,
        );
        const text = unifiedDiff(diff.live, diff.desired, {
          leftLabel: `live/${name}`,
          rightLabel: `git/${name}${resource.comparison === 'predictedLive' ? ' (predicted live: no dry-run permission)' : ''}`,
        });
        write(text || `# ${resource.sync} ${name}: ${field(resource.reason ?? '')}\n`);
        if (text && !text.endsWith('\n')) write('\n');
      }
    }
    return drift ? 1 : 0;
  });
}
