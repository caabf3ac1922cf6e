import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LineSplitter,
  WatchStreamParser,
  parseWatchLine,
} from '../../server/src/engine/cluster/watchStream';
import type { WatchEvent } from '../../server/src/engine/cluster/liveTypes';

const added = '{"type":"ADDED","object":{"kind":"ConfigMap","metadata":{"name":"a"}}}';
const modified = '{"type":"MODIFIED","object":{"kind":"ConfigMap","metadata":{"name":"é"}}}';
const bookmark = '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"42"}}}';

function parseChunks(chunks: readonly (Buffer | string)[]): {
  events: WatchEvent[];
  skipped: number;
} {
  const events: WatchEvent[] = [];
  const parser = new WatchStreamParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { events, skipped: parser.skipped };
}

function names(events: readonly WatchEvent[]): string[] {
  return events.map((event) => {
    const metadata = event.object.metadata as { name?: string; resourceVersion?: string };
    return `${event.type} ${metadata.name ?? metadata.resourceVersion ?? ''}`;
  });
}

describe('watch stream parsing', () => {
  it('gives the same events however the bytes are split, even inside a UTF-8 character', () => {
    const bytes = Buffer.from(`${added}\n${modified}\n${bookmark}\n`, 'utf8');
    const whole = names(parseChunks([bytes]).events);
    assert.deepEqual(whole, ['ADDED a', 'MODIFIED é', 'BOOKMARK 42']);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const split = parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)]);
      assert.deepEqual(names(split.events), whole, `split at byte ${cut}`);
    }
    const oneByteAtATime = [...bytes].map((byte) => Buffer.from([byte]));
    assert.deepEqual(names(parseChunks(oneByteAtATime).events), whole);
  });

  it('emits an event only once its line is complete', () => {
    const events: WatchEvent[] = [];
    const parser = new WatchStreamParser((event) => events.push(event));
    parser.push(added.slice(0, 20));
    assert.equal(events.length, 0);
    parser.push(`${added.slice(20)}\n${modified.slice(0, 5)}`);
    assert.deepEqual(names(events), ['ADDED a']);
  });

  it('takes a last line without a newline, CRLF line ends and blank lines', () => {
    const { events, skipped } = parseChunks([`\r\n${added}\r\n\n`, bookmark]);
    assert.deepEqual(names(events), ['ADDED a', 'BOOKMARK 42']);
    assert.equal(skipped, 0);
  });

  it('skips and counts lines that are not watch events', () => {
    const { events, skipped } = parseChunks([
      `not json\n{"type":"SURPRISE","object":{}}\n{"type":"ADDED"}\n${added}\n{"type":"DELE`,
    ]);
    assert.deepEqual(names(events), ['ADDED a']);
    assert.equal(skipped, 4);
  });

  it('reads an ERROR event with its Status object (410 Gone)', () => {
    const event = parseWatchLine(
      '{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}',
    );
    assert.equal(event?.type, 'ERROR');
    assert.equal(event?.object.code, 410);
  });

  it('line splitter keeps the unfinished tail', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('a\nb'), ['a']);
    assert.deepEqual(splitter.push('c\nd'), ['bc']);
    assert.deepEqual(splitter.end(), ['d']);
    assert.deepEqual(splitter.end(), []);
  });
});
