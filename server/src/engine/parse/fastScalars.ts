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

/**
 * Digits then letters, as Kubernetes quantities and durations are written (`10m`, `64Mi`, `30s`):
 * a string in every schema. A leading `0` could open a `0x`, `0o` or `0b` integer, a digit after
 * the letters an exponent (`1e3`), so neither is read here.
 */
const DIGITS_THEN_LETTERS = /^[1-9][0-9]*[a-zA-Z]+$/;

/** Numbers joined by two dots or more (`1.0.0`, `10.0.0.1`): no YAML number has two dots. */
const VERSION = /^[0-9]+(?:\.[0-9]+){2,}$/;

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
    if (DECIMAL.test(text)) return Number(text);
    return DIGITS_THEN_LETTERS.test(text) || VERSION.test(text) ? text : UNSURE;
  }
  // `-x`, `--flag`, `+x`: a sign then a letter or a dash is never a number.
  if (first === 0x2d || first === 0x2b) {
    const second = text.charCodeAt(1);
    return isLetter(second) || second === 0x2d ? text : UNSURE;
  }
  if (text === '~') return null;
  // `../base`, `./file.yaml`, `.hidden`: only `.5`, `.inf` and `.nan` spellings are numbers.
  if (first === 0x2e) {
    const second = text.charCodeAt(1);
    if (second === 0x2e || second === 0x2f) return text;
    const lower = text.toLowerCase();
    return isLetter(second) && lower !== '.inf' && lower !== '.nan' ? text : UNSURE;
  }
  // `/path`, `_x`, `$VAR`, `(x)`, `=x`, `^[a-z]+$` (a CRD's pattern), and letters beyond ASCII.
  if (
    first === 0x5e ||
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
