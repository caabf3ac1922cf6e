/** A slice of a multi-document YAML text that holds one document. */
export interface DocumentChunk {
  readonly text: string;
  /** Zero-based line of the chunk's first line in the whole text. */
  readonly startLine: number;
}

const SEPARATOR = /^---(?:[ \t\r]|$)/;

/**
 * Splits a YAML stream at its `---` lines, so each document can be parsed and validated on its
 * own and an edit re-validates only the document it touches. A separator line starts the chunk
 * it opens. Block scalars cannot hold a line starting with `---` at column 0, so the split is
 * exact for manifests.
 */
export function splitDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let chunkStart = 0;
  let chunkStartLine = 0;
  let line = 0;
  let offset = 0;
  while (offset <= text.length) {
    const newline = text.indexOf('\n', offset);
    const end = newline === -1 ? text.length : newline;
    if (line > 0 && SEPARATOR.test(text.slice(offset, Math.min(end, offset + 4)))) {
      chunks.push({ text: text.slice(chunkStart, offset), startLine: chunkStartLine });
      chunkStart = offset;
      chunkStartLine = line;
    }
    if (newline === -1) {
      break;
    }
    offset = newline + 1;
    line++;
  }
  chunks.push({ text: text.slice(chunkStart), startLine: chunkStartLine });
  return chunks;
}
