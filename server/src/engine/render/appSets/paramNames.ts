/** Parameter helpers shared by the generators: Argo CD's name sanitizing and map flattening. */
import type { Params } from './appSetTypes';

/** Argo CD's `SanitizeName`: lower case, `[^-a-z0-9.]` to `-`, at most 253, trimmed of `-` and `.`. */
export function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, '-')
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** A value as Go's `fmt.Sprintf("%v")` prints one of JSON origin (flattened parameters). */
export function goString(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goFloat(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goString).join(' ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `map[${entries.map(([key, item]) => `${key}:${goString(item)}`).join(' ')}]`;
}

/**
 * `object` flattened with dots as jeremywohl/flatten's DotStyle does (`a.b`, lists `a.0`), each
 * leaf printed with `%v`; an empty map or list yields no key.
 */
export function flattenParams(object: Params, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) {
      Object.assign(
        out,
        flattenParams(Object.fromEntries(value.map((item, i) => [String(i), item])), name),
      );
    } else if (value !== null && typeof value === 'object') {
      Object.assign(out, flattenParams(value as Params, name));
    } else {
      out[name] = goString(value);
    }
  }
  return out;
}

/** A float64 as Go's `%v` prints it (`%g`, shortest): an exponent from 1e+06 up and below 1e-04. */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa = '', power = '0'] = value.toExponential().split('e');
    const sign = power.startsWith('-') ? '-' : '+';
    const digits = power.replace(/^[-+]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(value);
}
