/** CEL's equality on values as cel-js holds them: numbers compare across int, uint and double. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b) && numericEqual(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => celEquals(item, b[index]));
  }
  if (a instanceof Map || b instanceof Map) {
    const left = entries(a);
    const right = entries(b);
    if (!left || !right || left.size !== right.size) return false;
    for (const [key, value] of left) {
      if (!right.has(key) || !celEquals(value, right.get(key))) return false;
    }
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && celEquals(a[key], b[key]))
    );
  }
  return false;
}

/** Orders two comparable values (numbers, strings, booleans); throws on others. */
export function celCompare(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error('no such overload');
}

function isNumeric(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint' || isUint(value);
}

function isUint(value: unknown): boolean {
  return value !== null && typeof value === 'object' && value.constructor?.name === 'UnsignedInt';
}

function numericEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  return Number(a) === Number(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && value.constructor === Object;
}

function entries(value: unknown): Map<unknown, unknown> | undefined {
  if (value instanceof Map) return value;
  if (isPlainObject(value)) return new Map(Object.entries(value));
  return undefined;
}
