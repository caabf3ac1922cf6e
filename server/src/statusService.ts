/**
 * The language server's side of cluster sync status: one StatusSession per connected context,
 * opened when the client asks (a context node expanded), closed on disconnect or when settings
 * change; live changes are pushed to the client as `statusChanged` notifications.
 */
import * as path from 'node:path';
import { ClusterError, StatusSession, kubeconfigFiles } from './engine';
import type { AppSummary, IgnoreDifference, RenderUnit, StatusTarget, Workspace } from './engine';
import { RenderFailure } from './engine/render/types';
import type {
  AppResourcesResult,
  ContextAppsParams,
  ContextAppsResult,
  ReconcileResult,
  ResourceDiffResult,
  StatusError,
} from './protocol';

/** What the service needs from the server: trust, settings, files, and a way to notify. */
export interface StatusEnvironment {
  trusted(): boolean;
  workspaceFolders(): readonly string[];
  settings(): Promise<StatusSettings>;
  /** Renders with the editor's buffers (unless desired state is HEAD); knows the units. */
  readonly workspace: Workspace;
  notify(context: string, appIds: readonly string[]): void;
  log(message: string): void;
}

export interface StatusSettings {
  readonly targets: ReadonlyArray<{ path: string; context: string; namespace?: string }>;
  readonly ignoreDifferences: readonly IgnoreDifference[];
  readonly desiredFrom: 'workingTree' | 'HEAD';
  readonly gitPath?: string;
}

const UNTRUSTED: StatusError = {
  reason: 'untrusted',
  message:
    'This workspace is not trusted, so no cluster is contacted: trust the workspace to see sync status.',
};
const WORKSPACE_DEBOUNCE_MS = 500;
/** How long a progressive request waits for complete statuses before answering with progress. */
const PROGRESSIVE_WAIT_MS = 1000;

export class StatusService {
  private readonly sessions = new Map<string, Promise<StatusSession>>();
  private workspaceTimer: NodeJS.Timeout | undefined;

  constructor(private readonly environment: StatusEnvironment) {}

  async contextApps(params: ContextAppsParams, signal: AbortSignal): Promise<ContextAppsResult> {
    if (!this.environment.trusted()) {
      return { apps: [], error: UNTRUSTED };
    }
    try {
      const known = this.sessions.has(params.context);
      const session = await this.session(params);
      if (params.refresh === true && known) {
        await session.workspaceChanged();
      }
      return {
        apps: await session.apps(signal, params.progressive ? PROGRESSIVE_WAIT_MS : undefined),
      };
    } catch (error) {
      this.close(params.context);
      return { apps: [], error: this.failed(error) };
    }
  }

  async appResources(
    appId: string,
    signal: AbortSignal,
    progressive = false,
  ): Promise<AppResourcesResult> {
    return this.withSession(appId, async (session) => {
      const app = await session.app(appId, signal, progressive ? PROGRESSIVE_WAIT_MS : undefined);
      return app ? { app } : { error: unknownApp() };
    });
  }

  async resourceDiff(
    appId: string,
    resourceId: string,
    signal: AbortSignal,
  ): Promise<ResourceDiffResult> {
    return this.withSession(appId, async (session) => {
      const diff = await session.diff(appId, resourceId, signal);
      return diff ? { diff } : { error: unknownApp() };
    });
  }

  async reconcile(appId: string, signal: AbortSignal): Promise<ReconcileResult> {
    return this.withSession(appId, async (session) => ({
      message: await session.reconcile(appId, signal),
    }));
  }

  /** The unit an app of a connected context renders from. */
  async unitOf(
    appId: string,
    signal: AbortSignal,
  ): Promise<{ unit: RenderUnit; workspaceRoot: string } | undefined> {
    const session = this.sessionOf(appId);
    return session ? (await session).unitOf(appId, signal) : undefined;
  }

  /** The apps of every connected context (for "what changes in which cluster"). */
  async connectedApps(signal: AbortSignal): Promise<AppSummary[]> {
    const all: AppSummary[] = [];
    for (const session of this.sessions.values()) {
      try {
        all.push(...(await (await session).apps(signal)));
      } catch {
        continue;
      }
    }
    return all;
  }

