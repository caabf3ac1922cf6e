/**
 * The reporter that counts each tier's tests for `npm test` (scripts/testCounter.mjs): a failed
 * test is named with its file, line and why it failed, on one line, so the summary at the end of
 * a CI log says why without the rest of the log.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

type Reporter = (source: AsyncIterable<unknown>) => AsyncGenerator<string>;

async function countsOf(events: readonly unknown[]): Promise<Counts> {
  const file = path.resolve(__dirname, '..', '..', 'scripts', 'testCounter.mjs');
  const { default: reporter } = (await import(pathToFileURL(file).href)) as { default: Reporter };
  const source: AsyncIterable<unknown> = {
    [Symbol.asyncIterator]: () => {
      let next = 0;
      return {
        next: () =>
          Promise.resolve(
            next < events.length
              ? { value: events[next++], done: false }
              : { value: undefined, done: true },
          ),
      };
    },
  };
  let out = '';
  for await (const chunk of reporter(source)) out += chunk;
  return JSON.parse(out) as Counts;
}

/** A failure as node's runner reports one: its own error, the assertion as the cause. */
function failure(name: string, cause: Error): unknown {
  const error = new Error('test failed', { cause });
  return {
    type: 'test:fail',
    data: { name, file: '/repo/test/x.test.ts', line: 12, details: { error } },
  };
}

describe('the test counter of npm test', () => {
  it('counts tests by outcome, not suites, and a skipped or todo test as skipped', async () => {
    const counts = await countsOf([
      { type: 'test:pass', data: { name: 'a', details: {} } },
      { type: 'test:pass', data: { name: 'suite', details: { type: 'suite' } } },
      { type: 'test:pass', data: { name: 'b', skip: true, details: {} } },
      { type: 'test:pass', data: { name: 'c', todo: 'later', details: {} } },
      { type: 'test:diagnostic', data: { message: 'note' } },
    ]);
    assert.deepEqual(counts, { passed: 1, failed: 0, skipped: 2, failures: [] });
  });

  it("names a failed test with its place and the assertion's message on one line", async () => {
    const counts = await countsOf([
      failure('keeps rendering', new Error('expected podinfo.yaml:4\n  got podinfo.yaml:1')),
    ]);
    assert.equal(counts.failed, 1);
    assert.deepEqual(counts.failures, [
      'keeps rendering (/repo/test/x.test.ts:12): expected podinfo.yaml:4 got podinfo.yaml:1',
    ]);
  });

  it('escapes control characters and shortens a long message', async () => {
    const counts = await countsOf([
      failure('bell', new Error(`a${String.fromCharCode(7)}b${String.fromCharCode(0x9b)}c`)),
      failure('long', new Error('x'.repeat(2000))),
    ]);
    assert.equal(counts.failures[0], 'bell (/repo/test/x.test.ts:12): a\\u0007b\\u009bc');
    assert.equal(counts.failures[1], `long (/repo/test/x.test.ts:12): ${'x'.repeat(600)}…`);
  });
});
