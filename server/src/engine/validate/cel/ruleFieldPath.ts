import type { FieldPath } from '../../parse/locate';

/**
 * The segments of a rule's `fieldPath` (`.spec.replicas`, `.labels['app.kubernetes.io/name']`,
 * `.items[0]`), relative to the field the rule is attached to. Undefined when malformed.
 */
export function parseRuleFieldPath(text: string): FieldPath | undefined {
  const segments: Array<string | number> = [];
  let rest = text.trim();
  while (rest.length > 0) {
    const dotted = /^\.([^.[\]]+)/.exec(rest);
    if (dotted) {
      segments.push(dotted[1] ?? '');
      rest = rest.slice(dotted[0].length);
      continue;
    }
    const quoted = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest);
    if (quoted) {
      segments.push((quoted[1] ?? '').replace(/\\(.)/g, '$1'));
      rest = rest.slice(quoted[0].length);
      continue;
    }
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    return undefined;
  }
  return segments;
}
