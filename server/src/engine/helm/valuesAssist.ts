/**
 * Hover and completion of values keys, from what the chart says of them (`valuesDocs.ts`): in a
 * values file of the chart (`prefix` empty), in a Flux HelmRelease's `spec.values` (`prefix`
 * `['spec', 'values']`), in an Argo CD `helm.valuesObject`, and in a values text written in a
 * block (Argo CD `helm.values`, a valuesFrom ConfigMap: `valuesHoverIn`, `valuesCompletionIn`). Pure.
 */
import { isMap, isScalar } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { CompletionEntry } from '../assist/completion';
import { documentAt } from '../assist/documentAt';
import { enclosingMaps, nodeAtOffset } from '../assist/nodePath';
import type { PathSegment } from '../assist/nodePath';
import type { Position, Range } from '../types';
import { keysAt, valuesKeyDoc, valuesKeyMarkdown } from './valuesDocs';
import type { ChartValuesDocs } from './valuesDocs';
import { positionInBlock, positionInFile } from './valuesAssistTargets';
import type { ValuesBlock } from './valuesAssistTargets';

/** The values a document holds at a position: a chart's docs, where the values are. */
export interface ValuesAt {
  readonly docs: ChartValuesDocs;
  readonly prefix: ReadonlyArray<string | number>;
  readonly block?: ValuesBlock;
}

/** `valuesHoverAt`, also inside a values text written in a block (`values.block`). */
export function valuesHoverIn(
  text: string,
  position: Position,
  values: ValuesAt,
): ValuesHover | undefined {
  const block = values.block;
  if (!block) return valuesHoverAt(text, position, values.docs, values.prefix);
  const inner = positionInBlock(block, position);
  const hover = inner ? valuesHoverAt(block.text, inner, values.docs) : undefined;
  if (!hover?.range) return hover;
  return {
    ...hover,
    range: {
      start: positionInFile(block, hover.range.start),
      end: positionInFile(block, hover.range.end),
    },
  };
}

/** `valuesCompletionAt`, also inside a values text written in a block (`values.block`). */
export function valuesCompletionIn(
  text: string,
  position: Position,
  values: ValuesAt,
): CompletionEntry[] | undefined {
  const block = values.block;
  if (!block) return valuesCompletionAt(text, position, values.docs, values.prefix);
  const inner = positionInBlock(block, position);
  return inner ? valuesCompletionAt(block.text, inner, values.docs) : undefined;
}

export interface ValuesHover {
  readonly markdown: string;
  readonly range?: Range;
}

/** What the chart says of the values key under the cursor; undefined: no key of the values. */
export function valuesHoverAt(
  text: string,
  position: Position,
  docs: ChartValuesDocs,
  prefix: ReadonlyArray<string | number> = [],
): ValuesHover | undefined {
  const at = documentAt(text, position);
  if (!at) return undefined;
  const found = nodeAtOffset(at.document.ast.contents, at.offset);
  if (!found || found.on !== 'key' || !found.node) return undefined;
  const path = valuesPathOf(found.path, prefix);
  if (!path || path.length === 0) return undefined;
  const doc = valuesKeyDoc(docs, path);
  if (!doc) return undefined;
  const range = found.node.range;
  return {
    markdown: valuesKeyMarkdown(path, doc, docs.chartName),
    ...(range
      ? {
          range: {
            start: shift(at.lines.positionAt(range[0]), at.startLine),
            end: shift(at.lines.positionAt(range[1]), at.startLine),
          },
        }
      : {}),
  };
}

/**
 * The keys that may be typed at the cursor, with their documentation: the keys of the map whose
 * keys sit at the cursor's indentation, not yet set there. Undefined: the cursor is not where a
 * values key goes.
 */
export function valuesCompletionAt(
  text: string,
  position: Position,
  docs: ChartValuesDocs,
  prefix: ReadonlyArray<string | number> = [],
): CompletionEntry[] | undefined {
  const at = documentAt(text, position);
  if (!at || !/^\s*[\w.-]*$/.test(at.linePrefix)) return undefined;
  const contents = at.document.ast.contents as Node | null;
  const indentation = /^\s*/.exec(at.linePrefix)?.[0].length ?? 0;
  const candidates = isMap(contents) ? enclosingMaps(contents, at.offset) : [];
  const target =
    [...candidates].reverse().find((entry) => keyColumn(entry.map, at.lines) === indentation) ??
    (isMap(contents) && indentation === 0 && prefix.length === 0
      ? { map: contents, path: [] as readonly PathSegment[] }
      : undefined);
  const path = target ? valuesPathOf(target.path, prefix) : undefined;
  if (!target || !path) return undefined;
  const typed = /[\w.-]*$/.exec(at.linePrefix)?.[0] ?? '';
  const present = new Set(
    target.map.items
      .map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''))
      .filter((key) => key !== '' && key !== typed),
  );
  return keysAt(docs, path)
    .filter((key) => !present.has(key))
    .map((key) => {
      const doc = valuesKeyDoc(docs, [...path, key]) ?? {};
      const nested = doc.type === 'object' || doc.type === 'array';
      return {
        label: key,
        kind: 'field' as const,
        ...(doc.type ? { detail: doc.type } : {}),
        documentation: valuesKeyMarkdown([...path, key], doc, docs.chartName),
        insertText: nested ? `${key}:` : `${key}: `,
      };
    });
}

/** The values path of a document path under `prefix`; undefined when it is not under it. */
function valuesPathOf(
  path: readonly PathSegment[],
  prefix: ReadonlyArray<string | number>,
): string[] | undefined {
  if (path.length < prefix.length || prefix.some((key, index) => path[index] !== key)) {
    return undefined;
  }
  const rest = path.slice(prefix.length);
  return rest.every((segment): segment is string => typeof segment === 'string') ? rest : undefined;
}

function keyColumn(
  map: YAMLMap,
  lines: { positionAt(offset: number): { character: number } },
): number | undefined {
  const first = map.items[0]?.key as Node | null | undefined;
  return first?.range ? lines.positionAt(first.range[0]).character : undefined;
}

function shift(position: Position, lines: number): Position {
  return { line: position.line + lines, character: position.character };
}
