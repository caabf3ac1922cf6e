/** VS Code entry point: builds the Ctx, the views and the commands. Kept thin on purpose. */
import * as vscode from 'vscode';
import { BranchImpactView } from './branchImpactView';
import { ClustersView } from './clustersView';
import { registerCommands } from './commands';
import { affects } from './config';
import { Ctx } from './ctx';
import { DriftCodeLens } from './driftCodeLens';
import { DriftStatusBar } from './driftStatusBar';
import { ImpactDocuments } from './impactDocuments';
import { LiveDiff } from './liveDiff';
import { RenderedPreview } from './renderedPreview';
import { switchPlainTemplates } from './templateLanguageSwitch';
import { createRestrictedModeItem } from './trustStatus';
import { offerToStopDoubleValidation } from './yamlDoubleValidationNotice';

let current: Ctx | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  const ctx = new Ctx(extension);
  current = ctx;
  extension.subscriptions.push(ctx);

  const clusters = ctx.own(new ClustersView(ctx));
  ctx.own(new DriftStatusBar(clusters));
  ctx.own(new DriftCodeLens(clusters));
  const preview = ctx.own(new RenderedPreview(ctx));
  const diff = ctx.own(new LiveDiff(ctx));
  const impact = ctx.own(new ImpactDocuments());
  const branchImpact = ctx.own(new BranchImpactView());
  registerCommands(ctx, { clusters, preview, diff, impact, branchImpact });
  ctx.own(switchPlainTemplates(ctx.log));
  ctx.own(offerToStopDoubleValidation(ctx));

  const restricted = ctx.own(createRestrictedModeItem());
  if (!ctx.trusted) {
    restricted.show();
  }
  ctx.own(
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      restricted.hide();
      ctx.log.info('Workspace trust granted: cluster and binary features are now allowed.');
      await ctx.notifyTrusted();
      clusters.refresh();
    }),
  );
  ctx.own(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affects(event, 'kubeconfig')) {
        clusters.refresh();
      }
    }),
  );
  ctx.own(ctx.onDidChangeServerState(() => clusters.refresh()));

  await ctx.start();
}

export async function deactivate(): Promise<void> {
  await current?.stop();
  current = undefined;
}
