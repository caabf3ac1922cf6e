/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `1e3`) exactly as k8s.io/apimachinery's
 * `resource.ParseQuantity` reads them, the one parser of the engine: the validator judges with
 * it, the diff compares quantities by value with it.
 *
 * The grammar is the scanner's, which is looser than its documentation: a sign, a number whose
 * digits may all be missing (`+`, `.`, `k` and `-.Mi` are zero), then a suffix: a binary one
 * (Ki Mi Gi Ti Pi Ei), a decimal one (n u m k M G T P E) or an exponent (`e`/`E`, a sign, digits,
 * read as a 64-bit integer then truncated to 32 bits). No space anywhere; `1e2.5`, `1i`, `0.1mi`,
 * `1K` are refused, and so is a number without digits whose value needs arbitrary precision
 * (`Ei`, `.e-10`). The value is exact, rounded away from zero to a multiple of 1n; a binary
 * quantity is capped at 2^63-1 in magnitude (`9Ei`), a decimal one is not.
 */

/** A quantity's value: `(negative ? -1 : 1) × coefficient × 10^exponent`. */
export interface Quantity {
  readonly negative: boolean;
  /** No trailing zero digit; 0n for zero (then exponent 0 and negative false). */
  readonly coefficient: bigint;
  readonly exponent: number;
}

const SUFFIX_LETTERS = 'eEinumkKMGTP';
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  '': 0,
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Readonly<Record<string, number>> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const ZERO: Quantity = { negative: false, coefficient: 0n, exponent: 0 };

interface Scanned {
  readonly negative: boolean;
  /** Digits before the point, leading zeros removed ("0" when none are left). */
  readonly num: string;
  /** Digits after the point, as written. */
  readonly denom: string;
  /** Whether the number part holds a digit at all. */
  readonly hasDigit: boolean;
  readonly suffix: string;
}

const isDigit = (char: string | undefined): boolean =>
  char !== undefined && char >= '0' && char <= '9';

/** parseQuantityString: sign, number, suffix letters, then a signed exponent to the end. */
function scan(text: string): Scanned | undefined {
  const end = text.length;
  let pos = 0;
  const negative = text[0] === '-';
  if (text[0] === '-' || text[0] === '+') pos++;
  const numberStart = pos;
  while (text[pos] === '0') pos++;
  const wholeStart = pos;
  while (isDigit(text[pos])) pos++;
  const num = text.slice(wholeStart, pos) || '0';
  let denom = '';
  if (text[pos] === '.') {
    const start = ++pos;
    while (isDigit(text[pos])) pos++;
    denom = text.slice(start, pos);
  }
  const hasDigit = /\d/.test(text.slice(numberStart, pos));
  const suffixStart = pos;
  while (pos < end && SUFFIX_LETTERS.includes(text[pos] ?? '')) pos++;
  if (text[pos] === '+' || text[pos] === '-') pos++;
  while (isDigit(text[pos])) pos++;
  if (pos < end) return undefined;
  return { negative, num, denom, hasDigit, suffix: text.slice(suffixStart) };
}

type Interpreted = { readonly base: 2 | 10; readonly exponent: number };

/** The suffix as a power of 10 or 2; an exponent is a Go int64, truncated to int32. */
function interpret(suffix: string): Interpreted | undefined {
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined) return { base: 10, exponent: decimal };
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) return { base: 2, exponent: binary };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    if (!/^[+-]?\d+$/.test(rest)) return undefined;
    const parsed = BigInt(rest);
    if (parsed > MAX_INT64 || parsed < MIN_INT64) return undefined;
    return { base: 10, exponent: int32(parsed) };
  }
  return undefined;
}

function int32(value: bigint | number): number {
  return Number(BigInt.asIntN(32, BigInt(value)));
}

/**
 * The value of `text` as `resource.ParseQuantity` reads it, or undefined when it refuses it.
 * `text` is taken as is: no space is trimmed (see `quantityOfJsonValue` for what the API server
 * trims).
 */
