/**
 * Parsing of a watch response: newline-delimited JSON events, arriving in chunks that may split
 * a line (or a UTF-8 character) anywhere. Pure; `kubeHttp.ts` feeds it the bytes.
 */
import { StringDecoder } from 'node:string_decoder';
import { isObject } from '../diff/objects';
import type { WatchEvent } from './liveTypes';

const eventTypes: ReadonlySet<string> = new Set([
  'ADDED',
  'MODIFIED',
  'DELETED',
  'BOOKMARK',
  'ERROR',
]);

/** Splits a byte stream into complete lines; keeps the unfinished tail for the next chunk. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private tail = '';

  /** The lines completed by this chunk, without their line ends; blank lines are dropped. */
  push(chunk: Buffer | string): string[] {
    const text = this.tail + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const parts = text.split('\n');
    this.tail = parts.pop() ?? '';
    return parts.map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '');
  }

  /** The last line when the stream ended without a final newline. */
  end(): string[] {
    const rest = (this.tail + this.decoder.end()).trim();
    this.tail = '';
    return rest === '' ? [] : [rest];
  }
}

/** One watch line as an event, or undefined when it is not one (not JSON, unknown type). */
export function parseWatchLine(line: string): WatchEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const { type, object } = parsed;
  if (typeof type !== 'string' || !eventTypes.has(type) || !isObject(object)) return undefined;
  return { type: type as WatchEvent['type'], object };
}

/** Feeds chunks in, calls `onEvent` for each complete event; lines that are not events are counted. */
export class WatchStreamParser {
  private readonly lines = new LineSplitter();
  /** Lines that were not watch events (a proxy's garbage, a truncated line). */
  skipped = 0;

  constructor(private readonly onEvent: (event: WatchEvent) => void) {}

  push(chunk: Buffer | string): void {
    this.emit(this.lines.push(chunk));
  }

  end(): void {
    this.emit(this.lines.end());
  }

  private emit(lines: readonly string[]): void {
    for (const line of lines) {
      const event = parseWatchLine(line);
      if (event) this.onEvent(event);
      else this.skipped += 1;
    }
  }
}
