import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver/node';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileEvent } from '../engine';
import { filePathOf } from '../validationService';

/** The open documents' text by absolute path (documents on disk only). */
export function openFiles(documents: TextDocuments<TextDocument>): Map<string, string> {
  return new Map(
    documents.all().flatMap((doc): Array<[string, string]> => {
      const file = filePathOf(doc.uri);
      return file ? [[file, doc.getText()]] : [];
    }),
  );
}

/**
 * Files created, changed or deleted on disk (saved, checked out, generated) reach the workspace
 * through the client's file watcher; an open document's buffer is what the workspace reads of it.
 */
export function registerWorkspaceFiles(
  connection: Connection,
  overlays: () => ReadonlyMap<string, string>,
  changed: (events: FileEvent[]) => void,
): void {
  connection.onDidChangeWatchedFiles((params) => {
    const open = overlays();
    const events = params.changes.flatMap((change): FileEvent[] => {
      const file = filePathOf(change.uri);
      if (!file) return [];
      if (change.type === FileChangeType.Deleted) return [{ type: 'deleted', path: file }];
      const text = open.get(file);
      return [
        {
          type: change.type === FileChangeType.Created ? 'created' : 'changed',
          path: file,
          ...(text !== undefined ? { text } : {}),
        },
      ];
    });
    if (events.length > 0) changed(events);
  });
}

/**
 * Asks the client to report every file event of the workspace (a dynamic registration, so no
 * client code is needed); the workspace ignores what it never reads (.git, node_modules...).
 */
export async function watchWorkspaceFiles(connection: Connection): Promise<void> {
  await connection.client.register(DidChangeWatchedFilesNotification.type, {
    watchers: [{ globPattern: '**/*' }],
  });
}
