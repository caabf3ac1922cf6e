/**
 * A small reader of gzipped tar archives (helm chart `.tgz` files) over node:zlib, streaming, with
 * limits against gzip and tar bombs. It reads headers the way Go's archive/tar does (ustar prefix,
 * PAX `path`/`size`, GNU long names) and keeps the data only of the entries a caller asks for.
 */
import { createGunzip } from 'node:zlib';

/** helm's `MaxDecompressedFileSize`: helm refuses a chart with a larger file. */
export const MAX_ENTRY_BYTES = 5 * 1024 * 1024;

/** Limits shared by one archive and every archive nested in it. */
export interface ArchiveBudget {
  /** Decompressed bytes left, headers and padding included. */
  bytes: number;
  /** Entries left. */
  entries: number;
}

export function defaultArchiveBudget(): ArchiveBudget {
  return { bytes: 256 * 1024 * 1024, entries: 50_000 };
}

/** The archive is not a gzipped tar this reader reads, or it is over a limit. */
export class ArchiveError extends Error {
  constructor(
    readonly reason: 'malformed' | 'tooLarge' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

export interface ArchiveEntry {
  /** The name as the archive gives it (PAX path, GNU long name, or ustar prefix/name). */
  name: string;
  /** Every name a tar reader could give it (the raw name field too), for superset matching. */
  names: string[];
  typeflag: string;
  size: number;
  /** The data, when `wanted` asked for it and it is at most MAX_ENTRY_BYTES. */
  data?: Buffer;
}

const BLOCK = 512;
/** Entries whose data Go's archive/tar never reads, whatever their size field says. */
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** A numeric field: base-256 when the high bit is set, else octal padded with spaces or NULs. */
function numeric(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    if (((field[0] ?? 0) & 0x40) !== 0)
      throw new ArchiveError('malformed', 'a negative size field');
    let value = (field[0] ?? 0) & 0x3f;
    for (const byte of field.subarray(1)) {
      value = value * 256 + byte;
      if (value > Number.MAX_SAFE_INTEGER)
        throw new ArchiveError('tooLarge', 'a size over the limit');
    }
    return value;
  }
  const digits = field.toString('latin1').replace(/^[ \0]+|[ \0]+$/g, '');
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits))
    throw new ArchiveError('malformed', 'a size field that is not octal');
  return parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = numeric(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let index = 0; index < BLOCK; index++) {
    const byte = index >= 148 && index < 156 ? 0x20 : (block[index] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** PAX records `"<len> <key>=<value>\n"...`. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) throw new ArchiveError('malformed', 'a PAX header without a length');
    const length = Number(data.subarray(offset, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= space - offset || offset + length > data.length) {
      throw new ArchiveError('malformed', 'a PAX record with a wrong length');
    }
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals === -1) throw new ArchiveError('malformed', 'a PAX record without "="');
    records.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return records;
}

/** Decompressed chunks read by exact byte counts; skipped bytes are dropped as they come. */
class ChunkReader {
  private chunks: Buffer[] = [];
  private length = 0;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(count: number): Promise<boolean> {
    while (this.length < count) {
      const next = await this.source.next();
      if (next.done) return false;
      this.chunks.push(next.value);
      this.length += next.value.length;
    }
    return true;
  }

  /** Exactly `count` bytes, or undefined when the stream ended first. */
  async take(count: number): Promise<Buffer | undefined> {
    if (!(await this.fill(count))) return undefined;
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    const rest = all.subarray(count);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
    return Buffer.from(all.subarray(0, count));
  }

  /** Drops `count` bytes; false when the stream ended first. */
  async skip(count: number): Promise<boolean> {
    let left = count;
    while (left > 0) {
      if (this.length === 0 && !(await this.fill(1))) return false;
      const first = this.chunks[0] as Buffer;
      if (first.length <= left) {
        this.chunks.shift();
        this.length -= first.length;
        left -= first.length;
      } else {
        this.chunks[0] = first.subarray(left);
        this.length -= left;
        left = 0;
      }
    }
    return true;
  }
}

