// The reads of a one-shot run (a CLI check): each file read and each path probed once, the
// repository as it was when the run began, and the same refusals as a plain read.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ReadSnapshot } from '../../server/src/engine/render/readSnapshot';
import { SourceReader } from '../../server/src/engine/render/sourceReader';

describe('a read snapshot', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'read-snapshot-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const base = path.join(root, 'base');
  mkdirSync(base);
  writeFileSync(path.join(base, 'kustomization.yaml'), 'resources: [a.yaml]\n');

  it('gives every reader of a run the file as first read, each probe once', async () => {
    const snapshot = new ReadSnapshot();
    const first = new SourceReader(new Map(), undefined, snapshot);
    assert.equal(
      await first.readText(path.join(base, 'kustomization.yaml')),
      'resources: [a.yaml]\n',
    );
    assert.deepEqual(await first.filesIn(base), ['kustomization.yaml']);
    writeFileSync(path.join(base, 'kustomization.yaml'), 'resources: [b.yaml]\n');
    writeFileSync(path.join(base, 'b.yaml'), 'kind: ConfigMap\n');
    const second = new SourceReader(new Map(), undefined, snapshot);
    assert.equal(
      await second.readText(path.join(base, 'kustomization.yaml')),
      'resources: [a.yaml]\n',
    );
    assert.deepEqual(await second.filesIn(base), ['kustomization.yaml']);
    assert.equal(await second.isFile(path.join(base, 'kustomization.yaml')), true);
    assert.equal(await second.isDirectory(base), true);
    // Without a snapshot, the disk as it is now.
    const plain = new SourceReader();
    assert.equal(
      await plain.readText(path.join(base, 'kustomization.yaml')),
      'resources: [b.yaml]\n',
    );
    assert.deepEqual(await plain.filesIn(base), ['b.yaml', 'kustomization.yaml']);
  });

  it('keeps the editor buffers before the snapshot, and the refusals of a plain read', async () => {
    const snapshot = new ReadSnapshot();
    const file = path.join(base, 'kustomization.yaml');
    const reader = new SourceReader(new Map([[file, 'buffer: true\n']]), undefined, snapshot);
    assert.equal(await reader.readText(file), 'buffer: true\n');
    // A folder is refused as a plain read refuses it, each time.
    await assert.rejects(reader.readBytes(base), { code: 'EISDIR' });
    await assert.rejects(reader.readBytes(base), { code: 'EISDIR' });
    assert.equal(await reader.isFile(base), false);
    await assert.rejects(reader.readBytes(path.join(root, 'missing.yaml')), { code: 'ENOENT' });
  });
});
