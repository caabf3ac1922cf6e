/**
 * Text written ASCII only: every other UTF-16 unit as `\uXXXX`, which JSON strings and
 * JavaScript strings, names and regular expressions read as the same character. The bundles
 * (`bundle.ts`, where it is escapable) and the schema bundles (`genSchemas.ts`) are written so,
 * and read a byte per character (`server/src/engine/files/bytesText.ts`).
 */

// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\x00-\x7f]/g;

export function escapeNonAscii(text: string): string {
  return text.replace(
    NOT_ASCII,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Where `text` holds a unit past ASCII. */
export function nonAsciiAt(text: string): number[] {
  return [...text.matchAll(NOT_ASCII)].map((match) => match.index);
}
