/**
 * Workspace diagnostics: what rendered output says of files that are not open. Rename a
 * ConfigMap in a base and the overlay's patch that now breaks is listed in Problems without being
 * opened. Open documents keep their own pull (the client favours it); a file that closes is
 * reported again, so nothing it showed while open stays behind.
 *
 * The client asks again 2 s after each answer and sends back the result id it holds per file;
 * an answer with nothing new waits (at most a minute, or until the request is cancelled) for
 * something to change, so a quiet workspace costs nothing.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { DocumentDiagnosticReportKind } from 'vscode-languageserver';
import type {
  CancellationToken,
  Connection,
  Diagnostic,
  TextDocuments,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine';
import { findingToDiagnostic } from '../findingToDiagnostic';
import { filePathOf } from '../validationService';

/** How long an answer waits for a change before it says nothing changed. */
const LONG_POLL_MS = 60_000;

/** The rendered findings by file, as the language server keeps them. */
export interface RenderedFindings {
  findingFiles(): ReadonlyMap<string, readonly Finding[]>;
}

/** The result id of a file reported with no findings. */
const CLEARED = 'cleared';

/**
 * Decides what to report from what the client says it has (the result ids it sends back), so
 * an answer the client dropped is simply reported again. Wakes the answer that waits.
 */
export class WorkspaceReports {
  private readonly closedFiles = new Set<string>();
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly rendered: RenderedFindings,
    private readonly openFiles: () => ReadonlySet<string>,
  ) {}

  /** Rendered findings changed, or a document opened or closed. */
  changed(): void {
    for (const wake of this.waiting) wake();
    this.waiting.clear();
  }

  /** A document closed: report its file again, whatever the client had from it. */
  closed(file: string): void {
    this.closedFiles.add(file);
    this.changed();
  }

  /**
   * The reports the client lacks, given the result ids it has by file; when it lacks none, waits
   * for a change (at most `waitMs`, or until cancelled) and looks again.
   */
  async answer(
    previous: ReadonlyMap<string, string>,
    token?: CancellationToken,
    waitMs = LONG_POLL_MS,
  ): Promise<WorkspaceReport[]> {
    const first = this.lacking(previous);
    if (first.length > 0 || token?.isCancellationRequested) return first;
    await this.nextChange(token, waitMs);
    return this.lacking(previous);
  }

  private lacking(previous: ReadonlyMap<string, string>): WorkspaceReport[] {
    const open = this.openFiles();
    const now = new Map<string, Diagnostic[]>();
    for (const [file, findings] of this.rendered.findingFiles()) {
      if (!open.has(file) && findings.length > 0) now.set(file, findings.map(findingToDiagnostic));
    }
    const reports: WorkspaceReport[] = [];
    for (const [file, items] of now) {
      const resultId = createHash('sha1').update(JSON.stringify(items)).digest('hex');
      if (previous.get(file) !== resultId || this.closedFiles.has(file)) {
        reports.push({ file, items, resultId });
      }
    }
    for (const [file, resultId] of previous) {
      if (!now.has(file) && !open.has(file) && resultId !== CLEARED) {
        reports.push({ file, items: [], resultId: CLEARED });
      }
    }
    for (const file of this.closedFiles) {
      if (!now.has(file) && !open.has(file) && previous.get(file) === undefined) {
        reports.push({ file, items: [], resultId: CLEARED });
      }
    }
    this.closedFiles.clear();
    return reports;
  }

  private nextChange(token: CancellationToken | undefined, waitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        listener?.dispose();
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      const listener = token?.onCancellationRequested(done);
      this.waiting.add(done);
    });
  }
}

/** One file's report: its rendered findings as diagnostics (none: cleared). */
export interface WorkspaceReport {
  readonly file: string;
  readonly items: readonly Diagnostic[];
  readonly resultId: string;
}

/** Answers `workspace/diagnostic` from `reports`, and keeps them told of opened and closed files. */
export function registerWorkspaceDiagnostics(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  reports: WorkspaceReports,
): void {
  documents.onDidOpen(() => reports.changed());
  documents.onDidClose(({ document }) => {
    const file = filePathOf(document.uri);
    if (file) reports.closed(file);
  });
  connection.languages.diagnostics.onWorkspace(async (params, token) => {
    const previous = new Map<string, string>();
    for (const { uri, value } of params.previousResultIds) {
      const file = filePathOf(uri);
      if (file) previous.set(file, value);
    }
    const changed = await reports.answer(previous, token);
    return {
      items: changed.map(({ file, items, resultId }): WorkspaceDocumentDiagnosticReport => ({
        kind: DocumentDiagnosticReportKind.Full,
        uri: pathToFileURL(file).href,
        version: null,
        resultId,
        items: [...items],
      })),
    };
  });
}
