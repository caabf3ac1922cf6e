import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckQueue } from '../../server/src/cli/checkQueue';
import type { FileResult } from '../../server/src/cli/checkQueue';
import { workerCount } from '../../server/src/cli/parallelCheck';

/** The result a thread gives `file`, told apart by `by` (before or after the repository). */
function result(file: string, by: string): FileResult {
  const at = { line: 0, character: 0 };
  return {
    resources: 1,
    findings: [
      {
        file,
        range: { start: at, end: at },
        severity: 'error',
        code: 'unknown-field',
        message: `${by} ${file}`,
      },
    ],
  };
}

/** What every thread checks until the queue is complete: workers by batch, then the main thread. */
function drain(queue: CheckQueue<string>, workers: readonly string[]): void {
  for (let given = true; given;) {
    given = false;
    for (const worker of workers) {
      const batch = queue.batchFor(worker, workers.length + 1);
      if (!batch) continue;
      given = true;
      queue.answered(
        worker,
        batch.map((file) => [file, result(file, 'settled')]),
      );
    }
  }
  for (let file = queue.take(); file !== undefined; file = queue.take()) {
    queue.checked(file, result(file, 'main'));
  }
}

const messages = (queue: CheckQueue<string>): string[] =>
  queue.report().findings.map((finding) => finding.message);

describe('check queue: files checked before the repository is read', () => {
  const files = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, '0')}.yaml`);

  it('keeps the guessed results that hold and checks the others again, in file order', () => {
    const queue = new CheckQueue<string>();
    queue.guess(files);
    const early = queue.batchFor('w', 2) ?? [];
    assert.deepEqual(early, ['f00.yaml', 'f01.yaml']);
    queue.answered(
      'w',
      early.map((file) => [file, result(file, 'guessed')]),
    );
    // The repository names f01 as a patch: its guessed result no longer holds.
    queue.settle(files, (file) => file !== 'f01.yaml');
    assert.equal(queue.complete(), false);
    drain(queue, ['w']);
    assert.equal(queue.complete(), true);
    const report = queue.report();
    assert.equal(report.files, 20);
    assert.equal(report.resources, 20);
    assert.equal(messages(queue)[0], 'guessed f00.yaml');
    assert.match(messages(queue)[1] ?? '', /^(settled|main) f01\.yaml$/);
    assert.deepEqual(
      report.findings.map((finding) => finding.file),
      files,
    );
  });

  it('waits for a guessed batch still being checked, and drops what it says of files that changed', () => {
    const queue = new CheckQueue<string>();
    queue.guess(files);
    const early = queue.batchFor('w', 2) ?? [];
    queue.settle(files, (file) => file !== 'f00.yaml');
    // f01 comes with the batch in flight; f00 is checked again.
    drain(queue, []);
    assert.equal(queue.complete(), false);
    queue.answered(
      'w',
      early.map((file) => [file, result(file, 'guessed')]),
    );
    assert.equal(queue.complete(), true);
    assert.deepEqual(messages(queue).slice(0, 2), ['main f00.yaml', 'guessed f01.yaml']);
  });

  it('checks the files the walk did not guess and forgets those it no longer names', () => {
    const queue = new CheckQueue<string>();
    queue.guess([...files, 'gone.yaml']);
    queue.answered('w', [['gone.yaml', result('gone.yaml', 'guessed')]]);
    queue.settle([...files, 'new.yaml'], () => true);
    drain(queue, ['w', 'v']);
    assert.equal(queue.report().files, 21);
    assert.ok(!messages(queue).some((message) => message.includes('gone.yaml')));
    assert.ok(messages(queue).some((message) => message.endsWith('new.yaml')));
  });

  it('gives the main thread nothing before the repository is read', () => {
    const queue = new CheckQueue<string>();
    queue.guess(files);
    assert.equal(queue.take(), undefined);
    assert.equal(queue.complete(), false);
  });
});

describe('check workers per core', () => {
  it('keeps a core for the main thread, at most 3 workers', () => {
    assert.deepEqual([1, 2, 3, 4, 16].map(workerCount), [0, 1, 2, 3, 3]);
  });
});
