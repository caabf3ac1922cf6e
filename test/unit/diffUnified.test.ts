import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unifiedDiff } from '../../server/src/engine/diff/unifiedDiff';

const labels = { leftLabel: 'live', rightLabel: 'git' };

describe('unifiedDiff', () => {
  it('prints the hunks of diff -u', () => {
    const left = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
    const right = 'a\nb\nX\nd\ne\nf\ng\nh\ni\nj\nk\nl\n';
    assert.equal(
      unifiedDiff(left, right, { ...labels, context: 2 }),
      [
        '--- live',
        '+++ git',
        '@@ -1,5 +1,5 @@',
        ' a',
        ' b',
        '-c',
        '+X',
        ' d',
        ' e',
        '@@ -10,2 +10,3 @@',
        ' j',
        ' k',
        '+l',
        '',
      ].join('\n'),
    );
  });

  it('merges changes whose contexts touch and names empty ranges by the line before', () => {
    assert.equal(
      unifiedDiff('a\nb\nc\n', 'a\nc\n', labels),
      '--- live\n+++ git\n@@ -1,3 +1,2 @@\n a\n-b\n c\n',
    );
    assert.equal(unifiedDiff('', 'x\n', labels), '--- live\n+++ git\n@@ -0,0 +1 @@\n+x\n');
  });

  it('gives the empty string for identical texts', () => {
    assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', labels), '');
    assert.equal(unifiedDiff('', '', labels), '');
  });

  it('diffs 5,000 lines with a few changes quickly', () => {
    const left = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    const right = [...left];
    right[10] = 'changed 10';
    right.splice(2500, 1);
    right.splice(4000, 0, 'inserted');
    right[4990] = 'changed 4990';
    const started = performance.now();
    const diff = unifiedDiff(left.join('\n') + '\n', right.join('\n') + '\n', labels);
    assert.ok(performance.now() - started < 1000);
    const changes = diff.split('\n').filter((line) => /^[-+][^-+]/.test(line));
    assert.deepEqual(changes, [
      '-line 10',
      '+changed 10',
      '-line 2500',
      '+inserted',
      '-line 4990',
      '+changed 4990',
    ]);
  });

  it('stays correct and quick for texts that share nothing', () => {
    const left = Array.from({ length: 5000 }, (_, i) => `left ${i}`).join('\n') + '\n';
    const right = Array.from({ length: 5000 }, (_, i) => `right ${i}`).join('\n') + '\n';
    const started = performance.now();
    const lines = unifiedDiff(left, right, labels).split('\n');
    assert.ok(performance.now() - started < 1000);
    assert.equal(lines[2], '@@ -1,5000 +1,5000 @@');
    assert.equal(lines.filter((line) => line.startsWith('-left')).length, 5000);
    assert.equal(lines.filter((line) => line.startsWith('+right')).length, 5000);
  });
});
