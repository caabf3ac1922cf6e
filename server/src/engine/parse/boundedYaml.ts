/**
 * The `yaml` package's parse functions with the limits a hostile repository needs, for every
 * YAML text of a repository or a tool's output the engine reads:
 *
 * - depth: the composer recurses once per nested collection, so `[[[[...` ten thousand deep
 *   exhausts the stack, and V8 can then abort the whole process (a RegExp compiled near the
 *   stack's end fails as "out of memory"). The parser below is iterative: each document's tree of
 *   tokens is measured first, and a document nested deeper than MAX_YAML_DEPTH is composed empty
 *   with a RESOURCE_EXHAUSTION error instead. The parser itself slows down on very deep flow
 *   collections (seconds for 100 KB of `[`), so those are found by the lexer first, and the
 *   whole text is refused;
 * - aliases: `toJS` expands an alias each time it is met, so nine aliases of nine aliases... make
 *   billions of nodes; `parse` stops at MAX_ALIAS_COUNT (the package's own check) unless the
 *   caller asks for fewer.
 *
 * Same signatures and results as `yaml`'s `parse`, `parseAllDocuments` and `parseDocument`,
 * except that error messages end at "at line L, column C" (no code frame).
 */
import { CST, Composer, Lexer, LineCounter, Parser, YAMLParseError } from 'yaml';
import type {
  Document,
  DocumentOptions,
  EmptyStream,
  ParseOptions,
  SchemaOptions,
  ToJSOptions,
  YAMLError,
} from 'yaml';

/**
 * Collections nested deeper than this are not read. Kubernetes manifests and CRDs nest far less
 * (the Argo CD ApplicationSet CRD, among the deepest, nests 35 levels).
 */
export const MAX_YAML_DEPTH = 128;
/** YAML files larger than this are not validated (the biggest CRD bundles are a few MB). */
export const MAX_YAML_FILE_BYTES = 8 * 1024 * 1024;
/** Alias expansions `parse` allows (the `yaml` package's default, kept whatever it becomes). */
export const MAX_ALIAS_COUNT = 100;

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/** Offset of the first collection of `token` nested deeper than `limit`, if any. */
export function tooDeepAt(
  token: CST.Token | undefined,
  limit = MAX_YAML_DEPTH,
): number | undefined {
  const stack: Array<[CST.Token, number]> = token ? [[token, 0]] : [];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [CST.Token, number];
    switch (current.type) {
      case 'document':
        if (current.value) stack.push([current.value, depth]);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (depth + 1 > limit) return current.offset;
        for (const item of current.items) {
          if (item.key) stack.push([item.key, depth + 1]);
          if (item.value) stack.push([item.value, depth + 1]);
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/**
 * Offset of the first flow collection (`[`, `{`) nested deeper than `limit`, found by the lexer
 * (which knows quotes and comments). Texts with no more brackets than `limit` are not lexed.
 */
export function flowTooDeepAt(text: string, limit = MAX_YAML_DEPTH): number | undefined {
  let brackets = 0;
  for (let at = 0; at < text.length && brackets <= limit; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x5b || code === 0x7b) brackets++;
  }
  if (brackets <= limit) return undefined;
  let depth = 0;
  let offset = 0;
  for (const source of new Lexer().lex(text)) {
    switch (source) {
      case '[':
      case '{':
        if (++depth > limit) return offset;
        break;
      case ']':
      case '}':
        depth = Math.max(0, depth - 1);
        break;
      case CST.FLOW_END:
        depth = 0;
        break;
      default:
        break;
    }
    // The lexer's mode markers are not part of the source.
    if (source !== CST.DOCUMENT && source !== CST.FLOW_END && source !== CST.SCALAR) {
      offset += source.length;
    }
  }
  return undefined;
}

function depthError(offset: number): YAMLParseError {
  return new YAMLParseError(
    [offset, offset + 1],
    'RESOURCE_EXHAUSTION',
    `This document nests collections more than ${MAX_YAML_DEPTH} deep, so it was not read: Kubernetes manifests nest far less, flatten it`,
  );
}

/** The same first line `yaml`'s prettyErrors gives: the message, then where. */
function locate(lineCounter: LineCounter): (error: YAMLError) => void {
  return (error) => {
    if (error.pos[0] === -1) return;
    error.linePos = [lineCounter.linePos(error.pos[0]), lineCounter.linePos(error.pos[1])];
    const { line, col } = error.linePos[0];
    error.message += ` at line ${line}, column ${col}`;
  };
}

/** Composes `text`; documents nested too deep come out empty, with an error at the culprit. */
function compose(
  text: string,
  options: YamlOptions,
  forceDoc: boolean,
): { docs: Document.Parsed[]; composer: Composer } {
  const prettyErrors = options.prettyErrors !== false;
  const lineCounter = options.lineCounter ?? (prettyErrors ? new LineCounter() : undefined);
  const composer = new Composer(options);
  const flowAt = flowTooDeepAt(text);
  if (flowAt !== undefined) {
    lineCounter?.addNewLine(0);
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      lineCounter?.addNewLine(at + 1);
    }
    const docs = Array.from(composer.compose([], true, text.length));
    for (const doc of docs) {
      doc.errors.push(depthError(flowAt));
      if (prettyErrors && lineCounter) doc.errors.forEach(locate(lineCounter));
    }
    return { docs, composer };
  }
  const parser = new Parser(lineCounter?.addNewLine);
  const cut = new Map<number, number>();
  function* bounded(): Generator<CST.Token> {
    for (const token of parser.parse(text)) {
      if (token.type === 'document') {
        const at = tooDeepAt(token);
        if (at !== undefined) {
          cut.set(token.offset, at);
          delete token.value;
        }
      }
      yield token;
    }
  }
  const docs = Array.from(composer.compose(bounded(), forceDoc, text.length));
  for (const doc of docs) {
    const at = cut.get(doc.range[0]);
    if (at !== undefined) doc.errors.unshift(depthError(at));
    if (prettyErrors && lineCounter) {
      doc.errors.forEach(locate(lineCounter));
      doc.warnings.forEach(locate(lineCounter));
    }
  }
  return { docs, composer };
}

/** `yaml`'s `parseAllDocuments`, depth-bounded. */
export function parseAllDocuments(
  text: string,
  options: YamlOptions = {},
): Document.Parsed[] | EmptyStream {
  const { docs, composer } = compose(text, options, false);
  if (docs.length > 0) return docs;
  return Object.assign([], { empty: true as const }, composer.streamInfo());
}

/** `yaml`'s `parseDocument`, depth-bounded: one document, MULTIPLE_DOCS when there are more. */
export function parseDocument(text: string, options: YamlOptions = {}): Document.Parsed {
  const { docs } = compose(text, options, true);
  const [first, second] = docs as [Document.Parsed, ...Document.Parsed[]];
  if (second && first.options.logLevel !== 'silent') {
    first.errors.push(
      new YAMLParseError(
        [second.range[0], second.range[1]],
        'MULTIPLE_DOCS',
        'Source contains multiple documents; please use YAML.parseAllDocuments()',
      ),
    );
  }
  return first;
}

/** `yaml`'s `parse`: the value of the one document; throws its first error. */
export function parse(text: string, options: YamlOptions & ToJSOptions = {}): unknown {
  const doc = parseDocument(text, options);
  const [error] = doc.errors;
  if (error) throw error;
  return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, ...options });
}
