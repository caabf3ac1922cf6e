import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { RenderCache } from '../../server/src/engine/render/renderCache';
import { RenderStore } from '../../server/src/engine/render/renderStore';
import type { StoredRender } from '../../server/src/engine/render/renderStore';

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n';
const SECRET =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  t: hunter2\n';

function render(text: string, kind: string, name: string): StoredRender {
  return {
    yaml: text,
    resources: [
      { apiVersion: 'v1', kind, name, text, origin: { file: '/repo/app/cm.yaml', line: 0 } },
    ],
  };
}

const key = (n: number): string => RenderCache.key(`inputs-${n}`, 'kustomize:1:2', { n });
const key1 = key(1);

describe('render store (the render cache kept for the next session)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers a new session with the render an earlier one kept, origins included', () => {
    const first = new RenderCache();
    first.attach(new RenderStore(dir));
    first.set(key(1), render(CONFIGMAP, 'ConfigMap', 'settings'));

    const next = new RenderCache();
    next.attach(new RenderStore(dir));
    assert.deepEqual(next.get(key(1)), render(CONFIGMAP, 'ConfigMap', 'settings'));
    assert.equal(next.get(key(2)), undefined, 'another key is a miss');
  });

  it('never writes a render that holds a Secret, nor one the caller says holds Secret values', () => {
    const cache = new RenderCache();
    cache.attach(new RenderStore(dir));
    cache.set(key(1), render(SECRET, 'Secret', 'token'));
    cache.set(key(2), render(CONFIGMAP.replace('"1"', 'hunter2'), 'ConfigMap', 'settings'), false);
    assert.ok(cache.get(key(1)), 'the session itself still has it in memory');
    const written = fs.existsSync(dir)
      ? fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
      : [];
    assert.equal(written.length, 0);
    const next = new RenderCache();
    next.attach(new RenderStore(dir));
    assert.equal(next.get(key(1)), undefined);
    assert.equal(next.get(key(2)), undefined);
  });

  it('with a key, keeps a render holding a Secret encrypted: no Secret byte on disk', () => {
    const secret = randomBytes(32);
    const cache = new RenderCache();
    cache.attach(new RenderStore(dir, { key: secret }));
    cache.set(key1, render(SECRET, 'Secret', 'token'));
    const files = fs.readdirSync(dir);
    assert.equal(files.length, 1);
    const bytes = fs.readFileSync(path.join(dir, files[0] ?? ''));
    for (const leak of ['hunter2', Buffer.from('hunter2').toString('base64'), 'Secret', 'token']) {
      assert.ok(!bytes.includes(leak), `the entry on disk holds "${leak}"`);
    }
    const next = new RenderCache();
    next.attach(new RenderStore(dir, { key: secret }));
    assert.deepEqual(next.get(key1), render(SECRET, 'Secret', 'token'));
    const stranger = new RenderCache();
    stranger.attach(new RenderStore(dir, { key: randomBytes(32) }));
    assert.equal(stranger.get(key1), undefined, 'another key cannot open it');
    const plain = new RenderCache();
    plain.attach(new RenderStore(dir));
    assert.equal(plain.get(key1), undefined, 'nor a store without a key');
    // A sealed entry copied under another render's name does not open: it is bound to its key.
    fs.copyFileSync(path.join(dir, `${key1}.json`), path.join(dir, `${key(9)}.json`));
    assert.equal(new RenderStore(dir, { key: secret }).read(key(9)), undefined);
  });

  it('takes a damaged, foreign or mismatched file for a miss, not an error', () => {
    const store = new RenderStore(dir);
    store.write(key(1), render(CONFIGMAP, 'ConfigMap', 'settings'));
    const file = path.join(dir, `${key(1)}.json`);
    fs.writeFileSync(file, '{"format":1,"key":');
    assert.equal(store.read(key(1)), undefined);
    // Another key's entry copied under this key's name.
    store.write(key(2), render(CONFIGMAP, 'ConfigMap', 'settings'));
    fs.copyFileSync(path.join(dir, `${key(2)}.json`), file);
    assert.equal(store.read(key(1)), undefined);
    assert.equal(store.read('../../etc/passwd'), undefined, 'only hash keys name files');
  });

  it('stays within its byte bound, dropping the least recently used renders first', () => {
    const big = CONFIGMAP + `  b: "${'x'.repeat(4000)}"\n`;
    const store = new RenderStore(dir, { maxBytes: 20_000 });
    const past = Date.now() / 1000 - 3600;
    for (let n = 0; n < 8; n++) {
      store.write(key(n), render(big, 'ConfigMap', `c${n}`));
      fs.utimesSync(path.join(dir, `${key(n)}.json`), past + n, past + n);
    }
    const total = fs
      .readdirSync(dir)
      .reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
    assert.ok(total <= 20_000, `store holds ${total} bytes`);
    assert.ok(store.read(key(7)), 'the newest render is kept');
    assert.equal(store.read(key(0)), undefined, 'the oldest render went first');
  });
});