/**
 * The entries of the gzipped tar `archive`; `wanted` says which entries' data to keep. Reading
 * stops at the end-of-archive block, as Go's archive/tar does (what follows is never read).
 * Throws ArchiveError when the archive is malformed, uses sparse files, or is over `budget`.
 */
export async function readTarGz(
  archive: Buffer,
  wanted: (entry: ArchiveEntry) => boolean,
  budget: ArchiveBudget = defaultArchiveBudget(),
): Promise<ArchiveEntry[]> {
  const gunzip = createGunzip();
  let failure: Error | undefined;
  gunzip.on('error', (error) => {
    failure = error;
  });
  gunzip.end(archive);
  const source = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const reader = new ChunkReader({
    next: async () => {
      const next = await source.next().catch((error: Error) => {
        throw new ArchiveError('malformed', `it is not gzip data (${error.message})`);
      });
      if (!next.done) {
        budget.bytes -= next.value.length;
        if (budget.bytes < 0) {
          throw new ArchiveError('tooLarge', 'it unpacks to more than the size limit');
        }
      }
      return next;
    },
  });
  const entries: ArchiveEntry[] = [];
  try {
    let pax = new Map<string, string>();
    let longName: string | undefined;
    for (;;) {
      const block = await reader.take(BLOCK);
      if (!block)
        throw new ArchiveError('malformed', failure?.message ?? 'it ends inside a header');
      if (block.every((byte) => byte === 0)) break;
      if (!checksumOk(block)) throw new ArchiveError('malformed', 'a header checksum is wrong');
      budget.entries -= 1;
      if (budget.entries < 0) throw new ArchiveError('tooLarge', 'it holds too many entries');
      const typeflag = String.fromCharCode(block[156] ?? 0);
      const field = text(block, 0, 100);
      const magic = block.subarray(257, 265).toString('latin1');
      const star = block.subarray(508, 512).toString('latin1') === 'tar\u0000';
      const prefix = magic === 'ustar\u000000' ? text(block, 345, star ? 131 : 155) : '';
      let size = numeric(block, 124, 12);
      if (typeflag === 'S' || [...pax.keys()].some((key) => key.startsWith('GNU.sparse.'))) {
        throw new ArchiveError('unsupported', 'it holds a sparse file');
      }
      const paxSize = pax.get('size');
      if (paxSize !== undefined) {
        if (!/^\d+$/.test(paxSize))
          throw new ArchiveError('malformed', 'a PAX size that is not a number');
        size = Number(paxSize);
      }
      const dataSize = HEADER_ONLY.has(typeflag) ? 0 : size;
      const padded = Math.ceil(dataSize / BLOCK) * BLOCK;
      if (typeflag === 'x' || typeflag === 'L' || typeflag === 'K') {
        if (dataSize > MAX_ENTRY_BYTES)
          throw new ArchiveError('tooLarge', 'a header over the limit');
        const data = await reader.take(padded);
        if (!data) throw new ArchiveError('malformed', 'it ends inside a header');
        const content = data.subarray(0, dataSize);
        if (typeflag === 'x') pax = paxRecords(content);
        if (typeflag === 'L') longName = text(content, 0, content.length);
        continue;
      }
      // Every reading of the name fields (the STAR prefix is shorter): a schema is found by any.
      const starPrefix = text(block, 345, 131);
      const names = [field, prefix ? `${prefix}/${field}` : field];
      if (starPrefix) names.push(`${starPrefix}/${field}`);
      if (longName !== undefined) names.push(longName);
      const paxPath = pax.get('path');
      if (paxPath !== undefined) names.push(paxPath);
      const name = paxPath ?? longName ?? names[1] ?? field;
      pax = new Map();
      longName = undefined;
      const entry: ArchiveEntry = { name, names: [...new Set(names)], typeflag, size };
      if (typeflag !== 'g' && dataSize <= MAX_ENTRY_BYTES && wanted(entry)) {
        const data = await reader.take(padded);
        if (!data) throw new ArchiveError('malformed', 'it ends inside a file');
        entry.data = data.subarray(0, dataSize);
      } else if (!(await reader.skip(padded))) {
        throw new ArchiveError('malformed', 'it ends inside a file');
      }
      entries.push(entry);
    }
  } finally {
    gunzip.destroy();
  }
  return entries;
}
