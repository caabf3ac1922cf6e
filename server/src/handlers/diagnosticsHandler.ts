import { DocumentDiagnosticReportKind, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type {
  CancellationToken,
  Connection,
  DocumentDiagnosticParams,
  DocumentDiagnosticReport,
  TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toAbortSignal } from '../cancellation';
import { findingToDiagnostic } from '../findingToDiagnostic';
import type { SettingsCache } from '../settingsCache';
import type { ValidationService } from '../validationService';

/**
 * Pull diagnostics: the client asks, we answer with the findings of the document's current text.
 * A report is tagged with the document's version so an unchanged document costs nothing.
 * A failure answers with an empty report (never a stale one) and is logged.
 */
export function registerDiagnostics(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  settings: SettingsCache,
  validation: ValidationService,
): void {
  connection.languages.diagnostics.on(
    async (params: DocumentDiagnosticParams, token: CancellationToken) => {
      const document = documents.get(params.textDocument.uri);
      if (!document) {
        return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      }
      const { validationEnabled, kubernetesVersion } = await settings.get(document.uri);
      const resultId = `${validationEnabled ? kubernetesVersion || 'on' : 'off'}:${document.version}:${validation.generation}`;
      if (params.previousResultId === resultId) {
        return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
      }
      if (!validationEnabled || token.isCancellationRequested) {
        return { kind: DocumentDiagnosticReportKind.Full, resultId, items: [] };
      }
      return diagnose(connection, validation, document, kubernetesVersion, resultId, token);
    },
  );
}

async function diagnose(
  connection: Connection,
  validation: ValidationService,
  document: TextDocument,
  kubernetesVersion: string,
  resultId: string,
  token: CancellationToken,
): Promise<DocumentDiagnosticReport> {
  try {
    const result = await validation.validate(
      document.uri,
      document.getText(),
      kubernetesVersion,
      toAbortSignal(token),
    );
    return {
      kind: DocumentDiagnosticReportKind.Full,
      resultId,
      items: result.findings.map(findingToDiagnostic),
    };
  } catch (error) {
    if (token.isCancellationRequested) {
      // A newer edit superseded this request: let the client ask again.
      throw new ResponseError(
        LSPErrorCodes.ServerCancelled,
        'Validation was cancelled by a newer edit.',
        {
          retriggerRequest: true,
        },
      );
    }
    connection.console.error(
      `Validation of ${document.uri} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  }
}
