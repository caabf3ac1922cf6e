import { DocumentDiagnosticReportKind, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type {
  CancellationToken,
  Connection,
  DocumentDiagnosticParams,
  DocumentDiagnosticReport,
  TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { escapeControls } from '../controlChars';
import { toAbortSignal } from '../cancellation';
import { findingToDiagnostic } from '../findingToDiagnostic';
import type { DocumentSettings } from '../settings';
import type { SettingsProvider } from '../settingsCache';
import type { Finding } from '../engine';
import type { RenderValidation } from '../renderValidation';
import type { ValidationService } from '../validationService';
import { filePathOf } from '../validationService';
import { renderedBeside } from '../engine/check/renderedRepeats';

/**
 * Pull diagnostics: the client asks, we answer with the findings of the document's current text.
 * A report is tagged with the document's version so an unchanged document costs nothing.
 * A failure answers with an empty report (never a stale one) and is logged.
 */
export function registerDiagnostics(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  settings: SettingsProvider,
  validation: ValidationService,
  rendered: RenderValidation,
): void {
  connection.languages.diagnostics.on(
    async (params: DocumentDiagnosticParams, token: CancellationToken) => {
      const document = documents.get(params.textDocument.uri);
      if (!document) {
        return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      }
      // TextDocuments updates documents in place: remember which version this request is about.
      const version = document.version;
      const documentSettings = await settings.get(document.uri);
      const { validationEnabled, kubernetesVersion } = documentSettings;
      const resultId = `${validationEnabled ? `${kubernetesVersion}/${documentSettings.clusterContext}` : 'off'}:${version}:${validation.generation}.${rendered.generation}`;
      if (params.previousResultId === resultId) {
        return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
      }
      if (!validationEnabled) {
        return { kind: DocumentDiagnosticReportKind.Full, resultId, items: [] };
      }
      // Cancelled while the settings were read (VS Code cancels a pull when it pulls the same
      // document again): an empty report under this result id would clear the problems, and the
      // next pull would be told they are unchanged.
      if (token.isCancellationRequested) {
        throw superseded();
      }
      // Debounce: let a burst of keystrokes settle; a newer edit supersedes this request.
      await delay(
        document.lineCount > LARGE_DOCUMENT_LINES ? LARGE_DEBOUNCE_MS : SMALL_DEBOUNCE_MS,
      );
      if (token.isCancellationRequested || document.version !== version) {
        throw superseded();
      }
      return diagnose(
        connection,
        validation,
        rendered,
        document,
        documentSettings,
        resultId,
        token,
      );
    },
  );
}

const LARGE_DOCUMENT_LINES = 2000;
const LARGE_DEBOUNCE_MS = 60;
const SMALL_DEBOUNCE_MS = 15;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The answer to a request that a newer edit made pointless: the client asks again. */
function superseded(): ResponseError<{ retriggerRequest: boolean }> {
  return new ResponseError(
    LSPErrorCodes.ServerCancelled,
    'A newer edit superseded this validation.',
    {
      retriggerRequest: true,
    },
  );
}

async function diagnose(
  connection: Connection,
  validation: ValidationService,
  rendered: RenderValidation,
  document: TextDocument,
  documentSettings: DocumentSettings,
  resultId: string,
  token: CancellationToken,
): Promise<DocumentDiagnosticReport> {
  try {
    const result = await validation.validate(
      document.uri,
      document.getText(),
      documentSettings,
      toAbortSignal(token),
    );
    return {
      kind: DocumentDiagnosticReportKind.Full,
      resultId,
      items: withRendered(
        result.findings,
        rendered.findingsFor(filePathOf(document.uri) ?? '', document.getText()),
      ).map(findingToDiagnostic),
    };
  } catch (error) {
    if (token.isCancellationRequested) {
      throw superseded();
    }
    connection.console.error(
      escapeControls(
        `Validation of ${document.uri} failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  }
}

/** The file's own findings, then those of rendered output that say something more. */
export function withRendered(own: readonly Finding[], rendered: readonly Finding[]): Finding[] {
  return [...own, ...renderedBeside(own, rendered)];
}
