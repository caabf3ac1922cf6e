import * as path from 'node:path';
import * as vscode from 'vscode';
import { editorFailureText } from '../../server/src/protocol';
import type { AppNode, ClusterNode, ResourceNode } from './clusterNodes';
import { contextOf } from './clustersView';
import { desiredFrom, setDesiredFrom } from './config';
import type { Ctx } from './ctx';
import type { Views } from './commands';
import {
  pickAmong,
  pickApp,
  pickContext,
  pickResource,
  resourcesOfActiveFile,
} from './statusPickers';
import { hasComparison, resourceLabel } from './statusTreeItems';

type Handler = (...args: unknown[]) => unknown;
type Factory = (ctx: Ctx, views: Views) => Handler;

/** The commands of sync status in the Clusters tree; each receives the node it was run on. */
export const STATUS_COMMANDS: Record<string, Factory> = {
  'gitopsWorkbench.refresh':
    (_ctx, { clusters }) =>
    async (node) => {
      if (isNode(node)) {
        await clusters.refreshNode(node);
      } else {
        clusters.refresh();
      }
    },
  'gitopsWorkbench.retryContext':
    (ctx, { clusters }) =>
    async (node) => {
      if (isNode(node) && ctx.trusted) await clusters.connect(contextOf(node));
    },
  'gitopsWorkbench.disconnectContext':
    (_ctx, { clusters }) =>
    async (node) => {
      const context = isNode(node) ? contextOf(node) : await pickContext(clusters);
      if (context !== undefined) await clusters.disconnect(context);
    },
  'gitopsWorkbench.showDiff':
    (ctx, { clusters, diff }) =>
    async (given) => {
      if (!ctx.trusted) return;
      const node = isNode(given, 'resource')
        ? given
        : await pickResource(clusters, 'Show the live ↔ Git diff', (resource) =>
            hasComparison(resource.resource),
          );
      if (!node) return;
      if (!hasComparison(node.resource)) {
        void vscode.window.showInformationMessage(
          `${resourceLabel(node.resource)} could not be compared, so there is no diff to show${node.resource.reason ? `: ${node.resource.reason}` : '.'}`,
        );
        return;
      }
      await diff.show(node);
    },
  'gitopsWorkbench.compareFileWithCluster':
    (ctx, { clusters, diff }) =>
    async () => {
      if (!ctx.trusted) return;
      const found = await resourcesOfActiveFile(clusters);
      if (!found) return;
      const comparable = found.resources.filter((node) => hasComparison(node.resource));
      if (comparable.length === 0) {
        void vscode.window.showInformationMessage(
          found.resources.length === 0
            ? `No app of the connected clusters takes a resource from ${path.basename(found.file)}: connect to the cluster that runs it in the Clusters view, or open a file an app renders.`
            : `The resources of ${path.basename(found.file)} could not be compared with the cluster, so there is no diff to show.`,
        );
        return;
      }
      const node = await pickAmong(
        comparable,
        `Compare which resource of ${path.basename(found.file)} with the cluster?`,
      );
      if (node) await diff.show(node);
    },
  'gitopsWorkbench.reconcileApp':
    (ctx, { clusters }) =>
    async (given) => {
      if (!ctx.trusted) return;
      const node = isNode(given, 'app')
        ? given
        : await pickApp(clusters, 'Reconcile which app?', (app) => app.summary.kind !== 'Folder');
      if (!node) return;
      const name = node.summary.name;
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: `Asking ${name} to reconcile` },
          () => ctx.reconcileApp(node.summary.id),
        );
        if (!result) {
          void vscode.window.showErrorMessage(
            'The GitOps Workbench language server is not running: restart it, then reconcile again.',
          );
        } else if (result.error) {
          void vscode.window.showErrorMessage(editorFailureText(result.error));
        } else {
          void vscode.window.showInformationMessage(
            result.message ?? `Asked the controller to reconcile ${name}.`,
          );
        }
      } catch (error) {
        ctx.log.error(
          `Reconciling ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        void vscode.window.showErrorMessage(
          `Reconciling ${name} failed: see the GitOps Workbench log.`,
        );
      }
    },
  'gitopsWorkbench.openResourceSource':
    (_ctx, { clusters }) =>
    async (given) => {
      const node = isNode(given, 'resource')
        ? given
        : await pickResource(
            clusters,
            'Open the source file',
            (resource) => !!resource.resource.origin,
          );
      if (!node) return;
      const origin = node.resource.origin;
      if (!origin) {
        void vscode.window.showInformationMessage(
          'This resource has no source file in the workspace.',
        );
        return;
      }
      // Drift opens where Git sets the first changed field (the patch), else where it comes from.
      const place = node.resource.changedAt ?? origin;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri =
        path.isAbsolute(place.file) || !folder
          ? vscode.Uri.file(place.file)
          : vscode.Uri.joinPath(folder, place.file);
      const line = Math.max(0, (place.line ?? 1) - 1);
      await vscode.window.showTextDocument(uri, {
        selection: new vscode.Range(line, 0, line, 0),
        preview: true,
      });
    },
  'gitopsWorkbench.copyResourceId':
    (_ctx, { clusters }) =>
    async (given) => {
      const node =
        isNode(given, 'resource') || isNode(given, 'app')
          ? given
          : await pickResource(clusters, 'Copy the id');
      const id = node?.type === 'resource' ? node.resource.id : node?.summary.id;
      if (id === undefined) return;
      await vscode.env.clipboard.writeText(id);
      vscode.window.setStatusBarMessage(`Copied ${id}`, 3000);
    },
  'gitopsWorkbench.toggleDesiredFrom': () => async () => {
    await setDesiredFrom(desiredFrom() === 'HEAD' ? 'workingTree' : 'HEAD');
  },
};

function isNode(value: unknown): value is ClusterNode;
function isNode(value: unknown, type: 'resource'): value is ResourceNode;
function isNode(value: unknown, type: 'app'): value is AppNode;
function isNode(value: unknown, type?: ClusterNode['type']): boolean {
  if (typeof value !== 'object' || value === null || !('type' in value) || !('id' in value)) {
    return false;
  }
  return type === undefined || (value as { type: unknown }).type === type;
}
