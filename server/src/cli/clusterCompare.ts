/**
 * What `status` and `diff` compare with the cluster: every GitOps app of the context, or what a
 * path renders: the Flux or Argo CD apps deployed from it, else the folder itself (its
 * kustomization, its chart or its manifests), as the targets setting compares a folder, for
 * repositories that no Flux or Argo CD deploys.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StatusSession, kubeconfigFiles, readKubeContexts } from '../engine';
import type { AppStatus, StatusTarget } from '../engine';
import type { Workspace, WorkspaceUnit } from '../engine/workspace';
import { namedPath, openWorkspace } from './cliWorkspace';
import type { RenderValues } from './cliWorkspace';
import { UsageError } from './usage';

export interface CompareValues extends RenderValues {
  readonly context?: string | undefined;
  readonly namespace?: string | undefined;
  readonly kubeconfig?: string | undefined;
  readonly desired?: string | undefined;
}

/** A path compared with the cluster. */
export interface PathTarget {
  /** As the user wrote it. */
  readonly given: string;
  /** The folder compared as an app when no live app deploys from the path. */
  readonly folder: string;
  /** The unit the path belongs to, if any. */
  readonly unit?: WorkspaceUnit;
}

export interface Comparison {
  readonly session: StatusSession;
  readonly path?: PathTarget;
}

/**
 * Connects to the context (`--context`, else the kubeconfig's current one) with the workspace
 * of the path, or of the current folder (`--root` when given).
 */
export async function openComparison(
  values: CompareValues,
  signal: AbortSignal,
  target?: string,
): Promise<Comparison> {
  if (values.desired !== 'working-tree' && values.desired !== 'HEAD') {
    throw new UsageError(`--desired must be "working-tree" or "HEAD", not "${values.desired}".`);
  }
  if (values.namespace !== undefined && target === undefined) {
    throw new UsageError('--namespace goes with a path: the namespace of what the path renders.');
  }
  const source = {
    ...(values.kubeconfig ? { explicitPath: values.kubeconfig } : {}),
    kubeconfigEnv: process.env['KUBECONFIG'],
  };
  const kubeconfig = await readKubeContexts(source);
  const context = values.context ?? kubeconfig.currentContext;
  if (!context) {
    throw new UsageError('no --context given and the kubeconfig has no current context.');
  }
  const workspace = await openWorkspace([], values, signal);
  const compared = target === undefined ? undefined : await pathTarget(workspace, target, signal);
  const root = compared
    ? workspace.rootOf(compared.folder)
    : values.root
      ? path.resolve(values.root)
      : workspace.rootOf(process.cwd());
  // Resources that name no namespace go where kubectl would put them: --namespace, else the
  // context's namespace, else default.
  const namespace =
    values.namespace ?? kubeconfig.contexts.find((entry) => entry.name === context)?.namespace;
  const targets: StatusTarget[] = compared
    ? [{ path: compared.folder, context, ...(namespace ? { namespace } : {}) }]
    : [];
  const session = await StatusSession.open({
    kubeconfigFiles: kubeconfigFiles(source),
    context,
    folders: [root],
    targets,
    desiredFrom: values.desired === 'HEAD' ? 'HEAD' : 'workingTree',
    render: workspace.renderer.renderFunction({ withOverlays: false, signal }),
    units: (folder, unitsSignal) => workspace.unitsOfFolder(folder, unitsSignal),
  });
  return { session, ...(compared ? { path: compared } : {}) };
}

/**
 * The apps a path or name stands for: the live apps of that name or deployed from the path,
 * else the path's folder compared as an app.
 */
export function appsOf(
  apps: readonly AppStatus[],
  given: string,
  target?: PathTarget,
): AppStatus[] {
  const deployed = apps.filter((app) => app.kind !== 'Folder' && appMatches(app, given, target));
  return deployed.length > 0 || !target
    ? deployed
    : apps.filter((app) => app.kind === 'Folder' && app.name === target.folder);
}

function appMatches(app: AppStatus, given: string, target: PathTarget | undefined): boolean {
  if (app.name === given || `${app.namespace ?? ''}/${app.name}` === given) return true;
  if (!target || !app.match) return false;
  const wanted = path.resolve(target.given);
  return (
    app.match.unitId === target.unit?.unit.id ||
    path.resolve(app.match.root) === wanted ||
    app.match.unitId.includes(`:${wanted}:`)
  );
}

/**
 * The folder a path compares as an app: a file's or folder's own kustomization, chart or folder
 * of manifests; the folder itself when it is rendered by a Flux or Argo CD app or by nothing.
 */
async function pathTarget(
  workspace: Workspace,
  given: string,
  signal: AbortSignal,
): Promise<PathTarget> {
  const { file } = await namedPath(given);
  await workspace.addFolders([file], signal);
  const unit = await workspace.unitOf(file, { signal });
  const resolved = path.resolve(file);
  const folder =
    unit && ['kustomize', 'helm', 'plain'].includes(unit.unit.kind)
      ? unit.unit.root
      : (await fs.stat(resolved)).isDirectory()
        ? resolved
        : path.dirname(resolved);
  return { given, folder, ...(unit ? { unit } : {}) };
}
