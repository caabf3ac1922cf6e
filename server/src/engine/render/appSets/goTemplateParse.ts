/**
 * The subset of Go text/template an ApplicationSet template is expanded with: text and `{{ }}`
 * actions (with `{{-`/`-}}` trimming and comments) holding one pipeline of fields (`.a.b`, `$`),
 * literals, parentheses and function calls joined by `|`. Control actions (`if`, `range`,
 * `with`...), variables and anything else are refused with the expression named.
 */

export type Expression =
  | { readonly type: 'field'; readonly root: 'dot' | 'dollar'; readonly keys: readonly string[] }
  | { readonly type: 'literal'; readonly value: string | number | boolean | null }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Expression[] }
  | { readonly type: 'pipe'; readonly commands: readonly Expression[] }
  | { readonly type: 'access'; readonly target: Expression; readonly keys: readonly string[] };

export type TemplatePart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'action'; readonly source: string; readonly pipe: Expression };

/** Thrown for a template outside the subset (`unsupported`) or not valid Go template (`syntax`). */
export class TemplateSyntaxError extends Error {
  constructor(
    readonly reason: 'unsupported' | 'syntax',
    message: string,
    readonly expression: string,
  ) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

const KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

/** The parts of `template`: text between actions, and each action's parsed pipeline. */
export function parseGoTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  let trimNext = false;
  for (;;) {
    const open = template.indexOf('{{', at);
    let text = template.slice(at, open < 0 ? undefined : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open < 0) {
      if (text) parts.push({ type: 'text', text });
      return parts;
    }
    const trimLeft = /^\{\{-\s/.test(template.slice(open, open + 4));
    if (trimLeft) text = text.replace(/\s+$/, '');
    if (text) parts.push({ type: 'text', text });
    const close = actionEnd(template, open + 2);
    if (close < 0) {
      throw new TemplateSyntaxError('syntax', 'an action is not closed with }}', template);
    }
    let body = template.slice(open + (trimLeft ? 3 : 2), close);
    trimNext = /\s-$/.test(body);
    if (trimNext) body = body.slice(0, -1);
    at = close + 2;
    const source = `{{${template.slice(open + 2, close)}}}`;
    const inner = body.trim();
    if (/^\/\*[\s\S]*\*\/$/.test(inner)) continue;
    parts.push({ type: 'action', source, pipe: parseAction(inner, source) });
  }
}

/** The index of the `}}` closing an action whose body starts at `from`, skipping quoted text. */
function actionEnd(template: string, from: number): number {
  for (let i = from; i < template.length; i++) {
    const char = template[i];
    if (char === '"' || char === '`' || char === "'") {
      const end = quoteEnd(template, i);
      if (end < 0) return -1;
      i = end;
    } else if (char === '}' && template[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

function quoteEnd(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (quote !== '`' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

type Token =
  | { kind: 'field'; keys: string[]; root: 'dot' | 'dollar' }
  | { kind: 'chain'; keys: string[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'ident'; value: string }
  | { kind: 'punct'; value: '(' | ')' | '|' };

function tokenize(body: string, source: string): Token[] {
  const tokens: Token[] = [];
  const unsupported = (what: string): TemplateSyntaxError =>
    new TemplateSyntaxError('unsupported', what, source);
  let i = 0;
  while (i < body.length) {
    const rest = body.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const char = rest[0] as string;
    if (char === '(' || char === ')' || char === '|') {
      tokens.push({ kind: 'punct', value: char });
      i++;
      continue;
    }
    if (char === '"' || char === '`') {
      const end = quoteEnd(body, i);
      if (end < 0) throw new TemplateSyntaxError('syntax', 'a string is not closed', source);
      const raw = body.slice(i, end + 1);
      tokens.push({ kind: 'string', value: char === '`' ? raw.slice(1, -1) : goString(raw) });
      i = end + 1;
      continue;
    }
    if (char === "'") throw unsupported('character constants are not supported');
    const field = /^(\$?)((?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.)/.exec(rest);
    if (field && (field[1] === '$' || char === '.')) {
      const keys = field[2] === '.' ? [] : (field[2] ?? '').slice(1).split('.');
      const previous = tokens.at(-1);
      if (
        char === '.' &&
        previous?.kind === 'punct' &&
        previous.value === ')' &&
        !body[i - 1]?.match(/\s/)
      ) {
        tokens.push({ kind: 'chain', keys });
      } else {
        tokens.push({ kind: 'field', keys, root: field[1] === '$' ? 'dollar' : 'dot' });
      }
      i += field[0].length;
      continue;
    }
    if (char === '$') {
      if (/^\$\s*(?:[^.\s]|$)/.test(rest) && !/^\$[A-Za-z_]/.test(rest)) {
        tokens.push({ kind: 'field', keys: [], root: 'dollar' });
        i++;
        continue;
      }
      throw unsupported('template variables are not supported');
    }
    const number = /^[-+]?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (ident) {
      if (KEYWORDS.has(ident[0])) throw unsupported(`the "${ident[0]}" action is not supported`);
      tokens.push({ kind: 'ident', value: ident[0] });
      i += ident[0].length;
      if (/^\s*:?=/.test(body.slice(i))) throw unsupported('assignments are not supported');
      continue;
    }
    if (rest.startsWith(':=') || rest.startsWith('=')) {
      throw unsupported('assignments are not supported');
    }
    throw new TemplateSyntaxError('syntax', `unexpected "${char}"`, source);
  }
  return tokens;
}

/** A Go interpreted string literal's value. */
function goString(raw: string): string {
  try {
    return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
  } catch {
    return raw.slice(1, -1);
  }
}

function parseAction(body: string, source: string): Expression {
  if (body === '') throw new TemplateSyntaxError('syntax', 'an action is empty', source);
  const tokens = tokenize(body, source);
  const parser = { tokens, at: 0, source };
  const pipe = parsePipe(parser);
  if (parser.at < tokens.length) {
    throw new TemplateSyntaxError('syntax', 'unexpected ")"', source);
  }
  return pipe;
}

interface Parser {
  readonly tokens: Token[];
  at: number;
  readonly source: string;
}

function parsePipe(parser: Parser): Expression {
  const commands: Expression[] = [parseCommand(parser)];
  while (parser.tokens[parser.at]?.kind === 'punct' && peekPunct(parser) === '|') {
    parser.at++;
    commands.push(parseCommand(parser));
  }
  return commands.length === 1 ? (commands[0] as Expression) : { type: 'pipe', commands };
}

function peekPunct(parser: Parser): string | undefined {
  const token = parser.tokens[parser.at];
  return token?.kind === 'punct' ? token.value : undefined;
}

function parseCommand(parser: Parser): Expression {
  const operands: Expression[] = [];
  let name: string | undefined;
  for (;;) {
    const token = parser.tokens[parser.at];
    if (!token || (token.kind === 'punct' && token.value !== '(')) break;
    parser.at++;
    if (token.kind === 'ident') {
      if (['true', 'false', 'nil'].includes(token.value)) {
        operands.push({
          type: 'literal',
          value: token.value === 'nil' ? null : token.value === 'true',
        });
      } else if (operands.length === 0 && name === undefined) {
        name = token.value;
      } else {
        operands.push({ type: 'call', name: token.value, args: [] });
      }
      continue;
    }
    operands.push(parseOperand(parser, token));
  }
  if (name !== undefined) return { type: 'call', name, args: operands };
  if (operands.length === 0) {
    throw new TemplateSyntaxError('syntax', 'a command is missing', parser.source);
  }
  if (operands.length > 1) {
    throw new TemplateSyntaxError('syntax', "can't give argument to non-function", parser.source);
  }
  return operands[0] as Expression;
}

function parseOperand(parser: Parser, token: Token): Expression {
  switch (token.kind) {
    case 'field':
      return { type: 'field', root: token.root, keys: token.keys };
    case 'string':
      return { type: 'literal', value: token.value };
    case 'number':
      return { type: 'literal', value: token.value };
    case 'punct': {
      const inner = parsePipe(parser);
      if (peekPunct(parser) !== ')') {
        throw new TemplateSyntaxError('syntax', 'a "(" is not closed', parser.source);
      }
      parser.at++;
      const chain = parser.tokens[parser.at];
      if (chain?.kind === 'chain') {
        parser.at++;
        return { type: 'access', target: inner, keys: chain.keys };
      }
      return inner;
    }
    default:
      throw new TemplateSyntaxError('syntax', 'unexpected token', parser.source);
  }
}
