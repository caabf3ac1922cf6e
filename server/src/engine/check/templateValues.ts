/**
 * Which values keys a template line writes into a rendered field. The line is the field's key in
 * the template (see `templatePlaceOf`); its value is read from the actions after the key
 * (`replicas: {{ .Values.replicaCount }}`) or, for a key with nothing after it, from the
 * template-only lines below it (`{{- toYaml .Values.resources | nindent 12 }}`). A dot inside a
 * `with .Values.x` block is `x`; inside `range .Values.x` it is an item of `x`, so the key is `x`
 * itself. `index .Values "a" "b"` reads `a.b`. A value computed by a named template (`include`)
 * is not traced. Pure.
 */
import type { FieldPath } from '../parse/locate';

const KEY_LINE = /^(\s*)(?:-\s+)*([^\s:#][^:#]*?)\s*:(?:\s|$)/;
const ACTION = /\{\{-?([\s\S]*?)-?\}\}/g;
const VALUES_REF = /\$?\.Values((?:\.[A-Za-z_][\w-]*)+)/g;
/** `index .Values "a" "b"` or `index .Values.a "b-c"`: keys a field path cannot name. */
const INDEX_REF = /\bindex\s+\$?\.Values((?:\.[A-Za-z_][\w-]*)*)((?:\s+"[^"\\]*")+)/g;
/** A dot or `.a.b` relative to the scope (`.`, `.port`), not `$x.a` nor a number. */
const DOT_REF = /(^|[\s(|,])\.((?:[A-Za-z_][\w-]*)(?:\.[A-Za-z_][\w-]*)*)?(?=[\s)|,]|$)/g;
const OPENERS = new Set(['if', 'with', 'range', 'define', 'block']);
const MAX_LINES_BELOW = 20;

/** What `.` is at a place in a template: a values key, the root, or unknown (a named template). */
type Scope =
  | { readonly kind: 'root' }
  | { readonly kind: 'values'; readonly key: readonly string[]; readonly ranged: boolean }
  | { readonly kind: 'unknown' };

/**
 * The values keys (paths, most specific first where known) whose value the template writes at
 * `line`, extended by `rest`, the field's path below that line's key. Empty: no value is read.
 */
export function valuesReadAt(template: string, line: number, rest: FieldPath): string[][] {
  const lines = template.split(/\r?\n/);
  const text = lines[line];
  if (text === undefined) return [];
  const key = KEY_LINE.exec(text);
  const after = key ? text.slice(key[0].length) : text;
  const expressions: { line: number; action: string }[] = actionsOf(after).map((action) => ({
    line,
    action,
  }));
  if (after.trim() === '') expressions.push(...expressionsBelow(lines, line));
  const keys = new Map<string, string[]>();
  const tail = rest.map(String);
  for (const { line: at, action } of expressions) {
    for (const ref of refsOf(action, lines, at)) {
      const full = ref.ranged ? [...ref.key] : [...ref.key, ...tail];
      keys.set(full.join('.'), full);
    }
  }
  return [...keys.values()];
}

function actionsOf(text: string): string[] {
  return [...text.matchAll(ACTION)].map((match) => (match[1] ?? '').trim());
}

function keywordOf(action: string): string {
  return /^([a-z]+)\b/.exec(action)?.[1] ?? '';
}

/** The value actions of the template-only lines just below a key (`{{- toYaml . | nindent 4 }}`). */
function expressionsBelow(
  lines: readonly string[],
  line: number,
): { line: number; action: string }[] {
  const found: { line: number; action: string }[] = [];
  for (let at = line + 1; at < lines.length && at <= line + MAX_LINES_BELOW; at++) {
    const text = lines[at] ?? '';
    if (text.trim() === '') continue;
    // Only actions, perhaps after a list dash (`- {{ toYaml . | nindent 4 }}`).
    if (!['', '-'].includes(text.replace(ACTION, '').trim())) break;
    for (const action of actionsOf(text)) {
      const keyword = keywordOf(action);
      if (keyword === 'end' || keyword === 'else') return found;
      if (!OPENERS.has(keyword) && !action.startsWith('/*')) found.push({ line: at, action });
    }
  }
  return found;
}

interface Ref {
  readonly key: readonly string[];
  readonly ranged: boolean;
}

/** The values keys an action reads: `.Values.a.b` anywhere, `.` and `.c` inside a `with`. */
function refsOf(action: string, lines: readonly string[], line: number): Ref[] {
  const refs: Ref[] = [];
  for (const match of action.matchAll(INDEX_REF)) {
    const fields = (match[1] ?? '').split('.').filter(Boolean);
    const quoted = [...(match[2] ?? '').matchAll(/"([^"\\]*)"/g)].map((key) => key[1] ?? '');
    refs.push({ key: [...fields, ...quoted], ranged: false });
  }
  const rest = action.replace(INDEX_REF, ' ');
  for (const match of rest.matchAll(VALUES_REF)) {
    refs.push({ key: (match[1] ?? '').slice(1).split('.'), ranged: false });
  }
  const relative = [...rest.replace(VALUES_REF, ' ').matchAll(DOT_REF)];
  if (relative.length === 0) return refs;
  const scope = scopeAt(lines, line);
  if (scope.kind !== 'values') return refs;
  // In a `range`, `.` is one item of the list or map: the key is the ranged one.
  if (scope.ranged) return [...refs, { key: scope.key, ranged: true }];
  for (const match of relative) {
    const segments = match[2] ? match[2].split('.') : [];
    refs.push({ key: [...scope.key, ...segments], ranged: false });
  }
  return refs;
}

/** What `.` is on `line`: the innermost open `with` or `range` above it. */
function scopeAt(lines: readonly string[], line: number): Scope {
  let depth = 0;
  for (let at = line - 1; at >= 0; at--) {
    const actions = actionsOf(lines[at] ?? '').reverse();
    for (const action of actions) {
      const keyword = keywordOf(action);
      if (keyword === 'end') {
        depth++;
        continue;
      }
      if (!OPENERS.has(keyword)) continue;
      if (depth > 0) {
        depth--;
        continue;
      }
      if (keyword === 'define' || keyword === 'block') return { kind: 'unknown' };
      if (keyword === 'with' || keyword === 'range') return scopeOf(action, keyword, lines, at);
    }
  }
  return { kind: 'root' };
}

/** The scope a `with X` or `range X` opens. */
function scopeOf(action: string, keyword: string, lines: readonly string[], line: number): Scope {
  const argument = action
    .slice(keyword.length)
    .replace(/^\s*(?:\$[\w]*\s*,\s*)?\$[\w]*\s*:=/, '')
    .trim();
  const ranged = keyword === 'range';
  const absolute = /^\$?\.Values((?:\.[A-Za-z_][\w-]*)+)\s*$/.exec(argument);
  if (absolute) return { kind: 'values', key: (absolute[1] ?? '').slice(1).split('.'), ranged };
  const relative = /^\.((?:[A-Za-z_][\w-]*)(?:\.[A-Za-z_][\w-]*)*)\s*$/.exec(argument);
  if (!relative) return { kind: 'unknown' };
  const outer = scopeAt(lines, line);
  if (outer.kind !== 'values' || outer.ranged) return { kind: 'unknown' };
  return { kind: 'values', key: [...outer.key, ...(relative[1] ?? '').split('.')], ranged };
}
