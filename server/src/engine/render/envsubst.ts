/**
 * Flux's variable substitution language (fluxcd/pkg/envsubst, a fork of drone/envsubst), read
 * as kustomize-controller reads it, so a render says what Flux would apply:
 * - `${name}`; defaults `${name:-word}`, `${name:=word}`, `${name=word}` (also `:?` and `:+`,
 *   which Flux reads as defaults too), whose word may hold further expressions
 *   (`${CLAIM:-${APP}}`); a default replaces an empty value as well as an unset one;
 * - `${#name}`, `${name^}`, `${name^^}`, `${name,}`, `${name,,}`, `${name:offset:length}`,
 *   `${name/from/to}` (`//`, `/#`, `/%`), `${name#glob}` (`##`, `%`, `%%`);
 * - `$$` is one `$` outside expressions (`$${name}` stays as written, less one `$`);
 * - anything else after a name (`${name-word}`, a line that ends inside `${`) is an error, as
 *   Flux's build fails on it.
 * Values the workspace cannot know (`lookup` says undefined) keep their expression as written.
 */

/** Flux's build would fail on the text: the message says where. */
export class SubstitutionError extends Error {
  constructor(
    message: string,
    /** The expression as written, from its `${` (cut short). */
    readonly expression: string,
  ) {
    super(message);
    this.name = 'SubstitutionError';
  }
}

/** A variable's value; undefined when this workspace cannot know it. */
export type VariableLookup = (name: string) => string | undefined;

const UNKNOWN = Symbol('unknown');
type Value = string | typeof UNKNOWN;

const NAME_CHAR = /[\p{L}\p{N}_]/u;
/** Expressions nested deeper are refused: a hostile text must not exhaust the stack. */
const MAX_NESTING = 64;
const DEFAULT_OPS = new Set([':-', ':=', ':?', ':+', '=']);

/** Told the text each top-level expression became, and the variables it read for it. */
export type ExpressionReport = (output: string, read: readonly string[]) => void;

/** `text` with every expression replaced; throws SubstitutionError where Flux's build fails. */
export function envsubst(text: string, lookup: VariableLookup, report?: ExpressionReport): string {
  if (!text.includes('$')) return text;
  return new Substitution(text, lookup, report).top();
}

class Substitution {
  private at = 0;
  private depth = 0;
  private read: string[] = [];
  private readonly lookup: VariableLookup;

  constructor(
    private readonly text: string,
    lookup: VariableLookup,
    private readonly report: ExpressionReport | undefined,
  ) {
    this.lookup = (name) => {
      this.read.push(name);
      return lookup(name);
    };
  }

  top(): string {
    const { text } = this;
    let out = '';
    let from = 0;
    while (this.at < text.length) {
      const dollar = text.indexOf('$', this.at);
      if (dollar === -1) break;
      if (text[dollar + 1] === '$') {
        out += text.slice(from, dollar + 1);
        this.at = from = dollar + 2;
      } else if (text[dollar + 1] === '{') {
        out += text.slice(from, dollar);
        this.at = dollar + 2;
        this.read = [];
        const value = this.expression(dollar);
        if (value !== UNKNOWN) this.report?.(value, this.read);
        out += value === UNKNOWN ? text.slice(dollar, this.at) : value;
        from = this.at;
      } else {
        this.at = dollar + 1;
      }
    }
    return out + text.slice(from);
  }

  /** The expression whose `${` is at `start` (`at` is past it); `at` ends past its `}`. */
  private expression(start: number): Value {
    if (this.depth >= MAX_NESTING) {
      throw this.error(start, `expressions nested more than ${MAX_NESTING} deep are not read here`);
    }
    this.depth += 1;
    try {
      return this.expressionBody(start);
    } finally {
      this.depth -= 1;
    }
  }

  private expressionBody(start: number): Value {
    const { text } = this;
    if (text[this.at] === '#') {
      this.at += 1;
      const name = this.name(start);
      this.close(start);
      const value = this.lookup(name);
      return value === undefined ? UNKNOWN : String(Buffer.byteLength(value));
    }
    const name = this.name(start);
    const next = text[this.at];
    if (next === '}') {
      this.at += 1;
      return this.valueOf(name);
    }
    if (next === ':' && '=-?+'.includes(text[this.at + 1] ?? ''))
      return this.defaulted(start, name, 2);
    if (next === '=') return this.defaulted(start, name, 1);
    if (next === ':') return this.substring(start, name);
    if (next === ',' || next === '^') return this.casing(start, name);
    if (next === '/') return this.replace(start, name);
    if (next === '#' || next === '%') return this.remove(start, name, next);
    throw this.error(start, 'missing closing brace');
  }

