/**
 * The text of bytes read from a file we ship (the bundles, the schema bundles), which are ASCII:
 * decoded a byte per character, V8 keeps a one-byte string, half the memory of the two-byte
 * string a single other character makes of it all, and quicker to decode, parse and compile.
 * Bytes that are not ASCII are read as UTF-8.
 */
import { isAscii } from 'node:buffer';

export function bytesText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