  /** Stops a context's watches; the next request connects again. */
  close(context: string): void {
    const session = this.sessions.get(context);
    this.sessions.delete(context);
    void session?.then((opened) => opened.dispose()).catch(() => undefined);
  }

  /** Settings or trust changed: every session is closed and its view asked to reload. */
  reset(): void {
    for (const context of [...this.sessions.keys()]) {
      this.close(context);
      this.environment.notify(context, []);
    }
  }

  /** A file of the workspace changed (edited or saved): sessions re-render, debounced. */
  fileChanged(): void {
    clearTimeout(this.workspaceTimer);
    this.workspaceTimer = setTimeout(() => {
      for (const session of this.sessions.values()) {
        void session.then((opened) => opened.workspaceChanged()).catch(() => undefined);
      }
    }, WORKSPACE_DEBOUNCE_MS);
  }

  dispose(): void {
    clearTimeout(this.workspaceTimer);
    for (const context of [...this.sessions.keys()]) this.close(context);
  }

  private async withSession<T extends object>(
    appId: string,
    work: (session: StatusSession) => Promise<T>,
  ): Promise<T | { error: StatusError }> {
    if (!this.environment.trusted()) {
      return { error: UNTRUSTED };
    }
    const session = this.sessionOf(appId);
    if (!session) {
      return { error: unknownApp() };
    }
    try {
      return await work(await session);
    } catch (error) {
      return { error: this.failed(error) };
    }
  }

  /** The failure for the view; one of ours is also logged whole, since its sentence says so. */
  private failed(error: unknown): StatusError {
    const failure = statusError(error);
    if (failure.reason === 'internal') {
      this.environment.log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    return failure;
  }

  private sessionOf(appId: string): Promise<StatusSession> | undefined {
    const context = [...this.sessions.keys()]
      .filter((name) => appId.startsWith(`${name}/`))
      .sort((a, b) => b.length - a.length)[0];
    return context === undefined ? undefined : this.sessions.get(context);
  }

  private session(params: ContextAppsParams): Promise<StatusSession> {
    let session = this.sessions.get(params.context);
    if (!session) {
      session = this.open(params);
      this.sessions.set(params.context, session);
    }
    return session;
  }

  private async open(params: ContextAppsParams): Promise<StatusSession> {
    const settings = await this.environment.settings();
    const folders = this.environment.workspaceFolders();
    const targets: StatusTarget[] = settings.targets
      .filter((target) => target.context === params.context)
      .map((target) => ({
        ...target,
        path: path.resolve(folders[0] ?? process.cwd(), target.path),
      }));
    const workspace = this.environment.workspace;
    const session = await StatusSession.open({
      kubeconfigFiles: kubeconfigFiles({
        explicitPath: params.kubeconfigPath,
        kubeconfigEnv: process.env['KUBECONFIG'],
      }),
      context: params.context,
      folders,
      targets,
      ignoreDifferences: settings.ignoreDifferences,
      desiredFrom: settings.desiredFrom,
      ...(settings.gitPath ? { gitPath: settings.gitPath } : {}),
      log: (line) => this.environment.log(`[${params.context}] ${line}`),
      render: workspace.renderer.renderFunction({
        withOverlays: settings.desiredFrom !== 'HEAD',
      }),
      units: (folder, signal) => workspace.unitsOfFolder(folder, signal),
    });
    session.onChanged((appIds) => this.environment.notify(params.context, appIds));
    this.environment.log(`Connected to context "${params.context}".`);
    return session;
  }
}

function unknownApp(): StatusError {
  return {
    reason: 'unknownApp',
    message:
      'That app is not known (its context was disconnected or the app was removed): refresh the Clusters view.',
  };
}

/**
 * A sentence for the view, never a stack trace: a cluster or render failure keeps the reason it
 * was classified with where it happened; anything else is a mistake of ours (`internal`).
 */
export function statusError(error: unknown): StatusError {
  if (error instanceof ClusterError) {
    return { reason: error.reason, message: error.message };
  }
  if (error instanceof RenderFailure) {
    return {
      reason: 'renderFailed',
      message: error.error.message,
      ...(error.error.hint ? { hint: error.error.hint } : {}),
    };
  }
  const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return {
    reason: 'internal',
    message: `GitOps Workbench stopped on an internal error (${detail}): see its log, and please report it.`,
  };
}
