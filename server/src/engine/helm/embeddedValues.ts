/**
 * Values written as a YAML text inside a string field of another document: an Argo CD
 * Application's `helm.values`, a ConfigMap's `data` key read by a Flux HelmRelease's
 * `valuesFrom`. In a literal block scalar (`|`) each line of the values is a line of the file,
 * shifted by the block's indentation, so a key of the values is found on its own line; any other
 * scalar (folded, quoted, plain) has no such map, and the field's key stands for all of it. Pure.
 */
import { Scalar, isScalar } from 'yaml';
import type { Document, Node } from 'yaml';
import { parseDocument } from '../parse/boundedYaml';
import { LineIndex } from '../parse/lineIndex';
import { locate } from '../parse/locate';
import type { FieldPath } from '../parse/locate';
import type { Position, Range } from '../types';
import type { ValuesPath } from './valuesSchema';

/** A values text found in a string field. */
export interface EmbeddedValues {
  /** The values text, as the field holds it. */
  readonly text: string;
  /** The field's key in the file (where a finding goes when no line maps). */
  readonly keyRange: Range;
  /** The file line of the text's first line and the block's indentation: literal blocks only. */
  readonly block?: { readonly firstLine: number; readonly indent: number };
}

/** The string at `path` of `document` (parsed from `text`); undefined: no string there. */
export function embeddedValuesAt(
  document: Document.Parsed,
  text: string,
  lines: LineIndex,
  path: FieldPath,
): EmbeddedValues | undefined {
  const node = document.getIn(path, true) as Node | undefined;
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const keyRange = locate(document.contents, path, lines);
  if (!keyRange) return undefined;
  const value = node.value;
  if (node.type !== Scalar.BLOCK_LITERAL) return { text: value, keyRange };
  const header = lines.positionAt(node.range[0]).line;
  const fileLines = text.split(/\r?\n/);
  const innerLines = value.split('\n');
  // The block's indentation: the first line with content, in the file and in the value.
  const first = innerLines.findIndex((line) => line.trim() !== '');
  if (first < 0) return { text: value, keyRange };
  const outer = fileLines[header + 1 + first] ?? '';
  const indent = leading(outer) - leading(innerLines[first] ?? '');
  if (indent < 0) return { text: value, keyRange };
  return { text: value, keyRange, block: { firstLine: header + 1, indent } };
}

/** The values of an embedded text as helm reads them (YAML 1.1); undefined: not a map of values. */
export function embeddedDocument(embedded: EmbeddedValues): Document.Parsed | undefined {
  const document = parseDocument(embedded.text, { version: '1.1' });
  return document.errors.length > 0 ? undefined : document;
}

/** Where the key at `at` of the values is in the file: its line in a literal block, else the field's key. */
export function embeddedRange(
  embedded: EmbeddedValues,
  document: Document.Parsed,
  at: ValuesPath,
): Range {
  const block = embedded.block;
  if (!block) return embedded.keyRange;
  const inner = locate(document.contents, at, new LineIndex(embedded.text));
  if (!inner) return embedded.keyRange;
  const shift = (position: Position): Position => ({
    line: position.line + block.firstLine,
    character: position.character + block.indent,
  });
  return { start: shift(inner.start), end: shift(inner.end) };
}

function leading(line: string): number {
  return /^ */.exec(line)?.[0].length ?? 0;
}
