/**
 * The rows under a context and under an app, as the tree knows them now: apps or resources, or
 * the message that stands in their place (connecting, reading, an error and its retry, none).
 * Never waits and starts no load (the store starts them); message rows are made or updated in
 * place by `rows.message`. Free of editor APIs.
 */
import { appNodeId, resourceNodeId } from './clusterNodes';
import type { AppNode, ClusterNode, ContextNode, MessageNode, ResourceNode } from './clusterNodes';
import type { RowNow } from './shownRows';
import type { ContextConnection, ItemSpec } from './statusTreeItems';

/** The store's nodes, and the message row of a kind under a parent (kept by id). */
export interface TreeRows {
  node(id: string): ClusterNode | undefined;
  message(
    parent: ClusterNode,
    kind: MessageNode['kind'],
    contextName: string,
    message: string,
    appId?: string,
  ): MessageNode;
}

export interface ContextRowsState {
  readonly connection: ContextConnection;
  /** App ids in the order the server listed them. */
  readonly appIds: readonly string[];
}

/** What an app's last answer left: its resource ids, or the error instead. */
export interface AppAnswer {
  readonly resourceIds: readonly string[];
  readonly error?: string;
}

export function contextChildren(
  node: ContextNode,
  state: ContextRowsState,
  rows: TreeRows,
): ClusterNode[] {
  const name = node.info.name;
  const connection = state.connection;
  switch (connection.state) {
    case 'disconnected':
      return [
        rows.message(node, 'info', name, 'Disconnected: this cluster is not watched.'),
        rows.message(node, 'connect', name, `Connect to ${name} and show its GitOps apps.`),
      ];
    case 'failed':
      return [
        rows.message(node, 'error', name, connection.message),
        rows.message(node, 'retry', name, `Connect to ${name} again.`),
      ];
    case 'idle':
    case 'loading':
      if (state.appIds.length === 0) {
        return [rows.message(node, 'info', name, `Connecting to ${name}…`)];
      }
      break;
    case 'loaded':
      break;
  }
  const apps = state.appIds.map((id) => rows.node(appNodeId(id))).filter(isApp);
  if (apps.length === 0) {
    const none =
      'No Flux or Argo CD app in this cluster, and no gitopsWorkbench.targets folder for it.';
    return [rows.message(node, 'info', name, none)];
  }
  return apps;
}

/** An app not read yet shows "Reading…"; a read one its error or its resources. */
export function appChildren(
  node: AppNode,
  loaded: AppAnswer | undefined,
  rows: TreeRows,
): ClusterNode[] {
  const appId = node.summary.id;
  const context = node.contextName;
  if (!loaded) {
    const reading = `Reading the resources of ${node.summary.name}…`;
    return [rows.message(node, 'info', context, reading, appId)];
  }
  const children: ClusterNode[] = [];
  const error = loaded.error ?? node.summary.error;
  if (error) {
    children.push(rows.message(node, 'error', context, error, appId));
  }
  if (loaded.error) {
    const again = `Ask for ${node.summary.name} again.`;
    children.push(rows.message(node, 'retry', context, again, appId));
    return children;
  }
  const resources = loaded.resourceIds
    .map((id) => rows.node(resourceNodeId(appId, id)))
    .filter(isResource);
  if (resources.length === 0 && !error) {
    const none = node.summary.match
      ? 'No resources.'
      : 'Not in this workspace: open the folder that holds its desired state, or name it in gitopsWorkbench.targets.';
    children.push(rows.message(node, 'info', context, none, appId));
  }
  return [...children, ...resources];
}

export function isApp(node: ClusterNode | undefined): node is AppNode {
  return node?.type === 'app';
}

export function isResource(node: ClusterNode | undefined): node is ResourceNode {
  return node?.type === 'resource';
}

/** Where an app's load stands, as far as its children go. */
export interface AppRowsState {
  readonly loaded?: AppAnswer;
  /** Asked again when next shown. */
  readonly stale: boolean;
  readonly pending?: Promise<void>;
}

/**
 * A node as it would be shown now, without starting a load (see ShownRows.changed): its
 * children only when showing them would start none (the store's childrenOf… start one when the
 * context is idle or loading, or the app not loaded, stale, or loading).
 */
export function settledRow(
  node: ClusterNode,
  item: ItemSpec,
  state: ContextRowsState | AppRowsState | undefined,
  rows: TreeRows,
): RowNow {
  const ids = (children: ClusterNode[]): string[] => children.map((child) => child.id);
  if (node.type === 'context' && state && 'connection' in state) {
    const settled = !['idle', 'loading'].includes(state.connection.state);
    return settled ? { item, children: ids(contextChildren(node, state, rows)) } : { item };
  }
  if (node.type === 'app' && state && 'stale' in state) {
    const settled = state.loaded !== undefined && !state.stale && !state.pending;
    return settled ? { item, children: ids(appChildren(node, state.loaded, rows)) } : { item };
  }
  return { item };
}

/** A message row: `existing` (the row of this id) updated in place, or a new one. */
export function messageRow(
  existing: ClusterNode | undefined,
  id: string,
  kind: MessageNode['kind'],
  contextName: string,
  message: string,
  appId?: string,
): MessageNode {
  if (existing?.type !== 'message')
    return { type: 'message', id, kind, contextName, appId, message };
  existing.message = message;
  return existing;
}
