import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveBinary } from '../../server/src/engine/render/binaries';
import { RenderFailure } from '../../server/src/engine/render/types';

const NAME = process.platform === 'win32' ? 'kustomize.exe' : 'kustomize';

describe('resolveBinary: kustomize and helm found on PATH, then in the tool cache', () => {
  let work: string;
  let first: string;
  let second: string;
  const savedPath = process.env.PATH;

  const install = (dir: string): string => {
    const file = path.join(dir, NAME);
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
    return file;
  };

  before(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'gw-binaries-'));
    first = path.join(work, 'first');
    second = path.join(work, 'second');
    mkdirSync(first);
    mkdirSync(second);
    process.env.PATH = [first, second].join(path.delimiter);
  });

  after(() => {
    process.env.PATH = savedPath;
    rmSync(work, { recursive: true, force: true });
  });

  it('reuses the binary it found while it is there, and searches again once it is gone', async () => {
    const inSecond = install(second);
    assert.equal(await resolveBinary('kustomize', {}), inSecond);
    // Found again without a search: one installed earlier on PATH is taken at the next search.
    const inFirst = install(first);
    assert.equal(await resolveBinary('kustomize', {}), inSecond);
    rmSync(inSecond);
    assert.equal(await resolveBinary('kustomize', {}), inFirst);
    rmSync(inFirst);
    await assert.rejects(
      resolveBinary('kustomize', {}),
      (error: unknown) =>
        error instanceof RenderFailure &&
        error.error.reason === 'binaryMissing' &&
        /kustomize was not found on PATH or in the tool cache/.test(error.message),
    );
  });
});
