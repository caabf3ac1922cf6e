import type { Connection, Location, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { valuesReferencesAt } from '../engine';
import { toAbortSignal } from '../cancellation';
import { filePathOf } from '../validationService';
import { openTexts } from './assistHandlers';

/** Find references from a key of a chart's values file to the template lines that read it. */
export function registerValuesReferences(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
): void {
  connection.onReferences(async (params, token): Promise<Location[]> => {
    const document = documents.get(params.textDocument.uri);
    const file = document ? filePathOf(document.uri) : undefined;
    if (!document || !file) return [];
    const open = openTexts(documents);
    const found = await valuesReferencesAt(document.getText(), params.position, file, {
      readText: (candidate) => open.get(candidate),
      includeDeclaration: params.context.includeDeclaration,
      signal: toAbortSignal(token),
    });
    return (found ?? []).map((at) => ({ uri: pathToFileURL(at.file).href, range: at.range }));
  });
}
