import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex } from '../../server/src/engine/parse/lineIndex';

describe('LineIndex', () => {
  const index = new LineIndex('ab\ncd\n\nef');

  it('maps offsets to zero-based lines and characters', () => {
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(2), { line: 0, character: 2 });
    assert.deepEqual(index.positionAt(3), { line: 1, character: 0 });
    assert.deepEqual(index.positionAt(6), { line: 2, character: 0 });
    assert.deepEqual(index.positionAt(8), { line: 3, character: 1 });
  });

  it('clamps offsets outside the text', () => {
    assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(999), { line: 3, character: 2 });
  });

  it('counts lines, including an empty last one', () => {
    assert.equal(index.lineCount, 4);
    assert.equal(new LineIndex('a\n').lineCount, 2);
  });
});
