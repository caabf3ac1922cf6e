// Two callers asking for the same render at once (the status and the editor's findings) start
// the tool once; a failed or cancelled shared render is not handed to the other caller.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RenderCache } from '../../server/src/engine/render/renderCache';
import type { CachedRender } from '../../server/src/engine/render/renderCache';

const OUTPUT: CachedRender = { yaml: 'kind: A\n', resources: [] };

/** A render that finishes when `finish` is called, counting its starts. */
function gated(): { run: () => Promise<CachedRender>; starts: () => number; finish: () => void } {
  let starts = 0;
  let finish = (): void => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      starts++;
      await done;
      return OUTPUT;
    },
    starts: () => starts,
    finish: () => finish(),
  };
}

describe('RenderCache.once', () => {
  it('runs a render asked for twice at once only once, and says the second was shared', async () => {
    const cache = new RenderCache();
    const render = gated();
    const first = cache.once('k', render.run);
    const second = cache.once('k', render.run);
    render.finish();
    assert.deepEqual(await first, { render: OUTPUT, shared: false });
    assert.deepEqual(await second, { render: OUTPUT, shared: true });
    assert.equal(render.starts(), 1);
    // Once finished, nothing is under way: the next caller renders (or reads the cache).
    const again = gated();
    again.finish();
    assert.equal((await cache.once('k', again.run)).shared, false);
    assert.equal(again.starts(), 1);
  });

  it('renders again for the second caller when the shared render fails', async () => {
    const cache = new RenderCache();
    const failing = cache.once('k', () => Promise.reject(new Error('cancelled by its caller')));
    const second = cache.once('k', () => Promise.resolve(OUTPUT));
    await assert.rejects(failing, /cancelled by its caller/);
    assert.deepEqual(await second, { render: OUTPUT, shared: false });
  });

  it('stops waiting when the waiting caller cancels', async () => {
    const cache = new RenderCache();
    const render = gated();
    const first = cache.once('k', render.run);
    const controller = new AbortController();
    const second = cache.once('k', render.run, controller.signal);
    controller.abort();
    await assert.rejects(second, { name: 'AbortError' });
    render.finish();
    assert.equal((await first).shared, false);
    assert.equal(render.starts(), 1);
  });
});

describe('RenderCache bounds', () => {
  const render = (length: number): CachedRender => ({ yaml: 'x'.repeat(length), resources: [] });

  it('drops the least recently used renders past its byte budget, never the newest', () => {
    const cache = new RenderCache(64, 1000);
    cache.set('a', render(400));
    cache.set('b', render(400));
    assert.ok(cache.get('a'), 'a is used again');
    cache.set('c', render(400));
    // b was the least recently used: out; a and c stay within 1,000 characters.
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a'));
    assert.ok(cache.get('c'));
    assert.equal(cache.length, 800);
    // One render over the whole budget is kept alone.
    cache.set('huge', render(5000));
    assert.equal(cache.size, 1);
    assert.equal(cache.length, 5000);
    // Replacing an entry counts its new size only.
    cache.set('huge', render(10));
    assert.equal(cache.length, 10);
  });

  it('keeps at most its number of entries', () => {
    const cache = new RenderCache(2);
    for (const key of ['a', 'b', 'c']) cache.set(key, render(1));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a'), undefined);
  });
});
