import * as vscode from 'vscode';

export const IMPACT_SCHEME = 'gitops-workbench-impact';
const MAX_DOCUMENTS = 20;

/**
 * Read-only documents (language `diff`) of what a commit, or the revert of it, changes in the
 * rendered output. The text is computed by the caller; this keeps the last few by URI.
 */
export class ImpactDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly texts = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(IMPACT_SCHEME, this),
      this.changed,
    );
  }

  /** Opens `text` as `<name>.diff` beside the active editor, or refreshes it when it is open. */
  async show(name: string, text: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: IMPACT_SCHEME, path: `/${name}.diff` });
    const key = uri.toString();
    this.texts.delete(key);
    this.texts.set(key, text);
    for (const old of [...this.texts.keys()].slice(0, -MAX_DOCUMENTS)) {
      this.texts.delete(old);
    }
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'diff') {
      await vscode.languages.setTextDocumentLanguage(document, 'diff');
    }
    await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: true,
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.texts.get(uri.toString()) ??
      '# This document is no longer available: show the rendered changes of the commit again.\n'
    );
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      disposable.dispose();
    }
  }
}
