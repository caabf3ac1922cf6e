/**
 * The build leaves its bundles ASCII (`asciiOnly`, scripts/bundle.ts): a character esbuild left
 * in a regular expression, a string or a comment becomes `\uXXXX` and the code does the same; in
 * a template literal, whose raw text a tag can read, the build stops instead.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as vm from 'node:vm';
import { asciiOnly } from '../../scripts/bundle';

describe('asciiOnly: bundles of one byte per character', () => {
  let dir = '';
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-ascii-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function escaped(code: string): Promise<string> {
    const file = path.join(dir, 'bundle.js');
    await fs.writeFile(file, code);
    await asciiOnly(file);
    return fs.readFile(file, 'utf8');
  }

  it('escapes regular expressions, strings and comments, which then mean the same', async () => {
    const code =
      '/* © */ module.exports = [/(ns|µs|μs)$/u.test("5µs"), /^…$/.test("…"), "🙂".length, "ü"];\n';
    const result = await escaped(code);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(result, /[^\x00-\x7f]/, result);
    // What each exports, as JSON (the arrays are of another realm).
    const run = (source: string): string => {
      const module = { exports: undefined as unknown };
      vm.runInNewContext(source, { module });
      return JSON.stringify(module.exports);
    };
    assert.equal(run(result), run(code));
    assert.equal(run(result), JSON.stringify([true, true, 2, 'ü']));
  });

  it('stops the build for a character in a template literal', async () => {
    await assert.rejects(
      escaped('const raw = String.raw`µs`;\n'),
      /non-ASCII character at \d+ \(template\) cannot be escaped where it is; escape it in its source/,
    );
  });

  it('leaves an ASCII bundle as it is', async () => {
    assert.equal(await escaped('const a = /b/;\n'), 'const a = /b/;\n');
  });
});
