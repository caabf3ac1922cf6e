/** A slice of a multi-document YAML text that holds one document. */
export interface DocumentChunk {
  readonly text: string;
  /** Zero-based line of the chunk's first line in the whole text. */
  readonly startLine: number;
}

/** A `---` document marker at the start of a line (not the text's first line). */
const SEPARATOR = /\n---(?=[ \t\r\n]|$)/g;

/**
 * Splits a YAML stream at its `---` lines, so each document can be parsed and validated on its
 * own and an edit re-validates only the document it touches. A separator line starts the chunk
 * it opens. Block scalars cannot hold a line starting with `---` at column 0, so the split is
 * exact for manifests. Lazy: a consumer can stop or pause between chunks.
 */
export function* iterateDocuments(text: string): Generator<DocumentChunk> {
  const separator = new RegExp(SEPARATOR.source, 'g');
  let chunkStart = 0;
  let chunkStartLine = 0;
  let match: RegExpExecArray | null;
  while ((match = separator.exec(text)) !== null) {
    const next = match.index + 1;
    yield { text: text.slice(chunkStart, next), startLine: chunkStartLine };
    chunkStartLine += countNewlines(text, chunkStart, next);
    chunkStart = next;
  }
  yield { text: text.slice(chunkStart), startLine: chunkStartLine };
}

export function splitDocuments(text: string): DocumentChunk[] {
  return [...iterateDocuments(text)];
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (
    let index = text.indexOf('\n', from);
    index !== -1 && index < to;
    index = text.indexOf('\n', index + 1)
  ) {
    count++;
  }
  return count;
}
