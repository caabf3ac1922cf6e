import type { SecretMasks } from './secretMasker';

/**
 * Masks a YAML text that does not parse but may hold a Secret. Its structure cannot be trusted
 * (which `data:` a line is under, where a quoted or block value ends), so every value is masked:
 * a `key: value` line keeps its key (when it is a plain name) and loses its value; block scalar
 * bodies (a PEM key under `|`), multi-line quoted and flow values, list items and any line that
 * is not plainly a key lose their text and keep their indentation. Comments, blank lines,
 * document markers and the top-level `apiVersion` and `kind` stay, so the document is still
 * readable. Equal raw values get equal masks. Line breaks are kept as they were.
 */
export function maskUnparsable(text: string, masks: SecretMasks): string {
  const parts = text.split(LINE_BREAK);
  const lines = parts.filter((_, index) => index % 2 === 0);
  const breaks = parts.filter((_, index) => index % 2 === 1);
  const out: string[] = [];
  for (let index = 0; index < lines.length;) {
    index = maskFrom(lines, index, out, masks);
  }
  return out.map((line, index) => line + (breaks[index] ?? '')).join('');
}

/** Every line break go-yaml knows, kept in the split so the text is rebuilt as it was. */
const LINE_BREAK = /(\r\n|[\n\r\u0085\u2028\u2029])/;

/** A key whose text may be shown: a plain name, bare or quoted. */
const KEY_LINE = /^(\s*)((?:-[ \t]+)*)("[\w./-]+"|'[\w./-]+'|[\w./-]+)([ \t]*:)(?=\s|$)(.*)$/;
const ITEM_LINE = /^(\s*)((?:-[ \t]+)+|-$)(.*)$/;
const BLOCK_HEADER = /^[ \t]*(?:[&!]\S*[ \t]+)*[|>][-+0-9]*[ \t]*(?:#.*)?$/;
const COMMENT_OR_EMPTY = /^[ \t]*(?:#.*)?$/;
const IDENTITY = /^(?:apiVersion|kind)$/;
const SIMPLE_VALUE = /^[ \t]+[A-Za-z0-9./-]+[ \t]*$/;

/** Masks the line at `index` (and the lines its value spans); returns the next line's index. */
function maskFrom(lines: string[], index: number, out: string[], masks: SecretMasks): number {
  const line = lines[index] ?? '';
  if (COMMENT_OR_EMPTY.test(line) || /^%(?:YAML|TAG)\b/.test(line)) {
    out.push(line);
    return index + 1;
  }
  const marker = /^(---|\.\.\.)(?=\s|$)(.*)$/.exec(line);
  if (marker) {
    return maskValue(lines, index, marker[1] ?? '', marker[2] ?? '', -1, out, masks);
  }
  const key = KEY_LINE.exec(line);
  if (key) {
    const [, indent = '', dashes = '', name = '', colon = '', rest = ''] = key;
    const head = indent + dashes + name + colon;
    if (indent === '' && dashes === '' && IDENTITY.test(name) && SIMPLE_VALUE.test(rest)) {
      out.push(line);
      return index + 1;
    }
    return maskValue(lines, index, head, rest, indent.length + dashes.length, out, masks);
  }
  const item = ITEM_LINE.exec(line);
  if (item) {
    const [, indent = '', dashes = '', rest = ''] = item;
    const head = indent + dashes;
    return maskValue(lines, index, head, rest, indent.length, out, masks);
  }
  // Not plainly a key: a continuation of some value, or something broken. Nothing of it shows.
  return maskValue(lines, index, /^\s*/.exec(line)?.[0] ?? '', line.trimStart(), -1, out, masks);
}

/**
 * Masks the value `rest` that follows `head` on line `index`, with the lines it continues on:
 * a block scalar's body, the lines up to the end of an open quote or flow collection, and any
 * further line indented deeper than `column` (the key's; -1 for a line that is not a key or
 * item). One mask stands for the whole value.
 */
function maskValue(
  lines: string[],
  index: number,
  head: string,
  rest: string,
  column: number,
  out: string[],
  masks: SecretMasks,
): number {
  if (COMMENT_OR_EMPTY.test(rest)) {
    out.push(head + rest);
    return index + 1;
  }
  if (BLOCK_HEADER.test(rest)) {
    let end = index + 1;
    while (end < lines.length && isBody(lines[end] ?? '', column)) end++;
    const body = lines.slice(index + 1, end);
    const mask = masks.mask(body.join('\n'));
    out.push(head + rest);
    for (const line of body) {
      out.push(line.trim() === '' ? line : (/^\s*/.exec(line)?.[0] ?? '') + mask);
    }
    return end;
  }
  let end = index + 1;
  let state = scan(rest, { quote: undefined, depth: 0 });
  // An open quote or bracket spans the lines indented deeper than its key, no further: a key
  // line back at the key's column is the next key, whatever the broken line before it left open.
  while (
    (state.quote || state.depth > 0) &&
    end < lines.length &&
    isBody(lines[end] ?? '', column)
  ) {
    state = scan(lines[end] ?? '', state);
    end++;
  }
  // A key or item with a value on its line has no children: lines deeper than it continue the
  // value (a multi-line plain scalar, or the body of a block header that did not parse).
  while (column >= 0 && end < lines.length && isBody(lines[end] ?? '', column)) end++;
  const spanned = [rest, ...lines.slice(index + 1, end)];
  const mask = masks.mask(spanned.map((line) => line.trim()).join('\n'));
  const gap = /^[ \t]*/.exec(rest)?.[0] ?? '';
  out.push(head + (gap !== '' || head === '' || /\s$/.test(head) ? gap : ' ') + mask);
  for (const line of spanned.slice(1)) {
    out.push(line.trim() === '' ? line : (/^\s*/.exec(line)?.[0] ?? '') + mask);
  }
  return end;
}

/** A line of a block scalar whose parent starts at `column` (-1: the document's root). */
function isBody(line: string, column: number): boolean {
  if (/^(?:---|\.\.\.)(?=\s|$)/.test(line)) return false;
  return line.trim() === '' || (/^\s*/.exec(line)?.[0].length ?? 0) > column;
}

interface ScanState {
  readonly quote: '"' | "'" | undefined;
  readonly depth: number;
}

/** Where a line leaves open quotes and flow brackets (`{`, `[`), from where the last one left. */
function scan(line: string, start: ScanState): ScanState {
  let quote = start.quote;
  let depth = start.depth;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') quote = undefined;
    } else if (quote === "'") {
      if (ch === "'" && line[i + 1] === "'") i++;
      else if (ch === "'") quote = undefined;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      break;
    } else if (ch === '"' || ch === "'") {
      // A quote opens a quoted scalar only where a value starts, not inside a plain one.
      if (i === 0 || /[\s,[{:]/.test(line[i - 1] ?? '')) quote = ch;
    } else if (ch === '{' || ch === '[') {
      depth++;
    } else if ((ch === '}' || ch === ']') && depth > 0) {
      depth--;
    }
  }
  return { quote, depth };
}