export function parseQuantity(text: string): Quantity | undefined {
  if (text === '') return undefined;
  if (text === '0') return ZERO;
  const scanned = scan(text);
  if (!scanned) return undefined;
  const suffix = interpret(scanned.suffix);
  if (!suffix) return undefined;
  const { negative, num, denom, hasDigit } = scanned;
  const digits = BigInt(num + denom);
  if (suffix.base === 2) {
    // The int64 fast path: no fraction and few enough digits for the suffix.
    const fast =
      denom.length === 0 &&
      15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1 >= 0 &&
      digits << BigInt(suffix.exponent) <= MAX_INT64;
    if (!fast && !hasDigit) return undefined;
    let value = roundToNano(digits << BigInt(suffix.exponent), -denom.length);
    if (compareMagnitude(value, { coefficient: MAX_INT64, exponent: 0 }) > 0) {
      value = { coefficient: MAX_INT64, exponent: 0 };
    }
    return quantity(negative, value.coefficient, value.exponent);
  }
  const scale = int32(suffix.exponent - denom.length);
  if (num.length + denom.length <= 18 && scale >= -9) {
    return quantity(negative, digits, scale);
  }
  // The arbitrary-precision path: it reads the number part again and needs a digit in it.
  if (!hasDigit) return undefined;
  const exponent = -int32(denom.length + int32(-suffix.exponent));
  const value = roundToNano(digits, exponent);
  return quantity(negative, value.coefficient, value.exponent);
}

/** `coefficient × 10^exponent` rounded away from zero to a multiple of 10^-9. */
function roundToNano(
  coefficient: bigint,
  exponent: number,
): { coefficient: bigint; exponent: number } {
  if (exponent >= -9 || coefficient === 0n) return { coefficient, exponent };
  const drop = -9 - exponent;
  if (drop > coefficient.toString().length) return { coefficient: 1n, exponent: -9 };
  const divisor = 10n ** BigInt(drop);
  const quotient = coefficient / divisor;
  return {
    coefficient: coefficient % divisor === 0n ? quotient : quotient + 1n,
    exponent: -9,
  };
}

function quantity(negative: boolean, coefficient: bigint, exponent: number): Quantity {
  if (coefficient === 0n) return ZERO;
  let c = coefficient;
  let e = exponent;
  while (c % 10n === 0n) {
    c /= 10n;
    e++;
  }
  return { negative, coefficient: c, exponent: e };
}

/**
 * The quantity the API server reads from a JSON value: a finite number as its text, or a string
 * with the spaces around it trimmed as `Quantity.UnmarshalJSON` trims them. Only spaces a JSON
 * encoder writes as they are can be trimmed: a tab or a newline arrives escaped (`\t`) and is
 * refused. Anything else: undefined.
 */
export function quantityOfJsonValue(value: unknown): Quantity | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? parseQuantity(String(value)) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  return parseQuantity(value.replace(JSON_RAW_SPACE_START, '').replace(JSON_RAW_SPACE_END, ''));
}

// Go's unicode.IsSpace, without what encoding/json escapes (controls, U+2028, U+2029).
const JSON_RAW_SPACES = '[ \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]+';
const JSON_RAW_SPACE_START = new RegExp(`^${JSON_RAW_SPACES}`, 'u');
const JSON_RAW_SPACE_END = new RegExp(`${JSON_RAW_SPACES}$`, 'u');

