/**
 * The elements of the Clusters tree: plain, mutable holders kept stable by id so that VS Code
 * keeps their expansion state and `onDidChangeTreeData.fire(node)` can refresh one of them.
 * Free of editor APIs.
 */
import type { AppSummary, ContextInfo, ResourceStatus } from '../../server/src/protocol';

export interface ContextNode {
  readonly type: 'context';
  readonly id: string;
  info: ContextInfo;
}

export interface AppNode {
  readonly type: 'app';
  readonly id: string;
  readonly contextName: string;
  summary: AppSummary;
}

export interface ResourceNode {
  readonly type: 'resource';
  readonly id: string;
  readonly contextName: string;
  readonly appId: string;
  resource: ResourceStatus;
}

/** A line under a context or an app that is not data: an error, a hint, or a retry. */
export interface MessageNode {
  readonly type: 'message';
  readonly id: string;
  readonly kind: 'error' | 'info' | 'retry' | 'connect';
  readonly contextName: string;
  /** Set when the message belongs to an app rather than to the context. */
  readonly appId?: string;
  message: string;
}

export type ClusterNode = ContextNode | AppNode | ResourceNode | MessageNode;

export function contextNodeId(context: string): string {
  return `context:${context}`;
}

export function appNodeId(appId: string): string {
  return `app:${appId}`;
}

/** ResourceStatus ids are unique within an app only: the tree id adds the app's. */
export function resourceNodeId(appId: string, resourceId: string): string {
  return `resource:${appId}|${resourceId}`;
}

export function messageNodeId(owner: string, kind: MessageNode['kind']): string {
  return `${kind}:${owner}`;
}
