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

/**
 * The one-based line where the document holding one-based `line` starts (its first line that is
 * not `---`, blank or a comment), as units and findings name a document; undefined when that
 * document holds nothing.
 */
export function documentStartLine(text: string, line: number): number | undefined {
  let holding: DocumentChunk | undefined;
  for (const chunk of iterateDocuments(text)) {
    if (chunk.startLine > line - 1) break;
    holding = chunk;
  }
  if (!holding) return undefined;
  const lines = holding.text.split('\n');
  for (const [index, content] of lines.entries()) {
    const trimmed = content.trim();
    const marker = index === 0 && /^---(?:\s|$)/.test(content);
    if (trimmed !== '' && !trimmed.startsWith('#') && !marker) return holding.startLine + index + 1;
  }
  return undefined;
}
