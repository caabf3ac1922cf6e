/**
 * What the sync status commands act on when run from the Command Palette, without a node of the
 * Clusters tree: a QuickPick of the connected contexts, their apps or their resources, or the
 * resources the active editor's file defines.
 */
import * as vscode from 'vscode';
import type { AppNode, ResourceNode } from './clusterNodes';
import type { ClustersView } from './clustersView';
import { definedIn } from './statusSummary';
import { appDescription, resourceDescription, resourceLabel } from './statusTreeItems';

const NOT_CONNECTED =
  'No cluster is connected: expand a context in the Clusters view to connect to it, then run this again.';

/** A connected context, asked of the user when there is more than one. */
export async function pickContext(clusters: ClustersView): Promise<string | undefined> {
  const contexts = clusters.connectedApps().map(({ context }) => context);
  if (contexts.length === 0) {
    void vscode.window.showInformationMessage(NOT_CONNECTED);
    return undefined;
  }
  if (contexts.length === 1) return contexts[0];
  return vscode.window.showQuickPick(contexts, { title: 'Disconnect which context?' });
}

/** An app of the connected contexts, asked of the user. */
export async function pickApp(
  clusters: ClustersView,
  title: string,
  keep: (node: AppNode) => boolean = () => true,
): Promise<AppNode | undefined> {
  const connected = clusters.connectedApps();
  if (connected.length === 0) {
    void vscode.window.showInformationMessage(NOT_CONNECTED);
    return undefined;
  }
  const items = connected.flatMap(({ context, apps }) =>
    apps.filter(keep).map((app) => ({
      label: app.summary.name,
      description: appDescription(app.summary),
      detail: `${context} · ${app.summary.namespace ?? 'cluster'}`,
      app,
    })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('The connected clusters hold no app to choose here.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDetail: true });
  return picked?.app;
}

/** A resource of an app of the connected contexts: the app first, then the resource. */
export async function pickResource(
  clusters: ClustersView,
  title: string,
  keep: (node: ResourceNode) => boolean = () => true,
): Promise<ResourceNode | undefined> {
  const app = await pickApp(clusters, `${title}: which app?`);
  if (!app) return undefined;
  const resources = (await clusters.resourcesOf(app)).filter(keep);
  if (resources.length === 0) {
    void vscode.window.showInformationMessage(
      `${app.summary.name} has no resource to choose here.`,
    );
    return undefined;
  }
  return pickAmong(resources, `${title}: which resource of ${app.summary.name}?`);
}

/** The resources of the connected contexts whose desired object comes from the active file. */
export async function resourcesOfActiveFile(
  clusters: ClustersView,
): Promise<{ file: string; resources: ResourceNode[] } | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || document.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage(
      'Open a file of the workspace that defines Kubernetes resources, then run this again.',
    );
    return undefined;
  }
  const connected = clusters.connectedApps();
  if (connected.length === 0) {
    void vscode.window.showInformationMessage(NOT_CONNECTED);
    return undefined;
  }
  const file = document.uri.fsPath;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
  const apps = connected.flatMap(({ apps }) => apps.filter((app) => app.summary.match));
  const resources = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Finding the resources of this file' },
    async () => (await Promise.all(apps.map((app) => clusters.resourcesOf(app)))).flat(),
  );
  return { file, resources: definedIn(resources, file, folder) };
}

/** One resource: the only one, or the one the user picks. */
export async function pickAmong(
  resources: readonly ResourceNode[],
  title: string,
): Promise<ResourceNode | undefined> {
  if (resources.length === 1) return resources[0];
  const picked = await vscode.window.showQuickPick(
    resources.map((node) => ({
      label: resourceLabel(node.resource),
      description: resourceDescription(node.resource),
      detail: `${node.contextName}${node.resource.namespace ? ` · ${node.resource.namespace}` : ''}`,
      node,
    })),
    { title, matchOnDescription: true },
  );
  return picked?.node;
}
