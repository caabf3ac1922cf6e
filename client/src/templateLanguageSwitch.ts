import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { plainManifestLanguage } from './templateLanguage';

/**
 * Gives plain manifests in a `templates` folder outside any chart back their YAML language (the
 * `helm-template` file patterns catch them), for open documents and those opened later.
 */
export function switchPlainTemplates(log: vscode.LogOutputChannel): vscode.Disposable {
  const check = async (document: vscode.TextDocument): Promise<void> => {
    if (document.uri.scheme !== 'file') return;
    const language = plainManifestLanguage(document.languageId, document.uri.fsPath, existsSync);
    if (!language) return;
    try {
      await vscode.languages.setTextDocumentLanguage(document, language);
    } catch (error) {
      log.warn(
        `${document.uri.fsPath} is in no chart but stays a Helm template: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  for (const document of vscode.workspace.textDocuments) void check(document);
  return vscode.workspace.onDidOpenTextDocument((document) => void check(document));
}