  private valueOf(name: string): Value {
    return this.lookup(name) ?? UNKNOWN;
  }

  private name(start: number): string {
    const from = this.at;
    while (this.at < this.text.length && NAME_CHAR.test(this.text[this.at] ?? '')) this.at += 1;
    if (this.at === from) throw this.error(start, 'unable to parse variable name');
    return this.text.slice(from, this.at);
  }

  private close(start: number): void {
    if (this.text[this.at] !== '}') throw this.error(start, 'bad substitution');
    this.at += 1;
  }

  private defaulted(start: number, name: string, opLength: number): Value {
    if (!DEFAULT_OPS.has(this.text.slice(this.at, this.at + opLength))) {
      throw this.error(start, 'unable to parse default function');
    }
    this.at += opLength;
    const words: Value[] = [];
    while (this.text[this.at] !== '}') words.push(this.param(start, (c) => c !== '}', false));
    this.at += 1;
    const value = this.lookup(name);
    if (value === undefined) return UNKNOWN;
    if (value !== '' || words.length === 0) return value;
    return words.includes(UNKNOWN) ? UNKNOWN : words.join('');
  }

  private substring(start: number, name: string): Value {
    this.at += 1;
    const offset = this.param(start, (c) => c !== ':' && c !== '}', false);
    let length: Value | undefined;
    if (this.text[this.at] === ':') {
      // A run of colons is the one separator, as for slashes.
      while (this.text[this.at] === ':') this.at += 1;
      length = this.param(start, (c) => c !== '}', false);
    }
    this.close(start);
    const value = this.lookup(name);
    if (value === undefined || offset === UNKNOWN || length === UNKNOWN) return UNKNOWN;
    return substringOf(value, offset, length);
  }

  private casing(start: number, name: string): Value {
    const from = this.at;
    while (this.at - from < 2 && (this.text[this.at] === ',' || this.text[this.at] === '^')) {
      this.at += 1;
    }
    const op = this.text.slice(from, this.at);
    this.close(start);
    const value = this.lookup(name);
    if (value === undefined) return UNKNOWN;
    const first = [...value][0] ?? '';
    switch (op) {
      case '^':
        return first.toUpperCase() + value.slice(first.length);
      case '^^':
        return value.toUpperCase();
      case ',':
        return first.toLowerCase() + value.slice(first.length);
      case ',,':
        return value.toLowerCase();
      default:
        return value;
    }
  }

  private replace(start: number, name: string): Value {
    this.at += 1;
    let op = '/';
    const mode = this.text[this.at];
    if (mode === '/' || mode === '#' || mode === '%') {
      op += mode;
      this.at += 1;
    }
    const from = this.param(start, (c) => c !== '/', true);
    if (this.text[this.at] !== '/') throw this.error(start, 'bad substitution');
    // Flux's scanner takes a run of slashes as the one separator.
    while (this.text[this.at] === '/') this.at += 1;
    const to = this.text[this.at] === '}' ? undefined : this.param(start, (c) => c !== '}', true);
    this.close(start);
    const value = this.lookup(name);
    if (value === undefined || from === UNKNOWN || to === UNKNOWN) return UNKNOWN;
    return replaced(value, op, from, to);
  }

  private remove(start: number, name: string, mark: string): Value {
    const op = this.text[this.at + 1] === mark ? mark + mark : mark;
    this.at += op.length;
    const pattern = this.param(start, (c) => c !== '}', false);
    this.close(start);
    const value = this.lookup(name);
    if (value === undefined || pattern === UNKNOWN) return UNKNOWN;
    return removed(value, op, pattern) ?? UNKNOWN;
  }

