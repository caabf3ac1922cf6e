import { CodeActionKind } from 'vscode-languageserver';
import type { CodeAction, Connection } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE } from '../findingToDiagnostic';
import type { DiagnosticData } from '../findingToDiagnostic';
import type { Fix } from '../engine';

/** Quick fixes: the mechanical fixes that our diagnostics carry (e.g. a new apiVersion). */
export function registerCodeActions(connection: Connection): void {
  connection.onCodeAction((params): CodeAction[] => {
    const actions: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      const data: unknown = (diagnostic.data as Partial<DiagnosticData> | undefined)?.fixes;
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || !Array.isArray(data)) {
        continue;
      }
      const fixes = data as readonly Fix[];
      for (const fix of fixes) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fixes.length === 1,
          edit: {
            changes: { [params.textDocument.uri]: [{ range: fix.range, newText: fix.newText }] },
          },
        });
      }
    }
    return actions;
  });
}
