/**
 * One app of a status session brought up to date: its controller status and source read from
 * the live object, matched to a unit of the workspace, rendered, its kinds discovered and
 * watched, and each resource compared (see resourceComparer.ts). Failures become the app's
 * error sentence.
 */
import { ClusterError } from '../cluster/clusterErrors';
import type { JsonObject } from '../cluster/liveTypes';
import type { RenderResult, RenderUnit } from '../render/types';
import { defaultNamespace } from './appKinds';
import type { AppRecord } from './appRecord';
import { desiredResources, matchApp, targetUnit } from './desiredState';
import { gitAheadOf } from './gitAhead';
import { controllerStatusOf, sourceOf, trackedKeys, trackedKinds } from './liveApps';
import type { ResourceComparer } from './resourceComparer';
import type { WorkspaceState } from './workspaceState';

/** What the refresh of an app uses of its session. */
export interface RefreshContext {
  readonly workspace: WorkspaceState;
  readonly comparer: ResourceComparer;
  readonly render: (
    unit: RenderUnit,
    workspaceRoot: string,
    signal?: AbortSignal,
  ) => Promise<RenderResult>;
  /** Where the time spent rendering and discovering kinds is added up. */
  readonly spent: { renderMs: number; listMs: number };
  /** A source object (GitRepository, OCIRepository...) of the live cache. */
  readonly source: (kind: string, namespace: string, name: string) => JsonObject | undefined;
  readonly gitPath?: string;
}

export async function refreshAppState(
  record: AppRecord,
  session: RefreshContext,
  signal?: AbortSignal,
): Promise<void> {
  const object = record.object;
  if (object) {
    record.controller = controllerStatusOf(object);
    record.source = sourceOf(object, (kind, namespace, name) =>
      session.source(kind, namespace, name),
    );
    record.tracked = trackedKeys(object);
  }
  // The kinds the controller applied are listed while the app renders: the render rarely adds
  // one, and an object of a kind Git no longer has is still found as Extra. A kind that cannot
  // be listed here is reported by the resolution of the rendered kinds, if it is one of them.
  const tracked = object
    ? session.comparer.resolveKinds(trackedKinds(object), signal).catch(() => undefined)
    : Promise.resolve();
  try {
    const folders = await session.workspace.folders(signal);
    const kind = record.kind;
    const matched =
      kind === 'Folder'
        ? record.target && targetUnit(record.target, folders)
        : object && matchApp(object, kind, record.source ?? {}, folders);
    record.matched = matched || undefined;
    record.error = undefined;
    if (!matched) {
      record.desired = new Map();
      await session.comparer.compareAll(record, signal);
      return;
    }
    let phaseStart = performance.now();
    const result = await session.render(matched.unit, matched.workspaceRoot, signal);
    session.spent.renderMs += performance.now() - phaseStart;
    if (!result.ok) {
      record.error = result.error.message;
      record.desired = new Map();
      record.results = new Map();
      return;
    }
    phaseStart = performance.now();
    await session.comparer.resolveKinds(
      result.resources.map((resource) => [resource.apiVersion, resource.kind] as const),
      signal,
    );
    session.spent.listMs += performance.now() - phaseStart;
    const desired = desiredResources(
      result,
      (apiVersion, kind) => session.comparer.namespaced(apiVersion, kind),
      defaultNamespace(record),
    );
    record.desired = new Map(
      desired.map((resource) => [resource.id, session.workspace.inWorkingTree(resource)]),
    );
    record.gitAhead = await gitAheadOf(
      record.controller?.revision,
      session.workspace.originalOf(matched.workspaceRoot),
      session.gitPath,
    );
    await tracked;
    await session.comparer.compareAll(record, signal);
  } catch (error) {
    if (!(error instanceof ClusterError) && !(error instanceof Error)) throw error;
    record.error = error.message;
  }
}
