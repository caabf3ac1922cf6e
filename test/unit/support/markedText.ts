import type { Range } from '../../../server/src/engine';

/**
 * Test texts mark the range a finding must underline with `⟦` and `⟧`, so a test reads like
 * the editor looks: `kind: ⟦Deploymnt⟧`.
 */
export function markedText(marked: string): { text: string; range: Range } {
  const open = marked.indexOf('⟦');
  const close = marked.indexOf('⟧');
  if (open === -1 || close === -1 || close < open) {
    throw new Error('markedText needs one ⟦ and one ⟧ after it');
  }
  const text = marked.slice(0, open) + marked.slice(open + 1, close) + marked.slice(close + 1);
  return { text, range: { start: positionOf(text, open), end: positionOf(text, close - 1) } };
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: (before.at(-1) ?? '').length };
}
