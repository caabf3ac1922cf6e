import type { Environment } from '@marcbachmann/cel-js';
import { parseQuantity as parseEngineQuantity } from '../../parse/quantity';
import { celError } from './celErrors';

const NANO = 1_000_000_000n;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Past 10^60 nano units no real quantity goes; computing it out could take all memory. */
const LARGEST_EXPONENT = 60;

/** A Kubernetes quantity, held exactly in nano units (the API server rounds up to 10^-9). */
export class Quantity {
  constructor(readonly nanos: bigint) {}
}

/**
 * Parses as resource.ParseQuantity does (the engine's one parser); undefined when the text is
 * not a quantity, or is one too large to hold exactly.
 */
export function parseQuantity(text: string): Quantity | undefined {
  const parsed = parseEngineQuantity(text);
  if (!parsed) return undefined;
  // Rounded to nano by the parser: the exponent is -9 at the least.
  const exponent = parsed.exponent + 9;
  if (exponent > LARGEST_EXPONENT) return undefined;
  const nanos = parsed.coefficient * 10n ** BigInt(Math.max(0, exponent));
  return new Quantity(parsed.negative ? -nanos : nanos);
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
