/**
 * Kubernetes resource quantities, as `resource.ParseQuantity` accepts them: a signed decimal
 * number, then a binary suffix (Ki..Ei), a decimal suffix (n, u, m, k, M, G, T, P, E) or a
 * decimal exponent (e3, E-2).
 */
const QUANTITY =
  /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?(?:\d+(?:\.\d*)?|\.\d+))?$/;

export function isValidQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The numeric value of a valid quantity, for comparisons such as requests <= limits. */
export function quantityValue(text: string): number | undefined {
  if (!isValidQuantity(text)) {
    return undefined;
  }
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(text);
  if (!match) {
    return undefined;
  }
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY) {
    return number * (BINARY[suffix] ?? 1);
  }
  if (suffix in DECIMAL) {
    return number * (DECIMAL[suffix] ?? 1);
  }
  return Number(text);
}
