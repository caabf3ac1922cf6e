import type { Environment } from '@marcbachmann/cel-js';
import { Optional } from '@marcbachmann/cel-js';
import { charge } from './celBudget';
import { celCompare, celEquals } from './celEquality';
import { celError } from './celErrors';

/** Receivers of `sets.x(...)`, `strings.x(...)` and `lists.x(...)`. */
export class SetsLibrary {}
export class StringsLibrary {}
export class ListsLibrary {}

function sorted(list: unknown[]): boolean {
  charge(list.length);
  return list.every((item, index) => index === 0 || celCompare(list[index - 1], item) <= 0);
}

function extreme(list: unknown[], sign: 1 | -1): unknown {
  if (list.length === 0) throw celError('min called on empty list');
  charge(list.length);
  return list.reduce((best, item) => (celCompare(item, best) * sign > 0 ? item : best));
}

function sum(list: unknown[]): unknown {
  charge(list.length);
  if (list.length === 0) return 0n;
  if (list.every((item) => typeof item === 'bigint')) {
    return list.reduce((a, b) => a + b, 0n);
  }
  return list.reduce<number>((a, b) => a + Number(b), 0);
}

function indexOf(list: unknown[], value: unknown, last: boolean): bigint {
  charge(list.length);
  const indexes = list.map((_, i) => i);
  for (const i of last ? indexes.reverse() : indexes) {
    if (celEquals(list[i], value)) return BigInt(i);
  }
  return -1n;
}

function flatten(list: unknown[], depth: bigint): unknown[] {
  if (depth < 0n) throw celError('level must be non-negative');
  charge(list.length);
  return list.flatMap((item) =>
    Array.isArray(item) && depth > 0n ? flatten(item, depth - 1n) : [item],
  );
}

const codePoints = (text: string): string[] => Array.from(text);

function format(template: string, args: unknown[]): string {
  let next = 0;
  return template.replace(
    /%(?:\.(\d+))?([sdfeboxX%])/g,
    (_, precision: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      if (next >= args.length) throw celError(`index ${next} out of range`);
      const value = args[next++];
      switch (verb) {
        case 'd':
          return String(value);
        case 'f':
          return Number(value).toFixed(precision === undefined ? 6 : Number(precision));
        case 'e':
          return Number(value)
            .toExponential(precision === undefined ? 6 : Number(precision))
            .replace(/e([+-])(\d)$/, 'e$10$2');
        case 'b':
          return typeof value === 'boolean' ? String(value) : BigInt(value as bigint).toString(2);
        case 'o':
          return BigInt(value as bigint).toString(8);
        case 'x':
          return typeof value === 'string'
            ? Buffer.from(value).toString('hex')
            : BigInt(value as bigint).toString(16);
        case 'X':
          return (
            typeof value === 'string'
              ? Buffer.from(value).toString('hex')
              : BigInt(value as bigint).toString(16)
          ).toUpperCase();
        default:
          return formatValue(value);
      }
    },
  );
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'string') return value;
  return String(value);
}

/** cel-go's ext.Lists (version 3), ext.Sets, the rest of ext.Strings (version 2), and
 * the Kubernetes list library. */
