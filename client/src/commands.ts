import * as vscode from 'vscode';
import type { BranchImpactView } from './branchImpactView';
import type { ClustersView } from './clustersView';
import { setKubeconfigPath } from './config';
import type { Ctx } from './ctx';
import { GIT_COMMANDS } from './gitCommands';
import type { ImpactDocuments } from './impactDocuments';
import type { LiveDiff } from './liveDiff';
import type { RenderedPreview } from './renderedPreview';
import { STATUS_COMMANDS } from './statusCommands';

/** What the commands act on, beside the Ctx. */
export interface Views {
  readonly clusters: ClustersView;
  readonly preview: RenderedPreview;
  readonly diff: LiveDiff;
  readonly impact: ImpactDocuments;
  readonly branchImpact: BranchImpactView;
}

type Handler = (...args: unknown[]) => unknown;
type Factory = (ctx: Ctx, views: Views) => Handler;

/** Every command of the extension, as a factory `(ctx) => handler`. Ids match package.json. */
const COMMANDS: Record<string, Factory> = {
  ...STATUS_COMMANDS,
  ...GIT_COMMANDS,
  'gitopsWorkbench.chooseKubeconfig':
    (ctx, { clusters }) =>
    async () => {
      if (!ctx.trusted) {
        void vscode.window.showWarningMessage(
          'This folder is not trusted, so GitOps Workbench does not read kubeconfig files. Trust the folder first.',
        );
        return;
      }
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Use Kubeconfig',
        title: 'Choose the kubeconfig file that names your clusters',
      });
      const file = picked?.[0];
      if (file) {
        await setKubeconfigPath(file.fsPath);
        clusters.refresh();
      }
    },
  // The kubeconfig and tool paths are machine settings: in a remote window (Remote SSH, WSL,
  // code-server) the Settings editor shows them on the remote's tab only, so that tab opens.
  'gitopsWorkbench.openSettings': () => () =>
    vscode.env.remoteName
      ? vscode.commands.executeCommand('workbench.action.openRemoteSettings', {
          query: 'gitopsWorkbench',
        })
      : vscode.commands.executeCommand('workbench.action.openSettings', 'gitopsWorkbench'),
  'gitopsWorkbench.restartServer':
    (ctx, { clusters }) =>
    async () => {
      await ctx.restart();
      clusters.refresh();
    },
  'gitopsWorkbench.showLog': (ctx) => () => ctx.log.show(),
  'gitopsWorkbench.showRenderedManifests':
    (_ctx, { preview }) =>
    async (resource) => {
      const uri =
        resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
      if (!uri || uri.scheme !== 'file') {
        void vscode.window.showInformationMessage(
          'Open a file of a kustomization, a chart, or a Flux or Argo CD app to see what it renders.',
        );
        return;
      }
      await preview.show(uri);
    },
};

export function registerCommands(ctx: Ctx, views: Views): void {
  for (const [id, factory] of Object.entries(COMMANDS)) {
    ctx.own(vscode.commands.registerCommand(id, factory(ctx, views)));
  }
}
