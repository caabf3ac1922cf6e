import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { SCRATCH_PREFIX, removeStaleScratch } from '../../server/src/engine/render/staleScratch';

describe('scratch folders a killed render left behind', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gw-stale-scratch-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const DAY = 24 * 60 * 60 * 1000;

  /** A folder in `tmp` whose modification time is `ageMs` ago. */
  const folder = (name: string, ageMs: number): string => {
    const target = path.join(tmp, name);
    mkdirSync(path.join(target, 'workspace'), { recursive: true });
    writeFileSync(path.join(target, 'workspace', 'kustomization.yaml'), 'resources: []\n');
    const when = new Date(Date.now() - ageMs);
    utimesSync(target, when, when);
    return target;
  };

  it('removes only old folders of ours, never a link, a file or a fresh folder', async () => {
    const old = folder(`${SCRATCH_PREFIX}old`, DAY);
    const fresh = folder(`${SCRATCH_PREFIX}fresh`, 60_000);
    const other = folder('someone-else-render-old', DAY);
    const target = folder('link-target', DAY);
    const link = path.join(tmp, `${SCRATCH_PREFIX}link`);
    symlinkSync(target, link, 'dir');
    const file = path.join(tmp, `${SCRATCH_PREFIX}file`);
    writeFileSync(file, 'a file');

    assert.equal(await removeStaleScratch(tmp), 1);
    assert.equal(existsSync(old), false, 'an old scratch folder is removed');
    assert.ok(existsSync(path.join(fresh, 'workspace', 'kustomization.yaml')), 'a fresh one stays');
    assert.ok(existsSync(other), 'a folder of another name stays');
    assert.ok(
      existsSync(link) && existsSync(path.join(target, 'workspace')),
      'a link and what it points at stay',
    );
    assert.ok(existsSync(file), 'a file stays');
  });

  it('does nothing, and does not throw, when the folder cannot be read', async () => {
    assert.equal(await removeStaleScratch(path.join(tmp, 'no-such-folder')), 0);
  });
});
