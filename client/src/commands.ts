import * as vscode from 'vscode';
import type { ClustersView } from './clustersView';
import { setKubeconfigPath } from './config';
import type { Ctx } from './ctx';

type Handler = (...args: unknown[]) => unknown;
type Factory = (ctx: Ctx, clusters: ClustersView) => Handler;

/** Every command of the extension, as a factory `(ctx) => handler`. Ids match package.json. */
const COMMANDS: Record<string, Factory> = {
  'gitopsWorkbench.refresh': (_ctx, clusters) => () => clusters.refresh(),
  'gitopsWorkbench.chooseKubeconfig': (ctx, clusters) => async () => {
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
  'gitopsWorkbench.openSettings': () => () =>
    vscode.commands.executeCommand('workbench.action.openSettings', 'gitopsWorkbench'),
  'gitopsWorkbench.restartServer': (ctx, clusters) => async () => {
    await ctx.restart();
    clusters.refresh();
  },
  'gitopsWorkbench.showLog': (ctx) => () => ctx.log.show(),
};

export function registerCommands(ctx: Ctx, clusters: ClustersView): void {
  for (const [id, factory] of Object.entries(COMMANDS)) {
    ctx.own(vscode.commands.registerCommand(id, factory(ctx, clusters)));
  }
}
