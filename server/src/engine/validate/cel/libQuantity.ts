import type { Environment } from '@marcbachmann/cel-js';
import { isValidQuantity } from '../quantity';
import { celError } from './celErrors';

const NANO = 1_000_000_000n;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

const BINARY: Record<string, bigint> = {
  Ki: 2n ** 10n,
  Mi: 2n ** 20n,
  Gi: 2n ** 30n,
  Ti: 2n ** 40n,
  Pi: 2n ** 50n,
  Ei: 2n ** 60n,
};
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

/** A Kubernetes quantity, held exactly in nano units (the API server rounds up to 10^-9). */
export class Quantity {
  constructor(readonly nanos: bigint) {}
}

/** Parses as resource.ParseQuantity does; undefined when the text is not a quantity. */
export function parseQuantity(text: string): Quantity | undefined {
  if (!isValidQuantity(text)) {
    return undefined;
  }
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text);
  if (!match) {
    return undefined;
  }
  const negative = match[1] === '-';
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  const suffix = match[4] ?? '';
  let numerator = BigInt(`${whole}${fraction}` || '0');
  let exponent = -fraction.length;
  let denominator = 1n;
  if (suffix in BINARY) {
    numerator *= BINARY[suffix] ?? 1n;
  } else if (suffix in DECIMAL) {
    exponent += DECIMAL[suffix] ?? 0;
  } else {
    exponent += Number(suffix.slice(1));
  }
  exponent += 9; // to nano units
  if (exponent >= 0) {
    numerator *= 10n ** BigInt(exponent);
  } else {
    denominator = 10n ** BigInt(-exponent);
  }
  let nanos = numerator / denominator;
  if (nanos * denominator !== numerator) {
    nanos += 1n; // rounded up, away from zero
  }
  return new Quantity(negative ? -nanos : nanos);
}

function quantityOf(text: string): Quantity {
  const quantity = parseQuantity(text);
  if (!quantity) {
    throw celError(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  }
  return quantity;
}

const compare = (a: Quantity, b: Quantity): bigint =>
  a.nanos < b.nanos ? -1n : a.nanos > b.nanos ? 1n : 0n;

/** The Kubernetes quantity library: `quantity('100Mi').isLessThan(quantity('1Gi'))`. */
export function registerQuantity(env: Environment): void {
  env.registerType('kubernetes.Quantity', Quantity);
  env.registerFunction(
    'isQuantity(string): bool',
    (text: string) => parseQuantity(text) !== undefined,
  );
  env.registerFunction('quantity(string): kubernetes.Quantity', quantityOf);
  env.registerFunction('kubernetes.Quantity.sign(): int', (q: Quantity) =>
    q.nanos < 0n ? -1n : q.nanos > 0n ? 1n : 0n,
  );
  env.registerFunction(
    'kubernetes.Quantity.isInteger(): bool',
    (q: Quantity) => q.nanos % NANO === 0n,
  );
  env.registerFunction('kubernetes.Quantity.asInteger(): int', (q: Quantity) => {
    const value = q.nanos / NANO;
    if (q.nanos % NANO !== 0n || value > INT64_MAX || value < INT64_MIN) {
      throw celError('cannot convert value to integer');
    }
    return value;
  });
  env.registerFunction(
    'kubernetes.Quantity.asApproximateFloat(): double',
    (q: Quantity) => Number(q.nanos) / 1e9,
  );
  env.registerFunction(
    'kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity',
    (a: Quantity, b: Quantity) => new Quantity(a.nanos + b.nanos),
  );
  env.registerFunction(
    'kubernetes.Quantity.add(int): kubernetes.Quantity',
    (a: Quantity, b: bigint) => new Quantity(a.nanos + b * NANO),
  );
  env.registerFunction(
    'kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity',
    (a: Quantity, b: Quantity) => new Quantity(a.nanos - b.nanos),
  );
  env.registerFunction(
    'kubernetes.Quantity.sub(int): kubernetes.Quantity',
    (a: Quantity, b: bigint) => new Quantity(a.nanos - b * NANO),
  );
  env.registerFunction(
    'kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool',
    (a: Quantity, b: Quantity) => compare(a, b) > 0n,
  );
  env.registerFunction(
    'kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool',
    (a: Quantity, b: Quantity) => compare(a, b) < 0n,
  );
  env.registerFunction('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', compare);
  env.registerOperator(
    'kubernetes.Quantity == kubernetes.Quantity',
    (a: Quantity, b: Quantity) => a.nanos === b.nanos,
  );
}