export function registerCollections(env: Environment): void {
  env.registerFunction('list.isSorted(): bool', sorted);
  env.registerFunction('list.sum(): dyn', sum);
  env.registerFunction('list.min(): dyn', (l: unknown[]) => extreme(l, -1));
  env.registerFunction('list.max(): dyn', (l: unknown[]) => extreme(l, 1));
  env.registerFunction('list.indexOf(dyn): int', (l: unknown[], v: unknown) =>
    indexOf(l, v, false),
  );
  env.registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], v: unknown) =>
    indexOf(l, v, true),
  );
  env.registerFunction('list.slice(int, int): list', (l: unknown[], from: bigint, to: bigint) => {
    if (from < 0n || to < from || to > BigInt(l.length)) {
      throw celError(`cannot slice(${from}, ${to}), invalid indexes for a list of ${l.length}`);
    }
    return l.slice(Number(from), Number(to));
  });
  env.registerFunction('list.flatten(): list', (l: unknown[]) => flatten(l, 1n));
  env.registerFunction('list.flatten(int): list', (l: unknown[], d: bigint) => flatten(l, d));
  env.registerFunction('list.distinct(): list', (l: unknown[]) => {
    charge(l.length * l.length);
    return l.filter((item, index) => l.findIndex((other) => celEquals(other, item)) === index);
  });
  env.registerFunction('list.reverse(): list', (l: unknown[]) => [...l].reverse());
  env.registerFunction('list.sort(): list', (l: unknown[]) => {
    charge(l.length * Math.ceil(Math.log2(l.length + 1)));
    return [...l].sort(celCompare);
  });
  env.registerFunction('list.first(): optional<dyn>', (l: unknown[]) =>
    l.length > 0 ? Optional.of(l[0]) : Optional.none(),
  );
  env.registerFunction('list.last(): optional<dyn>', (l: unknown[]) =>
    l.length > 0 ? Optional.of(l[l.length - 1]) : Optional.none(),
  );
  env.registerType('k8s.ListsLibrary', ListsLibrary);
  env.registerConstant('lists', 'k8s.ListsLibrary', new ListsLibrary());
  env.registerFunction('k8s.ListsLibrary.range(int): list<int>', (_: unknown, n: bigint) => {
    charge(Number(n));
    return Array.from({ length: Number(n) }, (__, i) => BigInt(i));
  });

  env.registerType('k8s.SetsLibrary', SetsLibrary);
  env.registerConstant('sets', 'k8s.SetsLibrary', new SetsLibrary());
  const has = (list: unknown[], item: unknown): boolean => list.some((x) => celEquals(x, item));
  env.registerFunction(
    'k8s.SetsLibrary.contains(list, list): bool',
    (_: unknown, a: unknown[], b: unknown[]) => {
      charge(a.length * b.length);
      return b.every((item) => has(a, item));
    },
  );
  env.registerFunction(
    'k8s.SetsLibrary.equivalent(list, list): bool',
    (_: unknown, a: unknown[], b: unknown[]) => {
      charge(a.length * b.length);
      return b.every((item) => has(a, item)) && a.every((item) => has(b, item));
    },
  );
  env.registerFunction(
    'k8s.SetsLibrary.intersects(list, list): bool',
    (_: unknown, a: unknown[], b: unknown[]) => {
      charge(a.length * b.length);
      return b.some((item) => has(a, item));
    },
  );

  env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    const points = codePoints(s);
    if (i < 0n || i > BigInt(points.length)) throw celError(`index out of range: ${i}`);
    return points[Number(i)] ?? '';
  });
  env.registerFunction(
    'string.replace(string, string): string',
    (s: string, from: string, to: string) => {
      charge(Math.ceil(s.length / 10));
      return s.split(from).join(to);
    },
  );
  env.registerFunction(
    'string.replace(string, string, int): string',
    (s: string, from: string, to: string, n: bigint) => {
      charge(Math.ceil(s.length / 10));
      if (n < 0n) return s.split(from).join(to);
      const parts = s.split(from);
      const count = Number(n);
      return (
        parts.slice(0, count + 1).join(to) +
        (parts.length > count + 1 ? from + parts.slice(count + 1).join(from) : '')
      );
    },
  );
  env.registerFunction('string.format(list): string', (s: string, args: unknown[]) =>
    format(s, args),
  );
  // cel-go lets an optional be compared with null and finds them never equal (Gateway API's
  // XBackend has `format.dns1123Label().validate(self) == null`).
  env.registerOperator('optional<dyn> == null', () => false);
  env.registerType('k8s.StringsLibrary', StringsLibrary);
  env.registerConstant('strings', 'k8s.StringsLibrary', new StringsLibrary());
  env.registerFunction('k8s.StringsLibrary.quote(string): string', (_: unknown, s: string) =>
    JSON.stringify(s),
  );
}
