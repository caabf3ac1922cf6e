import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const LOADER = path.resolve(__dirname, '..', '..', 'server', 'src', 'compileCache.ts');
/** Node 22.1+ caches compiled code itself; the loader then only turns that on. */
const NODE_CACHES_ITSELF =
  typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';

/** A bundle that prints what a main module sees. */
const bundle = (marker: string): string =>
  `#!/usr/bin/env node\n'use strict';\nconst path = require('node:path');\n` +
  `console.log(JSON.stringify({ marker: ${JSON.stringify(marker)}, argv1: process.argv[1], ` +
  `file: __filename, dir: __dirname, exportsIsModule: exports === module.exports, ` +
  `joined: path.join('a', 'b') }));\n`;

describe('compile cache: a bundle started from V8 code cached in the user cache folder', () => {
  let dir: string;
  let file: string;
  let cacheDir: string;
  let runner: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-compile-cache-'));
    file = path.join(dir, 'tool.js');
    cacheDir = path.join(dir, 'cache', 'v8');
    runner = path.join(dir, 'run.ts');
    await fs.writeFile(
      runner,
      `import { loadWithCompileCache } from ${JSON.stringify(LOADER)};\n` +
        `const load = loadWithCompileCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});\n` +
        `process.stderr.write(load.cached ? 'cached' : 'compiled');\n`,
    );
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const run = (): { printed: Record<string, unknown>; said: string } => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', runner], {
      encoding: 'utf8',
      cwd: path.resolve(__dirname, '..', '..'),
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stderr);
    return {
      printed: JSON.parse(result.stdout) as Record<string, unknown>,
      said: result.stderr.trim(),
    };
  };
  const entries = async (): Promise<string[]> =>
    (await fs.readdir(cacheDir).catch(() => [])).filter((name) => name.startsWith('tool-'));

  it('runs the bundle as the main module, compiles it once, then starts from the cache', async () => {
    await fs.writeFile(file, bundle('one'));
    const first = run();
    assert.deepEqual(first.printed, {
      marker: 'one',
      argv1: file,
      file,
      dir,
      exportsIsModule: true,
      joined: path.join('a', 'b'),
    });
    if (NODE_CACHES_ITSELF) {
      process.stderr.write(
        `compileCache: Node ${process.version} caches compiled code itself; only the plain run was checked\n`,
      );
      return;
    }
    assert.equal(first.said, 'compiled');
    assert.equal((await entries()).length, 1);
    const second = run();
    assert.equal(second.said, 'cached');
    assert.deepEqual(second.printed, first.printed);
  });

  it('compiles again, and writes a whole entry, when the cached data is damaged', async (t) => {
    if (NODE_CACHES_ITSELF) return t.diagnostic('Node caches compiled code itself');
    const [entry] = await entries();
    assert.ok(entry);
    const full = await fs.readFile(path.join(cacheDir, entry));
    await fs.writeFile(path.join(cacheDir, entry), full.subarray(0, 64));
    const damaged = run();
    assert.equal(damaged.said, 'compiled');
    assert.equal(damaged.printed['marker'], 'one');
    assert.equal((await fs.stat(path.join(cacheDir, entry))).size, full.length);
    assert.equal(run().said, 'cached');
  });

  it('never runs cached code of another text of the same length: a changed bundle compiles anew', async (t) => {
    if (NODE_CACHES_ITSELF) return t.diagnostic('Node caches compiled code itself');
    const [before] = await entries();
    await fs.writeFile(file, bundle('two'));
    const changed = run();
    assert.equal(changed.printed['marker'], 'two');
    assert.equal(changed.said, 'compiled');
    const now = await entries();
    assert.equal(now.length, 1, 'the entry of the old text is removed');
    assert.notEqual(now[0], before);
  });

  it('runs the bundle plainly when the cache folder cannot be written', async () => {
    await fs.mkdir(path.join(dir, 'cache'), { recursive: true });
    await fs.writeFile(path.join(dir, 'cache', 'blocked'), 'a file, not a folder');
    const blocked = path.join(dir, 'cache', 'blocked', 'v8');
    const script = path.join(dir, 'blocked.ts');
    await fs.writeFile(
      script,
      `import { loadWithCompileCache } from ${JSON.stringify(LOADER)};\n` +
        `loadWithCompileCache(${JSON.stringify(file)}, ${JSON.stringify(blocked)});\n`,
    );
    const result = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      cwd: path.resolve(__dirname, '..', '..'),
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { marker: string }).marker, 'two');
    assert.equal(result.stderr, '');
  });

  it('reads a bundle that is not ASCII as UTF-8, and starts it from the cache too', async (t) => {
    // Our bundles are ASCII (scripts/bundle.ts) and read a byte per character; any other is
    // still read whole, its characters kept.
    await fs.writeFile(file, bundle('µs … 漢字 🙂'));
    const first = run();
    assert.equal(first.printed['marker'], 'µs … 漢字 🙂');
    if (NODE_CACHES_ITSELF) return t.diagnostic('Node caches compiled code itself');
    assert.equal(first.said, 'compiled');
    const second = run();
    assert.equal(second.said, 'cached');
    assert.equal(second.printed['marker'], 'µs … 漢字 🙂');
  });
});
