/**
 * `gitops-workbench status` and `gitops-workbench diff`: the Clusters view, headless. Exit 0 when
 * nothing drifted, 1 on drift, 2 on an error (unreachable cluster, bad arguments...).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { escapeControls as field } from '../controlChars';
import { ClusterError, StatusSession, kubeconfigFiles, readKubeContexts } from '../engine';
import type { AppStatus, ResourceStatus } from '../engine';
import { renderUnit } from '../engine/render';
import { unifiedDiff } from '../engine/diff/unifiedDiff';
import { memoryLimitOption, renderBinaries, workspaceRootOf } from './renderSupport';
import { UsageError } from './usage';

/** A failure that is not the user's invocation: exit code 2, the sentence on stderr. */
export class StatusCommandError extends Error {
  readonly reason = 'statusFailed';
}

const OPTIONS = {
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  root: { type: 'string' },
  format: { type: 'string', default: 'text' },
  desired: { type: 'string', default: 'working-tree' },
  helm: { type: 'string' },
  'memory-limit': { type: 'string' },
  kustomize: { type: 'string' },
  'allow-network': { type: 'boolean', default: false },
} as const;

function parse(args: readonly string[]): {
  values: Values;
  positionals: string[];
} {
  return parseArgs({ args: [...args], allowPositionals: true, options: OPTIONS });
}

interface Values {
  context?: string | undefined;
  kubeconfig?: string | undefined;
  root?: string | undefined;
  format?: string | undefined;
  desired?: string | undefined;
  helm?: string | undefined;
  kustomize?: string | undefined;
  'memory-limit'?: string | undefined;
  'allow-network'?: boolean | undefined;
}

async function openSession(values: Values, signal: AbortSignal): Promise<StatusSession> {
  if (values.desired !== 'working-tree' && values.desired !== 'HEAD') {
    throw new UsageError(`--desired must be "working-tree" or "HEAD", not "${values.desired}".`);
  }
  const source = {
    ...(values.kubeconfig ? { explicitPath: values.kubeconfig } : {}),
    kubeconfigEnv: process.env['KUBECONFIG'],
  };
  let context = values.context;
  if (!context) {
    const found = await readKubeContexts(source);
    context = found.currentContext;
    if (!context) {
      throw new UsageError('no --context given and the kubeconfig has no current context.');
    }
  }
  const root = path.resolve(values.root ?? workspaceRootOf(process.cwd()));
  const binaries = renderBinaries(
    values.helm,
    values.kustomize,
    memoryLimitOption(values['memory-limit']),
  );
  return StatusSession.open({
    kubeconfigFiles: kubeconfigFiles(source),
    context,
    folders: [root],
    desiredFrom: values.desired === 'HEAD' ? 'HEAD' : 'workingTree',
    render: (unit, workspaceRoot, renderSignal) =>
      renderUnit(unit, {
        workspaceRoot,
        overlays: new Map(),
        binaries,
        allowNetwork: values['allow-network'] === true,
        signal: renderSignal ?? signal,
      }),
  });
}

async function withSession<T>(
  values: Values,
  signal: AbortSignal,
  work: (session: StatusSession) => Promise<T>,
): Promise<T> {
  const session = await openSession(values, signal);
  try {
    return await work(session);
  } catch (error) {
    if (error instanceof ClusterError) throw new StatusCommandError(error.message);
    throw error;
  } finally {
    session.dispose();
  }
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
  return `${app.sync.padEnd(10)} ${field(app.kind)} ${app.namespace ? `${field(app.namespace)}/` : ''}${field(app.name)}${counts.length ? ` · ${counts.join(', ')}` : ''}${controller}${app.gitAhead ? ' · Git ahead of cluster' : ''}${where}${predicted}${app.error ? `\n           error: ${field(app.error)}` : ''}`;
}

function resourceLine(resource: ResourceStatus): string {
  const where = resource.namespace ? `${field(resource.namespace)}/` : '';
  const fields = resource.changedPaths.length
    ? `  ${field(resource.changedPaths.slice(0, 5).join(', '))}`
    : '';
  return `  ${resource.sync.padEnd(10)} ${field(resource.kind)} ${where}${field(resource.name)}${fields}`;
}

/** `gitops-workbench status [--context C] [--format json]` */
export async function runStatus(
  args: readonly string[],
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parse(args);
  if (positionals.length > 0) throw new UsageError('status takes no positional arguments.');
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be "text" or "json", not "${values.format}".`);
  }
  return withSession(values, signal, async (session) => {
    const apps = await allApps(session, signal);
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

/** `gitops-workbench diff <app or path> [--context C]`: a unified diff, Secret values masked. */
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
  return withSession(values, signal, async (session) => {
    const apps = (await allApps(session, signal)).filter((app) => appMatches(app, target));
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

function appMatches(app: AppStatus, target: string): boolean {
  if (app.name === target || `${app.namespace ?? ''}/${app.name}` === target) return true;
  const wanted = path.resolve(target);
  return (
    app.match !== undefined &&
    (path.resolve(app.match.root) === wanted || app.match.unitId.includes(`:${wanted}:`))
  );
}
