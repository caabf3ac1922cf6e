import * as vscode from 'vscode';

export const IMPACT_SCHEME = 'gitops-workbench-impact';
const MAX_DOCUMENTS = 20;

/** An impact document as `show` opened it. */
export interface ShownImpact {
  readonly uri: vscode.Uri;
  /** The editor groups that were open before: only a group opened for the document is closed. */
  readonly groupsBefore: ReadonlySet<vscode.TabGroup>;
}

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

  /**
   * Opens `text` as `<name>.diff` beside the active editor (in the active group when it is empty), or refreshes it when it is open;
   * returns what `close` needs.
   */
  async show(name: string, text: string): Promise<ShownImpact> {
    const groupsBefore: ReadonlySet<vscode.TabGroup> = new Set(vscode.window.tabGroups.all);
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
    // Beside an empty group would leave that group empty: then the document takes it.
    const active = vscode.window.tabGroups.activeTabGroup;
    await vscode.window.showTextDocument(document, {
      viewColumn: active.tabs.length === 0 ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: true,
    });
    return { uri, groupsBefore };
  }

  /**
   * Closes the document's tabs (when `closeTabs`: the user said no), then any editor group that
   * `show` opened and that is empty now, so no empty group is left behind.
   */
  async close(shown: ShownImpact, closeTabs: boolean): Promise<void> {
    const key = shown.uri.toString();
    const groups = vscode.window.tabGroups;
    if (closeTabs) {
      const tabs = groups.all.flatMap((group) =>
        group.tabs.filter(
          (tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key,
        ),
      );
      if (tabs.length > 0) await groups.close(tabs, true);
    }
    const empty = groups.all.filter(
      (group) => group.tabs.length === 0 && !shown.groupsBefore.has(group),
    );
    if (empty.length > 0 && empty.length < groups.all.length) await groups.close(empty, true);
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
