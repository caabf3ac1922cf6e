import { splitDocuments } from '../parse/documentChunks';
import { parseManifestText } from '../parse/manifestDocuments';
import type { ManifestDocument } from '../parse/manifestDocuments';
import type { LineIndex } from '../parse/lineIndex';
import type { Position } from '../types';

export interface DocumentAtPosition {
  readonly document: ManifestDocument;
  readonly lines: LineIndex;
  /** Offset of the position within the chunk's text. */
  readonly offset: number;
  /** The text of the position's line up to the cursor. */
  readonly linePrefix: string;
  /** Zero-based line of the chunk in the whole text, to map ranges back. */
  readonly startLine: number;
}

/** The document of a multi-document text that holds `position`, parsed. */
export function documentAt(text: string, position: Position): DocumentAtPosition | undefined {
  const chunks = splitDocuments(text);
  const chunk = [...chunks].reverse().find((candidate) => candidate.startLine <= position.line);
  if (!chunk) {
    return undefined;
  }
  const parsed = parseManifestText(chunk.text);
  const localLine = position.line - chunk.startLine;
  const lineStart = parsed.lines.lineStart(localLine);
  const offset = lineStart + position.character;
  const document =
    parsed.documents.find((candidate) => {
      const [start, , end] = candidate.ast.range;
      return offset >= start && offset <= end;
    }) ?? parsed.documents.at(-1);
  if (!document) {
    return undefined;
  }
  return {
    document,
    lines: parsed.lines,
    offset,
    linePrefix: chunk.text.slice(lineStart, offset),
    startLine: chunk.startLine,
  };
}
