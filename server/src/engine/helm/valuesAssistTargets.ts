/**
 * Where, in a file that is not a chart's values file, the values of a chart of the repository
 * are written, for hover and completion of their keys: an Argo CD Application source's
 * `helm.valuesObject` (a path of the document) and `helm.values` (a YAML text in a literal
 * block), a ConfigMap or Secret `stringData` key read by a Flux HelmRelease's `valuesFrom` (a
 * YAML text too). A text is assisted line by line from the file's own lines, so a key being
 * typed on a new line of the block is assisted too. Pure.
 */
import { isMap } from 'yaml';
import type { Document, Node } from 'yaml';
import { parseAllDocuments } from '../parse/boundedYaml';
import { LineIndex } from '../parse/lineIndex';
import type { RenderUnit } from '../render/types';
import type { Position } from '../types';

/** A values text inside a literal block of the file: its lines with the block's indentation taken off. */
export interface ValuesBlock {
  readonly text: string;
  /** The file line of the text's first line. */
  readonly firstLine: number;
  readonly indent: number;
}

/** The values at a line: the chart they are for, and where they are. */
export interface ValuesAssistTarget {
  readonly chartRoot: string;
  /** Where the values are in the document (empty for a values text). */
  readonly prefix: ReadonlyArray<string | number>;
  /** Set when the values are a YAML text in a block scalar. */
  readonly block?: ValuesBlock;
}

/**
 * The values at `line` (zero-based) of `text` (the file `file`): those of an Argo CD
 * Application source or of a `valuesFrom` ConfigMap or Secret (`units`: the workspace's).
 */
export function valuesAssistTarget(
  file: string,
  text: string,
  line: number,
  units: readonly RenderUnit[],
): ValuesAssistTarget | undefined {
  const documents = parseAllDocuments(text, { version: '1.1' });
  if (!Array.isArray(documents)) return undefined;
  const lines = new LineIndex(text);
  const document = documentAtLine(documents, lines, line);
  if (!document) return undefined;
  const kind = document.get('kind');
  if (kind === 'Application') {
    return argoTarget(file, text, lines, documents, document, line, units);
  }
  if (kind === 'ConfigMap' || kind === 'Secret') {
    return valuesFromTarget(file, text, lines, document, line, units);
  }
  return undefined;
}

/** Converts a file position to one inside the block's text; undefined when it is not in it. */
export function positionInBlock(block: ValuesBlock, position: Position): Position | undefined {
  const line = position.line - block.firstLine;
  if (line < 0 || line >= block.text.split('\n').length || position.character < block.indent) {
    return undefined;
  }
  return { line, character: position.character - block.indent };
}

/** Converts a position inside the block's text to the file's. */
export function positionInFile(block: ValuesBlock, position: Position): Position {
  return { line: position.line + block.firstLine, character: position.character + block.indent };
}

function argoTarget(
  file: string,
  text: string,
  lines: LineIndex,
  documents: readonly Document.Parsed[],
  document: Document.Parsed,
  line: number,
  units: readonly RenderUnit[],
): ValuesAssistTarget | undefined {
  const candidates = units.filter(
    (unit) =>
      unit.kind === 'argocd-application' &&
      unit.renderer === 'helm' &&
      unit.helm !== undefined &&
      !unit.helm.remote &&
      unit.definedIn?.file === file &&
      documentAtLine(documents, lines, unit.definedIn.line - 1) === document,
  );
  for (const unit of candidates) {
    const source = sourceOf(unit, document);
    if (!source) continue;
    const helm = [...source, 'helm'];
    const object = document.getIn([...helm, 'valuesObject'], true) as Node | undefined;
    if (isMap(object) && spans(object, line, lines)) {
      return { chartRoot: unit.root, prefix: [...helm, 'valuesObject'] };
    }
    const block = blockAt(document.getIn([...helm, 'values'], true), text, lines, line);
    if (block) return { chartRoot: unit.root, prefix: [], block };
  }
  return undefined;
}

function valuesFromTarget(
  file: string,
  text: string,
  lines: LineIndex,
  document: Document.Parsed,
  line: number,
  units: readonly RenderUnit[],
): ValuesAssistTarget | undefined {
  const name = document.getIn(['metadata', 'name']);
  const kind = document.get('kind');
  for (const unit of units) {
    if (unit.kind !== 'flux-helmrelease' || !unit.helm || unit.helm.remote) continue;
    for (const reference of unit.helm.valuesFrom ?? []) {
      if (reference.file !== file || reference.kind !== kind || reference.name !== name) continue;
      if (reference.targetPath) continue;
      const fields = kind === 'Secret' ? ['stringData'] : ['data'];
      for (const field of fields) {
        const node = document.getIn([field, reference.valuesKey], true);
        const block = blockAt(node, text, lines, line);
        if (block) return { chartRoot: unit.root, prefix: [], block };
      }
    }
  }
  return undefined;
}

/** The literal block `node` as a values text, when `line` is one of its lines. */
function blockAt(
  node: unknown,
  text: string,
  lines: LineIndex,
  line: number,
): ValuesBlock | undefined {
  const scalar = node as { type?: string; range?: [number, number, number] } | undefined;
  if (!scalar?.range || scalar.type !== 'BLOCK_LITERAL') return undefined;
  const header = lines.positionAt(scalar.range[0]).line;
  const fileLines = text.split(/\r?\n/);
  const headerText = fileLines[header] ?? '';
  const parentIndent = /^ */.exec(headerText)?.[0].length ?? 0;
  // The block's lines: up to the first line with content indented no deeper than its key.
  const body: string[] = [];
  for (let at = header + 1; at < fileLines.length; at++) {
    const content = fileLines[at] ?? '';
    if (content.trim() !== '' && (/^ */.exec(content)?.[0].length ?? 0) <= parentIndent) break;
    body.push(content);
  }
  const firstContent = body.find((entry) => entry.trim() !== '');
  const indent = firstContent ? (/^ */.exec(firstContent)?.[0].length ?? 0) : parentIndent + 2;
  if (line <= header || line > header + body.length) return undefined;
  return {
    text: body
      .map((entry) => entry.slice(Math.min(indent, /^ */.exec(entry)?.[0].length ?? 0)))
      .join('\n'),
    firstLine: header + 1,
    indent,
  };
}

/** The source of the Application that `unit` renders: its position ends the unit's id. */
function sourceOf(
  unit: RenderUnit,
  document: Document.Parsed,
): ReadonlyArray<string | number> | undefined {
  if (isMap(document.getIn(['spec', 'source'], true))) return ['spec', 'source'];
  const position = Number(/:(\d+)$/.exec(unit.id)?.[1] ?? Number.NaN);
  const sources = document.getIn(['spec', 'sources'], true) as { items?: unknown[] } | undefined;
  const index = (sources?.items ?? [])
    .map((item, at) => (isMap(item) ? at : -1))
    .filter((at) => at >= 0)[position];
  return index === undefined ? undefined : ['spec', 'sources', index];
}

function spans(node: Node, line: number, lines: LineIndex): boolean {
  const range = node.range;
  if (!range) return false;
  return lines.positionAt(range[0]).line <= line && line <= lines.positionAt(range[2]).line;
}

/** The last document of `documents` that starts at or above `line`. */
function documentAtLine(
  documents: readonly Document.Parsed[],
  lines: LineIndex,
  line: number,
): Document.Parsed | undefined {
  return documents.filter((candidate) => lines.positionAt(candidate.range[0]).line <= line).at(-1);
}
