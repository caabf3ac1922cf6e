/** Builds small gzipped tar archives in memory for tests: ustar headers, PAX paths, GNU long names. */
import { gzipSync } from 'node:zlib';

export interface TarFile {
  name: string;
  data?: string | Buffer;
  /** '0' file (default), '5' folder, 'x' PAX header, 'L' GNU long name, 'S' sparse. */
  typeflag?: string;
  /** ustar prefix field. */
  prefix?: string;
  /** Write this size in the header instead of the data's length. */
  size?: number;
}

function header(file: TarFile, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(file.name.slice(0, 100), 0, 'utf8');
  block.write('0000644\0', 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('00000000000\0', 136, 'latin1');
  block.write(file.typeflag ?? '0', 156, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  if (file.prefix) block.write(file.prefix, 345, 'utf8');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

/** The tar bytes of `files`, ended by two zero blocks. */
export function tar(files: TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const data = Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data ?? '', 'utf8');
    parts.push(header(file, file.size ?? data.length));
    parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function tgz(files: TarFile[]): Buffer {
  return gzipSync(tar(files));
}

/** A PAX extended header whose `path` record names the next entry. */
export function paxPath(path: string): TarFile {
  const body = ` path=${path}\n`;
  let length = body.length;
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
  return { name: 'PaxHeader', typeflag: 'x', data: `${length}${body}` };
}
