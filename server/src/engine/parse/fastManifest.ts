import type { Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { FastNodes, fastPair, fastScalar, isDuplicate, keySet } from './fastNodes';
import { LineIndex } from './lineIndex';
import { MAX_YAML_DEPTH } from './boundedYaml';
import { MANIFEST_YAML_OPTIONS, readIdentity } from './manifestDocuments';
import type { ManifestFile } from './manifestDocuments';
import { contentLines, onlyComment, quotedScalar } from './fastLines';
import type { Line } from './fastLines';
import { UNSURE, plainValue } from './fastScalars';

/*
 * A parser for the block-style YAML that manifests are made of, about ten times faster than the
 * `yaml` package's, that builds the very nodes the `yaml` package would (same classes, values,
 * styles and ranges), so validation and its findings cannot tell them apart. It reads one
 * document of block mappings and sequences (blank lines and column-0 comments between entries),
 * plain scalars (wrapped over several lines too), quoted scalars (single-quoted ones over
 * several lines), literal block scalars and one-line flow collections of scalars, as
 * controller-gen writes CRDs; anything else (anchors, aliases, tags, folded scalars, YAML 1.1
 * spellings such as `yes` or `012`, duplicate keys, anything the `yaml` package would warn about
 * or refuse) makes it give up, and the caller parses the text with the `yaml` package.
 * test/unit/fastManifest.test.ts holds the two to the same nodes and findings.
 */

/** Every document the fast parser builds shares its options and schema (immutable). */
let sharedNodes: FastNodes | undefined;

/** Why the fast parser gave up: the text holds something it leaves to the `yaml` package. */
class FastParseRefused extends Error {
  readonly reason = 'notPlainBlockYaml';
}

/** Thrown to give up (one instance: giving up is common and costs no stack); caught once. */
const GIVE_UP = new FastParseRefused('the fast parser leaves this document to the yaml package');

type Parsed<T> = readonly [T, number];

/**
 * The text's one document, parsed as the `yaml` package would with MANIFEST_YAML_OPTIONS, or
 * undefined when the text holds anything this parser does not read.
 */
export function parseManifestFast(text: string): ManifestFile | undefined {
  const found = contentLines(text);
  if (!found) return undefined;
  try {
    return new FastParser(text, found.lines, found.start).file();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

class FastParser {
  private readonly doc: Document.Parsed;
  private readonly nodes: FastNodes;

  constructor(
    private readonly text: string,
    private readonly lines: readonly Line[],
    /** Where the document starts: its `---`, else its first line of content. */
    private readonly start: number,
  ) {
    this.nodes = sharedNodes ??= new FastNodes(MANIFEST_YAML_OPTIONS);
    this.doc = this.nodes.document();
  }

  file(): ManifestFile {
    const first = this.lines[0] as Line;
    if (first.indent !== 0 || this.isDash(first, first.start)) throw GIVE_UP;
    const [root, next] = this.map(0, 0, first.start);
    if (next !== this.lines.length) throw GIVE_UP;
    const { doc, text } = this;
    const lines = new LineIndex(text);
    const end = root.range?.[2] ?? text.length;
    doc.contents = root as never;
    doc.range = [this.start, end, text.length];
    return {
      documents: [
        {
          index: 0,
          text: text.slice(this.start, end),
          range: lines.rangeAt(this.start, end),
          ast: doc,
          problems: [],
          identity: readIdentity(root, lines),
        },
      ],
      lines,
    };
  }

  /** Collections open: one deeper than MAX_YAML_DEPTH is the `yaml` package's to refuse. */
  private depth = 0;

  private enter(): void {
    if (++this.depth >= MAX_YAML_DEPTH) throw GIVE_UP;
  }

  private line(index: number): Line | undefined {
    return this.lines[index];
  }

  /** A `-` then a space or the end of the line at `at`. */
  private isDash(line: Line, at: number): boolean {
    if (this.text.charCodeAt(at) !== 0x2d) return false;
    return at + 1 === line.end || this.text.charCodeAt(at + 1) === 0x20;
  }

  /** The block mapping whose first key is at `keyAt` on line `index`, its keys at `column`. */
  private map(index: number, column: number, keyAt: number): Parsed<YAMLMap> {
    this.enter();
    const map = this.nodes.map();
    let keys: Set<unknown> | undefined;
    let at = index;
    let keyStart = keyAt;
    let last: Node | undefined;
    for (;;) {
      const line = this.line(at) as Line;
      const colon = this.keyEnd(keyStart, line.end);
      const key = this.scalar(this.text.slice(keyStart, colon), keyStart, colon, colon, 'PLAIN');
      if (isDuplicate(map, key.value, (keys = keySet(map, keys)))) throw GIVE_UP;
      keys?.add(key.value);
      let valueAt = colon + 1;
      while (valueAt < line.end && this.text.charCodeAt(valueAt) === 0x20) valueAt++;
      let value: Node;
      if (valueAt === line.end || this.text.charCodeAt(valueAt) === 0x23) {
        [value, at] = this.nested(at + 1, column);
      } else if (this.text.charCodeAt(valueAt) === 0x7c /* | */) {
        [value, at] = this.literal(valueAt, at, column);
      } else {
        [value, at] = this.inline(valueAt, at, column);
      }
      map.items.push(fastPair(key, value));
      last = value;
      const next = this.line(at);
      if (!next || next.indent < column) break;
      if (next.indent > column) throw GIVE_UP;
      keyStart = next.start + next.indent;
      // A `-` at a mapping's own indentation is an error the `yaml` package words.
      if (this.isDash(next, keyStart)) throw GIVE_UP;
    }
    const end = last.range?.[2] ?? keyAt;
    map.range = [keyAt, end, end];
    this.depth--;
    return [map, at];
  }

  /** The value of a key written alone on its line: a block collection on the next lines. */
  private nested(index: number, column: number): Parsed<Node> {
    const line = this.line(index);
    if (!line) throw GIVE_UP;
    const at = line.start + line.indent;
    if (line.indent > column) {
      return this.isDash(line, at)
        ? this.seq(index, line.indent)
        : this.map(index, line.indent, at);
    }
    if (line.indent === column && this.isDash(line, at)) return this.seq(index, column);
    throw GIVE_UP;
  }

  /** The block sequence whose first `-` starts line `index`, at `column`. */
  private seq(index: number, column: number): Parsed<YAMLSeq> {
    this.enter();
    const seq = this.nodes.seq();
    const start = (this.line(index) as Line).start + column;
    let at = index;
    let last: Node | undefined;
    for (;;) {
      const line = this.line(at) as Line;
      let valueAt = line.start + column + 1;
      while (valueAt < line.end && this.text.charCodeAt(valueAt) === 0x20) valueAt++;
      let item: Node;
      if (valueAt === line.end || this.text.charCodeAt(valueAt) === 0x23) {
        const next = this.line(at + 1);
        if (!next || next.indent <= column) throw GIVE_UP;
        [item, at] = this.nested(at + 1, column);
      } else if (this.isDash(line, valueAt)) {
        throw GIVE_UP;
      } else if (this.isCompactKey(valueAt, line.end)) {
        [item, at] = this.map(at, valueAt - line.start, valueAt);
      } else {
        [item, at] = this.inline(valueAt, at, column);
      }
      seq.items.push(item);
      last = item;
      const next = this.line(at);
      if (!next || next.indent < column) break;
      if (next.indent > column) throw GIVE_UP;
      if (!this.isDash(next, next.start + column)) break;
    }
    const end = last.range?.[2] ?? start;
    seq.range = [start, end, end];
    this.depth--;
    return [seq, at];
  }

  /** True when a plain key and its `:` start at `at` (a sequence item that is a mapping). */
  private isCompactKey(at: number, end: number): boolean {
    const code = this.text.charCodeAt(at);
    if (code === 0x22 || code === 0x27 || code === 0x5b || code === 0x7b) return false;
    for (let i = at; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x23 && this.text.charCodeAt(i - 1) === 0x20) return false;
      if (c === 0x3a && (i + 1 === end || this.text.charCodeAt(i + 1) === 0x20)) return true;
    }
    return false;
  }

  /** Where the plain key starting at `at` ends: at its `:`, followed by a space or the end. */
  private keyEnd(at: number, end: number): number {
    if (!this.startsPlain(at, end)) throw GIVE_UP;
    for (let i = at + 1; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x23 && this.text.charCodeAt(i - 1) === 0x20) throw GIVE_UP;
      if (c === 0x3a && (i + 1 === end || this.text.charCodeAt(i + 1) === 0x20)) {
        if (this.text.charCodeAt(i - 1) === 0x20) throw GIVE_UP;
        return i;
      }
    }
    throw GIVE_UP;
  }

  /** A plain scalar may start at `at`: no indicator (a `-` only before a non-space). */
  private startsPlain(at: number, end: number): boolean {
    const code = this.text.charCodeAt(at);
    if (code === 0x2d) return at + 1 < end && this.text.charCodeAt(at + 1) !== 0x20;
    // ? : , [ ] { } # & * ! | > ' " % @ `
    return !'?:,[]{}#&*!|>\'"%@`'.includes(this.text[at] as string);
  }

  /**
   * A value that starts at `at` on line `index`, in a collection at `column`: a scalar or a flow
   * collection on that line, or a plain scalar that goes on over the lines indented deeper than
   * `column` (a long description wrapped, as controller-gen writes CRDs); the line after it.
   */
  private inline(at: number, index: number, column: number): Parsed<Node> {
    const line = this.line(index) as Line;
    const code = this.text.charCodeAt(at);
    const end = line.end === this.text.length ? line.end : line.end + 1;
    if (code === 0x7b || code === 0x5b) {
      const [node, close] = this.flow(at, line.end);
      this.restOfLine(close, line.end);
      node.range = [at, close, end];
      return [node, index + 1];
    }
    if (code === 0x27 && !quotedScalar(this.text, at, line.end)) {
      return this.singleQuotedLines(at, index, column);
    }
    if (code === 0x22 || code === 0x27) {
      const [value, close] = this.quotedAt(at, line.end);
      this.restOfLine(close, line.end);
      const type = code === 0x22 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
      return [this.scalar(value, at, close, end, type), index + 1];
    }
    if (!this.startsPlain(at, line.end)) throw GIVE_UP;
    const stop = this.plainEnd(at, line.end);
    if (stop < line.end || this.lines[index + 1]?.indent === undefined) {
      // A comment ends the scalar: a deeper line after it is the `yaml` package's to refuse.
      return [this.scalar(this.text.slice(at, stop), at, stop, end, 'PLAIN'), index + 1];
    }
    let source = this.text.slice(at, stop);
    let valueEnd = stop;
    let last = line;
    let next = index + 1;
    for (let more = this.lines[next]; more && more.indent > column; more = this.lines[++next]) {
      // A blank line inside the scalar is a line break in its value: left to the `yaml` package.
      if (more.gap) throw GIVE_UP;
      const from = more.start + more.indent;
      // A quote or bracket here is more of the scalar's text; a line that could open an entry
      // (`- `, `? `, `: `) is left to the `yaml` package.
      const opens = from + 1 === more.end || this.text.charCodeAt(from + 1) === 0x20;
      if (opens && '-?:'.includes(this.text[from] as string)) throw GIVE_UP;
      const to = this.plainEnd(from, more.end);
      if (to < more.end) throw GIVE_UP;
      source += ` ${this.text.slice(from, to)}`;
      valueEnd = to;
      last = more;
    }
    const nodeEnd = last.end === this.text.length ? last.end : last.end + 1;
    return [this.scalar(source, at, valueEnd, nodeEnd, 'PLAIN'), next];
  }

  /**
   * A single-quoted scalar that opens at `at` on line `index` and closes on a later line indented
   * deeper than `column` (older controller-gen wrapped CRD descriptions so): each line break
   * between two lines of text is a space. Blank lines (line breaks in the value) are left to the
   * `yaml` package.
   */
  private singleQuotedLines(at: number, index: number, column: number): Parsed<Node> {
    const line = this.line(index) as Line;
    const first = this.text.slice(at + 1, this.spacesBefore(line.end, at + 1));
    if (first === '') throw GIVE_UP;
    let value = first.replaceAll("''", "'");
    for (let next = index + 1; ; next++) {
      const more = this.lines[next];
      if (!more || more.indent <= column || more.gap) throw GIVE_UP;
      const from = more.start + more.indent;
      let close = -1;
      for (let i = from; i < more.end; i++) {
        if (this.text.charCodeAt(i) !== 0x27) continue;
        if (this.text.charCodeAt(i + 1) === 0x27) {
          i++;
          continue;
        }
        close = i;
        break;
      }
      if (close === -1) {
        value += ` ${this.text.slice(from, this.spacesBefore(more.end, from)).replaceAll("''", "'")}`;
        continue;
      }
      value += ` ${this.text.slice(from, close).replaceAll("''", "'")}`;
      this.restOfLine(close + 1, more.end);
      const end = more.end === this.text.length ? more.end : more.end + 1;
      return [this.scalar(value, at, close + 1, end, 'QUOTE_SINGLE'), next + 1];
    }
  }

  /**
   * Where the plain scalar text from `at` ends on its line (`end` when it runs to the end): at a
   * comment, its trailing spaces dropped; a `: ` in it is the `yaml` package's to refuse.
   */
  private plainEnd(at: number, end: number): number {
    let stop = end;
    for (let i = at + 1; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x23 && this.text.charCodeAt(i - 1) === 0x20) {
        stop = i;
        break;
      }
      if (c === 0x3a && (i + 1 === end || this.text.charCodeAt(i + 1) === 0x20)) {
        throw GIVE_UP;
      }
    }
    while (this.text.charCodeAt(stop - 1) === 0x20) stop--;
    return stop;
  }

  /**
   * A literal block scalar (`|` or `|-`, nothing else on its line) that starts at `at` on line
   * `index`, the value of a key at `column`: its lines are those indented deeper than the key, all
   * at least as deep as the first, and the empty lines between them (paragraphs of a CRD's
   * descriptions). Comment lines (content here, which `contentLines` does not keep), lines of
   * spaces deeper than the content's indentation, trailing blank lines after the last line (a
   * chomping detail), other headers and indentations are left to the `yaml` package.
   */
  private literal(at: number, index: number, column: number): Parsed<Scalar> {
    const header = this.line(index) as Line;
    const strip = this.text.charCodeAt(at + 1) === 0x2d; /* - */
    if (at + (strip ? 2 : 1) !== header.end) throw GIVE_UP;
    const first = this.line(index + 1);
    if (!first || first.indent <= column) throw GIVE_UP;
    const lines: string[] = [];
    let next = index + 1;
    let last = header;
    let following: Line | undefined = first;
    while (following && following.indent > column) {
      if (following.indent < first.indent) throw GIVE_UP;
      if (following.gap) this.emptyLines(last.end + 1, following.start, first.indent, lines);
      lines.push(this.text.slice(following.start + first.indent, following.end));
      last = following;
      following = this.lines[++next];
    }
    if (following ? following.gap : last.end + 1 < this.text.length) throw GIVE_UP;
    const end = last.end === this.text.length ? last.end : last.end + 1;
    const value = strip ? lines.join('\n') : `${lines.join('\n')}\n`;
    const node = fastScalar(value);
    node.range = [at, end, end];
    node.source = value;
    node.type = 'BLOCK_LITERAL';
    return [node, next];
  }

  /**
   * The lines from `from` to `to` inside a literal block scalar whose content is indented by
   * `indent`: each empty (at most `indent` spaces), an empty line of the value.
   */
  private emptyLines(from: number, to: number, indent: number, into: string[]): void {
    let start = from;
    while (start < to) {
      const end = this.text.indexOf('\n', start);
      for (let i = start; i < end; i++) {
        if (this.text.charCodeAt(i) !== 0x20 || i - start >= indent) throw GIVE_UP;
      }
      into.push('');
      start = end + 1;
    }
  }

  /** Where the spaces (U+0020 only, as YAML folds) that end the text before `end` start. */
  private spacesBefore(end: number, from: number): number {
    let at = end;
    while (at > from && this.text.charCodeAt(at - 1) === 0x20) at--;
    return at;
  }

  /** Nothing but spaces and a comment may follow a quoted scalar or a flow collection. */
  private restOfLine(at: number, end: number): void {
    if (!onlyComment(this.text, at, end)) throw GIVE_UP;
  }

  /** A one-line flow mapping or sequence of scalars, and the offset after its closing bracket. */
  private flow(open: number, end: number): Parsed<YAMLMap | YAMLSeq> {
    const isMap = this.text.charCodeAt(open) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const node = isMap ? this.nodes.map() : this.nodes.seq();
    node.flow = true;
    let keys: Set<unknown> | undefined;
    let at = this.skipSpaces(open + 1, end);
    if (this.text.charCodeAt(at) === close) return [node, at + 1];
    for (;;) {
      const first = this.flowScalar(at, end, isMap);
      at = this.skipSpaces(first.range?.[1] ?? end, end);
      if (isMap) {
        if (this.text.charCodeAt(at) !== 0x3a || this.text.charCodeAt(at + 1) !== 0x20) {
          throw GIVE_UP;
        }
        if (isDuplicate(node as YAMLMap, first.value, (keys = keySet(node as YAMLMap, keys)))) {
          throw GIVE_UP;
        }
        keys?.add(first.value);
        const value = this.flowScalar(this.skipSpaces(at + 1, end), end, false);
        (node as YAMLMap).items.push(fastPair(first, value));
        at = this.skipSpaces(value.range?.[1] ?? end, end);
      } else {
        (node as YAMLSeq).items.push(first);
      }
      const code = this.text.charCodeAt(at);
      if (code === close) return [node, at + 1];
      if (code !== 0x2c /* , */) throw GIVE_UP;
      at = this.skipSpaces(at + 1, end);
      if (this.text.charCodeAt(at) === close) throw GIVE_UP;
    }
  }

  /** A scalar inside a flow collection (a key when `key`): plain or quoted, on this line. */
  private flowScalar(at: number, end: number, key: boolean): Scalar {
    const code = this.text.charCodeAt(at);
    if (code === 0x22 || code === 0x27) {
      if (key) throw GIVE_UP;
      const [value, close] = this.quotedAt(at, end);
      const after = this.skipSpaces(close, end);
      return this.scalar(value, at, close, after, code === 0x22 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE');
    }
    if (at >= end || !this.startsPlain(at, end)) throw GIVE_UP;
    let stop = at;
    while (stop < end) {
      const c = this.text.charCodeAt(stop);
      // , [ ] { } # end a plain scalar here or are refused; `: ` ends a key.
      if (c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x23) break;
      if (c === 0x3a && this.text.charCodeAt(stop + 1) === 0x20) break;
      if (c === 0x3a) throw GIVE_UP;
      stop++;
    }
    // The node runs on over the spaces after it, as the `yaml` package's flow scalars do.
    const after = stop;
    while (this.text.charCodeAt(stop - 1) === 0x20) stop--;
    if (stop === at) throw GIVE_UP;
    return this.scalar(this.text.slice(at, stop), at, stop, after, 'PLAIN');
  }

  /** A one-line quoted scalar starting at `at`: its value and the offset after its quote. */
  private quotedAt(at: number, end: number): readonly [string, number] {
    const quoted = quotedScalar(this.text, at, end);
    if (!quoted) throw GIVE_UP;
    return quoted;
  }

  private skipSpaces(at: number, end: number): number {
    let i = at;
    while (i < end && this.text.charCodeAt(i) === 0x20) i++;
    return i;
  }

  /** A scalar node as the `yaml` package builds it; a plain one resolved by fastScalars. */
  private scalar(
    source: string,
    start: number,
    valueEnd: number,
    nodeEnd: number,
    type: Scalar.Type,
  ): Scalar {
    const value = type === 'PLAIN' ? plainValue(source) : source;
    if (value === UNSURE) throw GIVE_UP;
    const node = fastScalar(value);
    node.range = [start, valueEnd, nodeEnd];
    node.source = source;
    node.type = type;
    return node;
  }
}