/** Whether the API server accepts `value` (a YAML scalar's JSON value) as a quantity. */
export function isValidQuantity(value: unknown): boolean {
  return quantityOfJsonValue(value) !== undefined;
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`, as `Quantity.Cmp` says. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const sign = (q: Quantity): number => (q.coefficient === 0n ? 0 : q.negative ? -1 : 1);
  const [signA, signB] = [sign(a), sign(b)];
  if (signA !== signB) return signA < signB ? -1 : 1;
  const magnitude = compareMagnitude(a, b);
  return (signA < 0 ? -magnitude : magnitude) as -1 | 0 | 1;
}

function compareMagnitude(
  a: { coefficient: bigint; exponent: number },
  b: { coefficient: bigint; exponent: number },
): -1 | 0 | 1 {
  if (a.coefficient === 0n || b.coefficient === 0n) {
    return a.coefficient === b.coefficient ? 0 : a.coefficient === 0n ? -1 : 1;
  }
  const orderA = a.coefficient.toString().length + a.exponent;
  const orderB = b.coefficient.toString().length + b.exponent;
  if (orderA !== orderB) return orderA < orderB ? -1 : 1;
  // Same order of magnitude: the exponents differ by less than the digits of the coefficients.
  const low = Math.min(a.exponent, b.exponent);
  const left = a.coefficient * 10n ** BigInt(a.exponent - low);
  const right = b.coefficient * 10n ** BigInt(b.exponent - low);
  return left === right ? 0 : left < right ? -1 : 1;
}

const BINARY_SPELLINGS = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const;
const DECIMAL_SPELLINGS = [
  ['E', 18n],
  ['P', 15n],
  ['T', 12n],
  ['G', 9n],
  ['M', 6n],
  ['k', 3n],
] as const;
/** Beyond 10^100, a value is spelled with an exponent rather than computed out. */
const LARGEST_SPELLED_OUT = 100;

/**
 * One spelling per value, so `1Gi` and `1024Mi`, `100m` and `0.1` compare equal: whole values
 * take the largest binary suffix that divides them (from 1Ki), else the largest decimal one,
 * else none; fractions are written in m, u or n. Not a quantity the API server accepts:
 * undefined.
 */
export function canonicalQuantity(value: unknown): string | undefined {
  const parsed = quantityOfJsonValue(value);
  if (!parsed) return undefined;
  if (parsed.coefficient === 0n) return '0';
  const sign = parsed.negative ? '-' : '';
  if (parsed.exponent > LARGEST_SPELLED_OUT) {
    return `${sign}${parsed.coefficient}e${parsed.exponent}`;
  }
  if (parsed.exponent < 0) {
    // Rounded to nano: the exponent is -9 at the least.
    const nanos = parsed.coefficient * 10n ** BigInt(9 + parsed.exponent);
    if (nanos % 1_000_000n === 0n) return `${sign}${nanos / 1_000_000n}m`;
    if (nanos % 1000n === 0n) return `${sign}${nanos / 1000n}u`;
    return `${sign}${nanos}n`;
  }
  const units = parsed.coefficient * 10n ** BigInt(parsed.exponent);
  for (const suffix of BINARY_SPELLINGS) {
    const size = 1n << BigInt(BINARY_SUFFIXES[suffix] ?? 0);
    if (units >= size && units % size === 0n) return `${sign}${units / size}${suffix}`;
  }
  for (const [suffix, power] of DECIMAL_SPELLINGS) {
    const size = 10n ** power;
    if (units >= size && units % size === 0n) return `${sign}${units / size}${suffix}`;
  }
  return `${sign}${units}`;
}

const GO_DECIMAL_SUFFIXES: Readonly<Record<number, string>> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};

/**
 * The text `Quantity.String()` gives for a value the API server decoded, which some of its rules
 * compare as a string (a resourceFieldRef's divisor): `ParseQuantity` keeps the text as written
 * when it finds it already canonical (`+1`, `01` and `1m` are kept, `1000k` and `1.0` are not),
 * else the value is spelled in the format of its suffix (decimal, binary or exponent). Not a
 * quantity: undefined.
 */
export function quantityText(value: unknown): string | undefined {
  const text =
    typeof value === 'number'
      ? Number.isFinite(value)
        ? String(value)
        : undefined
      : typeof value === 'string'
        ? value.replace(JSON_RAW_SPACE_START, '').replace(JSON_RAW_SPACE_END, '')
        : undefined;
  const parsed = text === undefined ? undefined : parseQuantity(text);
  if (text === undefined || !parsed) return undefined;
  if (parsed.coefficient === 0n) return '0';
  const scanned = scan(text);
  const suffix = scanned ? interpret(scanned.suffix) : undefined;
  if (!scanned || !suffix) return undefined;
  const { num, denom } = scanned;
  const shifted = num + denom;
  if (suffix.base === 10) {
    const scale = suffix.exponent - denom.length;
    const fast = 18 - shifted.length >= 0 && scale >= -9;
    if (fast && scale % 3 === 0 && !shifted.endsWith('000') && !shifted.startsWith('0')) {
      return text;
    }
  } else if (
    denom.length === 0 &&
    15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1 >= 0 &&
    BigInt(num) << BigInt(suffix.exponent) <= MAX_INT64 &&
    (BigInt(num) & 7n) !== 0n
  ) {
    return text;
  }
  const sign = parsed.negative ? '-' : '';
  const exponentFormat = suffix.base === 10 && !(scanned.suffix in DECIMAL_SUFFIXES);
  if (suffix.base === 2 && parsed.exponent >= 0) {
    const units = parsed.coefficient * 10n ** BigInt(parsed.exponent);
    if (units >= 1024n) {
      let power = 0;
      let mantissa = units;
      while (power < 60 && mantissa % 1024n === 0n) {
        mantissa /= 1024n;
        power += 10;
      }
      const binary = power === 0 ? '' : (BINARY_SPELLINGS[6 - power / 10] ?? '');
      return `${sign}${mantissa}${binary}`;
    }
  }
  // Decimal: the exponent rounded down to a multiple of 3, with a whole mantissa.
  const exponent3 = Math.min(Math.floor(parsed.exponent / 3) * 3, 18);
  const mantissa = parsed.coefficient * 10n ** BigInt(parsed.exponent - exponent3);
  const spelled = exponentFormat
    ? exponent3 === 0
      ? ''
      : `e${exponent3}`
    : (GO_DECIMAL_SUFFIXES[exponent3] ?? `e${exponent3}`);
  return `${sign}${mantissa}${spelled}`;
}
