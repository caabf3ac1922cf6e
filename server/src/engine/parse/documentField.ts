/**
 * The line of a field in one document of a file, for messages about a field of a document found
 * earlier by its first line (a Flux or Argo CD path that names no folder, a chart input).
 */
import { LineCounter } from 'yaml';
import { parseAllDocuments } from './boundedYaml';
import { LineIndex } from './lineIndex';
import { locate } from './locate';
import type { FieldPath } from './locate';

/** One-based line of `path` in the document of `text` whose content starts on `documentLine`. */
export function fieldLineInDocument(
  text: string,
  documentLine: number,
  path: FieldPath,
): number | undefined {
  const counter = new LineCounter();
  const lines = new LineIndex(text);
  for (const doc of parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false })) {
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    if (counter.linePos(start).line !== documentLine) continue;
    const range = locate(doc.contents, path, lines);
    return range ? range.start.line + 1 : undefined;
  }
  return undefined;
}
