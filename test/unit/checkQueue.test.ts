import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CheckQueue, SharedList } from '../../server/src/cli/checkQueue';
import type { FileResult } from '../../server/src/cli/checkQueue';
import { BYTES_PER_WORKER, workerCount, yamlSize } from '../../server/src/cli/parallelCheck';
import type { YamlSize } from '../../server/src/cli/parallelCheck';

/** The result a thread gives `file`, told apart by `by`. */
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

const messages = (queue: CheckQueue): string[] =>
  queue.report().findings.map((finding) => finding.message);

describe('check queue: files checked before the repository is read', () => {
  const files = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, '0')}.yaml`);

  it('keeps the guessed results that hold and checks the others again, in file order', () => {
    const queue = new CheckQueue();
    queue.guess(files);
    queue.found('f00.yaml', result('f00.yaml', 'guessed'), true);
    queue.found('f01.yaml', result('f01.yaml', 'guessed'), true);
    // The repository names f01 as a patch: its guessed result no longer holds.
    const left = queue.settle(files, (file) => file !== 'f01.yaml', 2);
    assert.deepEqual(
      left,
      files.slice(1).filter((file) => file !== 'f00.yaml'),
    );
    assert.equal(queue.complete(), false);
    for (const file of [...left].reverse()) queue.found(file, result(file, 'settled'), false);
    assert.equal(queue.complete(), true);
    const report = queue.report();
    assert.equal(report.files, 20);
    assert.equal(report.resources, 20);
    assert.deepEqual(messages(queue).slice(0, 3), [
      'guessed f00.yaml',
      'settled f01.yaml',
      'settled f02.yaml',
    ]);
    assert.deepEqual(
      report.findings.map((finding) => finding.file),
      files,
    );
  });

  it('waits for a guessed file still being checked, and drops what is said of a file that changed', () => {
    const queue = new CheckQueue();
    queue.guess(files);
    // f00 and f01 were taken, not yet answered: f01 still holds, f00 does not.
    const left = queue.settle(files, (file) => file !== 'f00.yaml', 2);
    assert.deepEqual(left.slice(0, 2), ['f00.yaml', 'f02.yaml']);
    for (const file of left) queue.found(file, result(file, 'settled'), false);
    assert.equal(queue.complete(), false);
    queue.found('f00.yaml', result('f00.yaml', 'guessed'), true);
    queue.found('f01.yaml', result('f01.yaml', 'guessed'), true);
    assert.equal(queue.complete(), true);
    assert.deepEqual(messages(queue).slice(0, 2), ['settled f00.yaml', 'guessed f01.yaml']);
  });

  it('checks the files the walk did not guess and forgets those it no longer names', () => {
    const queue = new CheckQueue();
    queue.guess(['gone.yaml', ...files]);
    queue.found('gone.yaml', result('gone.yaml', 'guessed'), true);
    const left = queue.settle([...files, 'new.yaml'], () => true, 1);
    assert.equal(left.length, 21);
    for (const file of left) queue.found(file, result(file, 'settled'), false);
    assert.equal(queue.report().files, 21);
    assert.ok(!messages(queue).some((message) => message.includes('gone.yaml')));
    assert.equal(messages(queue).at(-1), 'settled new.yaml');
  });

  it('is not complete before it is settled', () => {
    const queue = new CheckQueue();
    queue.guess(files);
    for (const file of files) queue.found(file, result(file, 'guessed'), true);
    assert.equal(queue.complete(), false);
  });
});

describe('shared list of files', () => {
  it('gives each file once, to whichever thread takes it, and nothing once closed', () => {
    const list = new SharedList(['a', 'b', 'c']);
    const other = new SharedList(list.files, list.counter);
    assert.equal(list.take(), 'a');
    assert.equal(other.take(), 'b');
    assert.equal(list.close(), 2);
    assert.equal(other.take(), undefined);
    assert.equal(list.take(), undefined);
    const done = new SharedList(['a']);
    assert.equal(done.take(), 'a');
    assert.equal(done.take(), undefined);
    assert.equal(done.close(), 1);
  });
});

describe('check workers per core and per YAML to check', () => {
  const mb = 1024 * 1024;
  it('starts a worker per 6 MB of YAML, keeps a core for the main thread, at most 3', () => {
    const size = (files: number, bytes: number): YamlSize => ({ files, bytes });
    assert.equal(BYTES_PER_WORKER, 6 * mb);
    // The bench's corpus (100 files, 2 MB) is checked faster by the main thread alone.
    assert.equal(workerCount(size(100, 2 * mb), 2), 0);
    assert.equal(workerCount(size(400, 8 * mb), 2), 1);
    assert.equal(workerCount(size(400, 18 * mb), 2), 1);
    assert.equal(workerCount(size(400, 12 * mb), 8), 2);
    assert.equal(workerCount(size(400, 18 * mb), 16), 3);
    assert.equal(workerCount(size(400, 18 * mb), 1), 0);
    // A few large files: too few to share.
    assert.equal(workerCount(size(15, 18 * mb), 8), 0);
  });
});

describe('the quick walk that decides the workers', () => {
  it('counts the YAML files and bytes of every folder below, not dot folders or node_modules', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-yaml-size-'));
    try {
      const write = async (relative: string, bytes: number): Promise<void> => {
        const file = path.join(root, ...relative.split('/'));
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(file, 'x'.repeat(bytes));
      };
      await write('a.yaml', 10);
      await write('README.md', 1000);
      for (let app = 0; app < 40; app++) {
        await write(`apps/app${app}/base/deploy.yaml`, 100);
        await write(`apps/app${app}/overlays/prod/patch.yml`, 5);
      }
      await write('.git/config.yaml', 1000);
      await write('node_modules/x/y.yaml', 1000);
      // Links are not followed, to a file or to a folder, inside the repository or out of it.
      const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-yaml-outside-'));
      await fs.writeFile(path.join(outside, 'big.yaml'), 'x'.repeat(5000));
      await fs.symlink(path.join(outside, 'big.yaml'), path.join(root, 'link.yaml'));
      await fs.symlink(outside, path.join(root, 'linked'));
      await fs.symlink(root, path.join(root, 'apps', 'loop'));
      try {
        assert.deepEqual(await yamlSize([root], 1_000_000), { files: 81, bytes: 10 + 40 * 105 });
        // The walk stops once it has seen the limit: the root's file, then the first 32
        // folders of the bases' depth (16 bases).
        const limited = await yamlSize([root], 50);
        assert.equal(limited.bytes, 50);
        assert.ok(limited.files <= 17, `${limited.files} files walked past the limit`);
        // A folder whose first files reach the limit still counts all its files: whether
        // workers start depends on the count too.
        const big = path.join(root, 'big');
        await fs.mkdir(big);
        for (let file = 0; file < 20; file++) {
          await fs.writeFile(path.join(big, `f${file}.yaml`), 'x'.repeat(1000));
        }
        assert.deepEqual(await yamlSize([big], 2000), { files: 20, bytes: 2000 });
      } finally {
        await fs.rm(outside, { recursive: true, force: true });
      }
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