  /**
   * One argument: a nested expression, or a run of characters `accept` takes up to the next
   * `${`; with `escapes`, `$$`, `\/` and `\\` stand for their second character.
   */
  private param(start: number, accept: (c: string) => boolean, escapes: boolean): Value {
    const { text } = this;
    if (text[this.at] === '$' && text[this.at + 1] === '{') {
      const nested = this.at;
      this.at += 2;
      return this.expression(nested);
    }
    let out = '';
    while (this.at < text.length) {
      const c = text[this.at] ?? '';
      const next = text[this.at + 1] ?? '';
      if (c === '$' && next === '{') break;
      if (
        escapes &&
        ((c === '$' && next === '$') || (c === '\\' && (next === '/' || next === '\\')))
      ) {
        out += next;
        this.at += 2;
        continue;
      }
      if (!accept(c)) break;
      out += c;
      this.at += 1;
    }
    if (out === '') throw this.error(start, 'unable to parse substitution within function');
    return out;
  }

  private error(start: number, what: string): SubstitutionError {
    const line = this.text.slice(start).split('\n', 1)[0] ?? '';
    const expression = line.length > 60 ? `${line.slice(0, 60)}…` : line;
    return new SubstitutionError(what, expression);
  }
}

/** Go's byte offsets, as Flux counts them, over a UTF-8 value. */
function substringOf(value: string, offsetText: string, lengthText: string | undefined): string {
  const bytes = Buffer.from(value, 'utf8');
  const offset = goInt(offsetText);
  if (offset === undefined) return value;
  const from = offset < 0 ? Math.max(0, bytes.length + offset) : offset;
  if (lengthText === undefined) return from < bytes.length ? bytes.subarray(from).toString() : '';
  const length = goInt(lengthText);
  if (length === undefined) return value;
  if (from + length >= bytes.length)
    return from < bytes.length ? bytes.subarray(from).toString() : '';
  return bytes.subarray(from, from + length).toString();
}

function goInt(text: string): number | undefined {
  return /^[+-]?\d{1,9}$/.test(text) ? Number(text) : undefined;
}

function replaced(value: string, op: string, from: string, to: string | undefined): string {
  switch (op) {
    case '//':
      return to === undefined ? value.split(from).join('') : value.split(from).join(to);
    case '/#':
      return to !== undefined && value.startsWith(from) ? to + value.slice(from.length) : value;
    case '/%':
      return to !== undefined && value.endsWith(from)
        ? value.slice(0, value.length - from.length) + to
        : value;
    default: {
      const at = value.indexOf(from);
      return at === -1 ? value : value.slice(0, at) + (to ?? '') + value.slice(at + from.length);
    }
  }
}

/**
 * `${name#glob}` and its kin: the shortest (`#`, `%`) or longest (`##`, `%%`) prefix or suffix
 * the glob matches, removed; undefined for a glob not read here.
 */
function removed(value: string, op: string, pattern: string): string | undefined {
  if (value === '') return '';
  // Classes are not read here, and a hostile pair (a long glob over a long value) is not run.
  if (/[[\\]/.test(pattern) || pattern.length * value.length > 10_000_000) return undefined;
  const suffix = op.startsWith('%');
  const longest = op.length === 2;
  const subject = suffix ? [...value].reverse().join('') : value;
  const glob = suffix ? [...pattern].reverse().join('') : pattern;
  const ends = prefixMatches(glob, subject);
  let cut = -1;
  for (let end = 1; end <= subject.length; end += 1) {
    if (!ends[end]) continue;
    cut = end;
    if (!longest) break;
  }
  if (cut === -1) return value;
  const rest = subject.slice(cut);
  return suffix ? [...rest].reverse().join('') : rest;
}

/**
 * For each length j, whether the glob matches text[0, j) whole, as Flux's fork of Go's
 * path.Match reads a glob without classes: `*` is any run of characters, `/` included, `?` any
 * one of them. One pass per glob
 * character, linear in the text: a hostile glob or value costs their product, no more.
 */
function prefixMatches(glob: string, text: string): boolean[] {
  let reached = new Array<boolean>(text.length + 1).fill(false);
  reached[0] = true;
  for (const c of glob) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    for (let j = 0; j <= text.length; j += 1) {
      if (c === '*') {
        next[j] = reached[j] === true || (j > 0 && next[j - 1] === true);
      } else if (reached[j] && j < text.length && (c === '?' || text[j] === c)) {
        next[j + 1] = true;
      }
    }
    reached = next;
  }
  return reached;
}
