import { DocumentDiagnosticReportKind } from 'vscode-languageserver';
import type {
  CancellationToken,
  Connection,
  DocumentDiagnosticParams,
  DocumentDiagnosticReport,
  TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { validateManifestText } from '../engine';
import { findingToDiagnostic } from '../findingToDiagnostic';
import type { SettingsCache } from '../settingsCache';

/**
 * Pull diagnostics: the client asks, we answer with the findings of the document's current text.
 * A report is tagged with the document's version so an unchanged document costs nothing.
 * A failure answers with an empty report (never a stale one) and is logged.
 */
export function registerDiagnostics(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  settings: SettingsCache,
): void {
  connection.languages.diagnostics.on(
    async (params: DocumentDiagnosticParams, token: CancellationToken) => {
      const document = documents.get(params.textDocument.uri);
      if (!document) {
        return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      }
      const { validationEnabled } = await settings.get(document.uri);
      const resultId = `${validationEnabled ? 'on' : 'off'}:${document.version}`;
      if (params.previousResultId === resultId) {
        return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
      }
      if (!validationEnabled || token.isCancellationRequested) {
        return { kind: DocumentDiagnosticReportKind.Full, resultId, items: [] };
      }
      return diagnose(connection, document, resultId);
    },
  );
}

function diagnose(
  connection: Connection,
  document: TextDocument,
  resultId: string,
): DocumentDiagnosticReport {
  try {
    const result = validateManifestText(document.getText(), { path: filePathOf(document.uri) });
    return {
      kind: DocumentDiagnosticReportKind.Full,
      resultId,
      items: result.findings.map(findingToDiagnostic),
    };
  } catch (error) {
    connection.console.error(
      `Validation of ${document.uri} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  }
}

function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) {
    return undefined;
  }
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
