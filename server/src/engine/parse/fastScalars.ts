/**
 * The scalars the fast manifest parser (fastManifest.ts) resolves itself, and how: only the
 * spellings whose YAML 1.1 value (as Kubernetes reads it, see kubeYamlTags.ts) is certain.
 * Anything else is `UNSURE`, and the document is parsed by the `yaml` package instead.
 */

/** The answer for a scalar the fast parser does not resolve. */
export const UNSURE: unique symbol = Symbol('unsure');

const WORDS: ReadonlyMap<string, boolean | null | typeof UNSURE> = new Map<
  string,
  boolean | null | typeof UNSURE
>([
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
  ['null', null],
  ['Null', null],
  ['NULL', null],
]);

/** Words YAML 1.1 may read as booleans or null in some spelling (`yes`, `On`, `N`, `nULL`). */
const SPECIAL_WORDS = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null']);

/** A decimal integer that cannot be octal (`012` is 10 in YAML 1.1) nor lose precision. */
const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

function isLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/**
 * The value of a plain scalar, or UNSURE. `text` is the scalar as written (trimmed, on one
 * line, with no comment).
 */
export function plainValue(text: string): string | number | boolean | null | typeof UNSURE {
  const first = text.charCodeAt(0);
  if (isLetter(first)) {
    if (text.length <= 5 && SPECIAL_WORDS.has(text.toLowerCase())) {
      const word = WORDS.get(text);
      return word === undefined ? UNSURE : word;
    }
    return text;
  }
  if (first >= 0x30 && first <= 0x39) {
    return DECIMAL.test(text) ? Number(text) : UNSURE;
  }
  // `-x`, `--flag`, `+x`: a sign then a letter or a dash is never a number.
  if (first === 0x2d || first === 0x2b) {
    const second = text.charCodeAt(1);
    return isLetter(second) || second === 0x2d ? text : UNSURE;
  }
  if (text === '~') return null;
  // `/path`, `_x`, `$VAR`, `(x)`, `=x`, and letters beyond ASCII.
  if (
    first === 0x2f ||
    first === 0x5f ||
    first === 0x24 ||
    first === 0x28 ||
    first === 0x3d ||
    (first >= 0xa0 && first < 0xd800)
  ) {
    return text;
  }
  return UNSURE;
}
