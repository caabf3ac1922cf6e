const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
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
const QUANTITY =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;
const NANO = 10n ** 9n;

/**
 * One spelling per Kubernetes quantity, so `1Gi` and `1024Mi`, `100m` and `0.1` compare equal:
 * whole values take the largest binary suffix that divides them (from 1Ki), else the largest
 * decimal one, else none; fractions are written in m, u or n. Not a quantity: undefined.
 */
export function canonicalQuantity(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') {
    return undefined;
  }
  const match = QUANTITY.exec(text.trim());
  if (match === null) {
    return undefined;
  }
  const [, sign = '', mantissa = '', suffix, exponent] = match;
  const [whole = '', fraction = ''] = mantissa.split('.');
  let numerator = BigInt((whole || '0') + fraction) * NANO;
  let denominator = 10n ** BigInt(fraction.length);
  if (suffix !== undefined && BINARY[suffix] !== undefined) {
    numerator *= BINARY[suffix];
  } else {
    const power = suffix !== undefined ? (DECIMAL[suffix] ?? 0) : Number(exponent ?? '0');
    if (Math.abs(power) > 64) {
      return undefined;
    }
    if (power >= 0) {
      numerator *= 10n ** BigInt(power);
    } else {
      denominator *= 10n ** BigInt(-power);
    }
  }
  // Kubernetes rounds up to the nano unit.
  const nanos = (numerator + denominator - 1n) / denominator;
  if (nanos === 0n) {
    return '0';
  }
  return (sign === '-' ? '-' : '') + spell(nanos);
}

function spell(nanos: bigint): string {
  if (nanos % NANO === 0n) {
    const units = nanos / NANO;
    for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const size = BINARY[suffix] ?? 1n;
      if (units >= size && units % size === 0n) {
        return `${units / size}${suffix}`;
      }
    }
    for (const [suffix, power] of [
      ['E', 18n],
      ['P', 15n],
      ['T', 12n],
      ['G', 9n],
      ['M', 6n],
      ['k', 3n],
    ] as const) {
      const size = 10n ** power;
      if (units >= size && units % size === 0n) {
        return `${units / size}${suffix}`;
      }
    }
    return String(units);
  }
  if (nanos % 1_000_000n === 0n) {
    return `${nanos / 1_000_000n}m`;
  }
  if (nanos % 1000n === 0n) {
    return `${nanos / 1000n}u`;
  }
  return `${nanos}n`;
}
