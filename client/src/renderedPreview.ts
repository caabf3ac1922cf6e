import * as vscode from 'vscode';
import { editorText } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import {
  chosenUnit,
  previewQuery,
  previewTargetOf,
  previewTitle,
  unitItems,
} from './renderedUnitsText';

export const RENDERED_SCHEME = 'gitops-workbench-rendered';
const REFRESH_DELAY_MS = 400;

/**
 * Read-only documents that show what a unit renders (Secrets masked), updated while the user
 * types in any file: the server renders with the unsaved buffers.
 */
export class RenderedPreview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(RENDERED_SCHEME, this),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.scheme === 'file' && openPreviews().length > 0) {
          this.scheduleRefresh();
        }
      }),
      this.changed,
    );
  }

  /**
   * Opens the rendered manifests of `source`'s unit beside it; when the file belongs to several
   * (a chart's defaults and the HelmReleases and Applications that deploy it), the user picks
   * one first. The preview keeps rendering that unit while it refreshes.
   */
  async show(source: vscode.Uri): Promise<void> {
    const listed = await this.ctx.renderUnits(source.toString());
    const units = listed?.units ?? [];
    let chosen = units[0];
    if (units.length > 1) {
      const picked = await vscode.window.showQuickPick(unitItems(units), {
        title: `Render ${source.path.split('/').at(-1) ?? 'the file'} as part of`,
        placeHolder: 'Choose the chart defaults, or the app whose values to render with',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!picked) return;
      chosen = picked.unit;
    }
    const uri = vscode.Uri.from({
      scheme: RENDERED_SCHEME,
      path: `/${previewTitle(chosen?.label ?? source.path.split('/').at(-1) ?? 'manifests')}`,
      query: previewQuery({
        source: source.toString(),
        ...(chosen ? { unit: chosenUnit(chosen) } : {}),
      }),
    });
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'yaml');
    await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: true,
    });
  }

  async provideTextDocumentContent(
    uri: vscode.Uri,
    token: vscode.CancellationToken,
  ): Promise<string> {
    const target = previewTargetOf(uri.query);
    if (!target) {
      return '# This preview names no file: run Show Rendered Manifests again.\n';
    }
    const result = await this.ctx.renderedManifests(target.source, target.unit, token);
    if (!result) {
      return '# The GitOps Workbench language server is not running: restart it to see rendered manifests.\n';
    }
    if (result.error) {
      const text = editorText(result.error, result.hint);
      return `# ${result.title} does not render:\n# ${text.replace(/\n/g, '\n# ')}\n`;
    }
    return `# ${result.title}, rendered by GitOps Workbench (Secret values masked; updates as you type)\n${result.yaml}`;
  }

  private scheduleRefresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      for (const uri of openPreviews()) {
        this.changed.fire(uri);
      }
    }, REFRESH_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }
}

/**
 * The previews open now. Asked of the editor each time: setting a document's language closes and
 * reopens it, so a set kept from the open and close events lost the preview it had just opened.
 */
function openPreviews(): vscode.Uri[] {
  return vscode.workspace.textDocuments
    .filter((document) => document.uri.scheme === RENDERED_SCHEME && !document.isClosed)
    .map((document) => document.uri);
}
