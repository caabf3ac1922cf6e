/**
 * Where in a chart template a rendered field comes from: helm says which template made a
 * resource (`# Source:`), not which line. The template's text is Go template syntax, so it is
 * not parsed: the keys of the field's path are looked for in order, each on a line after the
 * previous one and indented deeper, the way the YAML the template writes nests them. Pure.
 */
import type { FieldPath } from '../parse/locate';

/** The 0-based line of the deepest key of `path` found in `template`; undefined: none found. */
export function templateLineOf(template: string, path: FieldPath): number | undefined {
  return templatePlaceOf(template, path)?.line;
}

/** Where a rendered field is written in a template: the line of its deepest key found. */
export interface TemplatePlace {
  /** 0-based line of the deepest key of the path found. */
  readonly line: number;
  /** The segments of the path below that key (empty when the line holds the field itself). */
  readonly rest: FieldPath;
}

/** The line of the deepest key of `path` found in `template`, and what of the path is left. */
export function templatePlaceOf(template: string, path: FieldPath): TemplatePlace | undefined {
  const lines = template.split(/\r?\n/);
  let from = 0;
  let indent = -1;
  let found: TemplatePlace | undefined;
  for (const [index, segment] of path.entries()) {
    if (typeof segment === 'number') continue;
    const at = keyLine(lines, segment, from, indent);
    if (at === undefined) break;
    found = { line: at.line, rest: path.slice(index + 1) };
    from = at.line + 1;
    indent = at.indent;
  }
  return found;
}

function keyLine(
  lines: readonly string[],
  key: string,
  from: number,
  deeperThan: number,
): { line: number; indent: number } | undefined {
  for (let line = from; line < lines.length; line++) {
    const text = lines[line] ?? '';
    const match = /^(\s*)(?:-\s+)*([^\s:#][^:#]*?)\s*:(?:\s|$)/.exec(text);
    if (!match) continue;
    const indent = text.length - text.trimStart().length;
    const dashes = (match[0].match(/-\s+/g) ?? []).join('').length;
    if (deeperThan >= 0 && indent + dashes <= deeperThan) {
      // A key back at the parent's level or shallower: the parent's block has ended, unless
      // it is a template line that writes no YAML of its own.
      if (!/^\s*\{\{/.test(text)) return undefined;
      continue;
    }
    if (unquoted(match[2] ?? '') === key) return { line, indent: indent + dashes };
  }
  return undefined;
}

function unquoted(key: string): string {
  return /^(['"]).*\1$/.test(key) ? key.slice(1, -1) : key;
}
