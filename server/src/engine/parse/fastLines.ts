/** The lines of a document as the fast manifest parser (fastManifest.ts) reads them. */

/** A line holding something: where it starts, its indentation, where its text ends. */
export interface Line {
  readonly start: number;
  readonly indent: number;
  readonly end: number;
  /**
   * Blank lines or column-0 comments come between it and the line of content before it. Between
   * two entries of a collection they change no node's range; inside a block scalar they are
   * content, and inside a multi-line flow scalar a line break.
   */
  readonly gap: boolean;
}

/**
 * The lines that hold something other than a comment, after a first `---` line, and where the
 * document starts; undefined for a text with characters or lines this parser leaves to the
 * `yaml` package. Blank lines and column-0 comments between two lines of content are marked on
 * the second (`gap`); indented comments there are left to the `yaml` package.
 */
export function contentLines(text: string): { lines: Line[]; start: number } | undefined {
  const lines: Line[] = [];
  let start = 0;
  let marker: number | undefined;
  let gap = false;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let at = start;
    while (at < end && text.charCodeAt(at) === 0x20) at++;
    for (let i = at; i < end; i++) {
      const code = text.charCodeAt(i);
      // Tabs, carriage returns, control characters, NEL, line and paragraph separators, BOM.
      if (
        code < 0x20 ||
        (code >= 0x7f && code <= 0x9f) ||
        code === 0x2028 ||
        code === 0x2029 ||
        code === 0xfeff
      ) {
        return undefined;
      }
    }
    if (at === end || text.charCodeAt(at) === 0x23 /* # */) {
      // An indented comment after the content: the `yaml` package counts it in the ranges of
      // the collections it is indented under.
      if (lines.length > 0 && at < end && at > start) return undefined;
      gap = lines.length > 0;
    } else {
      const line = { start, indent: at - start, end, gap };
      gap = false;
      if (line.indent === 0 && isMarkerLine(text, line)) {
        // One `---` before the content, alone on its line.
        if (marker !== undefined || lines.length > 0 || !onlyComment(text, start + 3, end)) {
          return undefined;
        }
        marker = start;
      } else {
        const first = text.charCodeAt(at);
        if (line.indent === 0 && (first === 0x25 /* % */ || text.startsWith('...', at))) {
          return undefined;
        }
        lines.push(line);
      }
    }
    start = end + 1;
  }
  const first = lines[0];
  return first ? { lines, start: marker ?? first.start } : undefined;
}

function isMarkerLine(text: string, line: Line): boolean {
  if (!text.startsWith('---', line.start)) return false;
  const next = text.charCodeAt(line.start + 3);
  return line.start + 3 === line.end || next === 0x20;
}

/** Nothing but spaces and a comment from `at` to `end`. */
export function onlyComment(text: string, at: number, end: number): boolean {
  let i = at;
  while (i < end && text.charCodeAt(i) === 0x20) i++;
  return i === end || (i > at && text.charCodeAt(i) === 0x23);
}

/**
 * The one-line quoted scalar starting at `at` (a `"` or `'`) and ending before `end`: its value
 * and the offset after its closing quote; undefined for one the fast parser leaves to the `yaml`
 * package (a double-quoted escape, or no closing quote on the line).
 */
export function quotedScalar(
  text: string,
  at: number,
  end: number,
): readonly [string, number] | undefined {
  const quote = text.charCodeAt(at);
  let value = '';
  let from = at + 1;
  for (let i = at + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote === 0x22 && c === 0x5c /* \ */) return undefined;
    if (c !== quote) continue;
    if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) {
      value += text.slice(from, i + 1);
      from = i + 2;
      i++;
      continue;
    }
    return [value + text.slice(from, i), i + 1];
  }
  return undefined;
}

/**
 * `text` without the blank lines and column-0 comments that come right before a line of content
 * at column 0 (`key:` after an empty line, the usual way people space out a file). They add no
 * value: a block scalar above has ended (only its trailing lines, which clip and strip drop; keep
 * chomping is left to the `yaml` package), and a column-0 comment cannot be scalar content. Only
 * for readers of values: the ranges of the nodes differ.
 */
export function withoutTopLevelGaps(text: string): string {
  if (!/\n[ ]*\n|\n#/.test(text)) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  let gap: string[] = [];
  for (const line of lines) {
    if (/^[ ]*$/.test(line) || line.startsWith('#')) {
      gap.push(line);
      continue;
    }
    // Content at column 0 drops the gap before it; indented content keeps it.
    if (line.startsWith(' ') || kept.length === 0) kept.push(...gap);
    gap = [];
    kept.push(line);
  }
  kept.push(...gap);
  return kept.join('\n');
}
