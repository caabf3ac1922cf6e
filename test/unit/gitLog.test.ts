import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GitQueue, assertSafeRef, firstLine, runGit } from '../../server/src/engine/git/gitRunner';
import { pathInSnapshot } from '../../server/src/engine/git/headSnapshot';
import { parseLog } from '../../server/src/engine/git/history';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseStatus } from '../../server/src/engine/git/repoState';
import { GitError } from '../../server/src/engine/git/types';

const US = '\x1f';
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

function record(...fields: string[]): string {
  return fields.join(US);
}

describe('parseLog', () => {
  it('reads commits separated by NUL with unit-separated fields', () => {
    const text =
      record(
        A,
        'aaaaaaa',
        'Ada Lovelace',
        'ada@example.com',
        '2026-11-20T10:00:00+01:00',
        B,
        'Scale podinfo to 3',
      ) +
      '\0' +
      record(B, 'bbbbbbb', 'Bob', 'bob@example.com', '2026-11-19T09:00:00Z', '', 'Initial commit') +
      '\0';
    assert.deepEqual(parseLog(text), [
      {
        sha: A,
        shortSha: 'aaaaaaa',
        author: 'Ada Lovelace',
        email: 'ada@example.com',
        date: '2026-11-20T10:00:00+01:00',
        subject: 'Scale podinfo to 3',
        parents: [B],
      },
      {
        sha: B,
        shortSha: 'bbbbbbb',
        author: 'Bob',
        email: 'bob@example.com',
        date: '2026-11-19T09:00:00Z',
        subject: 'Initial commit',
        parents: [],
      },
    ]);
  });

  it('lists both parents of a merge and keeps odd characters of the subject', () => {
    const text = record(
      C,
      'ccccccc',
      'M',
      'm@x',
      '2026-11-21T00:00:00Z',
      `${A} ${B}`,
      'Merge: a | b; "c" — ü',
    );
    const [commit] = parseLog(`\n${text}\0`);
    assert.deepEqual(commit?.parents, [A, B]);
    assert.equal(commit?.subject, 'Merge: a | b; "c" — ü');
  });

  it('returns nothing for empty output and skips records it cannot read', () => {
    assert.deepEqual(parseLog(''), []);
    assert.deepEqual(parseLog('fatal: bad revision\0'), []);
    assert.deepEqual(parseLog(record('not-a-sha', 'x', 'a', 'e', 'd', '', 's') + '\0'), []);
  });
});

describe('assertSafeRef', () => {
  it('accepts SHAs, branches and upstream names', () => {
    for (const ref of [
      A,
      'abc1234',
      'main',
      'rollback/abc1234-2',
      'origin/main',
      'HEAD~1',
      'feature/x@{upstream}',
    ]) {
      assert.doesNotThrow(() => assertSafeRef(ref), ref);
    }
  });

  it('refuses options, ranges, whitespace and control characters as badRef', () => {
    for (const ref of [
      '',
      '-x',
      '--upload-pack=touch /tmp/pwned',
      'main..evil',
      'a b',
      'a\tb',
      'a\nb',
      'a\0b',
      'a\x7fb',
    ]) {
      assert.throws(
        () => assertSafeRef(ref),
        (error: unknown) => error instanceof GitError && error.reason === 'badRef',
        JSON.stringify(ref),
      );
    }
  });

  it('does not echo control characters in its message', () => {
    assert.throws(
      () => assertSafeRef('a\x1b[31mb'),
      (error: unknown) => error instanceof GitError && !error.message.includes('\x1b'),
    );
  });
});

describe('parseStatus and firstLine', () => {
  it('lists changed, untracked and renamed files from porcelain -z output', () => {
    assert.deepEqual(parseStatus(' M a.yaml\0?? new dir/b.yaml\0R  c.yaml\0old.yaml\0'), [
      'a.yaml',
      'new dir/b.yaml',
      'c.yaml',
    ]);
    assert.deepEqual(parseStatus(''), []);
  });

  it('picks the line of git output that says what went wrong', () => {
    assert.equal(
      firstLine(
        'To /tmp/remote.git\n ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs\n',
      ),
      '! [rejected]        main -> main (fetch first)',
    );
    assert.equal(firstLine('\n\nsomething odd\n'), 'something odd');
  });
});

describe('GitQueue', () => {
  function gate(): { promise: Promise<void>; open: () => void } {
    let open = (): void => undefined;
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { promise, open };
  }

  it('runs at most its limit at once, the rest in order as slots free', async () => {
    const queue = new GitQueue(2);
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, index) =>
      queue.run(async () => {
        started.push(index);
        await g.promise;
        return index;
      }),
    );
    await Promise.resolve();
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(queue.counts, { running: 2, waiting: 1 });
    gates[0]?.open();
    assert.equal(await runs[0], 0);
    await Promise.resolve();
    assert.deepEqual(started, [0, 1, 2]);
    gates[1]?.open();
    gates[2]?.open();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2]);
    assert.deepEqual(queue.counts, { running: 0, waiting: 0 });
  });

  it('a waiting task whose signal aborts leaves the queue as cancelled and never runs', async () => {
    const queue = new GitQueue(1);
    const g = gate();
    const first = queue.run(() => g.promise);
    const controller = new AbortController();
    let ran = false;
    const second = queue.run(() => {
      ran = true;
      return Promise.resolve();
    }, controller.signal);
    controller.abort();
    await assert.rejects(
      second,
      (error: unknown) => error instanceof GitError && error.reason === 'cancelled',
    );
    assert.deepEqual(queue.counts, { running: 1, waiting: 0 });
    g.open();
    await first;
    assert.equal(ran, false);
    assert.deepEqual(queue.counts, { running: 0, waiting: 0 });
  });

  it('runGit with an aborted signal is cancelled before git starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      runGit(process.cwd(), ['status'], { signal: controller.signal, gitPath: '/nonexistent/git' }),
      (error: unknown) => error instanceof GitError && error.reason === 'cancelled',
    );
  });
});

describe('pathInSnapshot', () => {
  it('gives the repository path of a file in a snapshot folder, nothing elsewhere', () => {
    const snapshot = path.join(os.tmpdir(), 'gitops-workbench-head-AbC123', 'tree');
    assert.equal(
      pathInSnapshot(path.join(snapshot, 'apps', 'base', 'deployment.yaml')),
      'apps/base/deployment.yaml',
    );
    assert.equal(pathInSnapshot(snapshot), '');
    assert.equal(pathInSnapshot(path.join(os.tmpdir(), 'other', 'tree', 'a.yaml')), undefined);
    assert.equal(pathInSnapshot('/work/repo/apps/a.yaml'), undefined);
  });
});
