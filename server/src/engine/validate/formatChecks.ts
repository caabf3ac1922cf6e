import type { Schema } from '../schemas/schema';
import type { Finding } from '../types';
import { quoteValue } from './scalarValue';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** Whether Go's time.Parse(time.RFC3339, text) reads it, as metav1.Time does. */
export function isRfc3339(text: string): boolean {
  const match = RFC3339.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offsetHours = match[9] === undefined ? 0 : Number(match[9]);
  const offsetMinutes = match[10] === undefined ? 0 : Number(match[10]);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours < 24 &&
    offsetMinutes < 60
  );
}

/**
 * Formats the API server reads when it decodes a built-in object: an int32 field wraps a
 * number beyond 32 bits around (a warning: almost certainly a mistake), and a date-time field
 * must be RFC 3339 or the object is refused.
 */
export function builtinFormatFinding(
  value: unknown,
  schema: Schema,
  path: string,
): Omit<Finding, 'range'> | undefined {
  if (
    schema.format === 'int32' &&
    typeof value === 'number' &&
    (value > INT32_MAX || value < INT32_MIN)
  ) {
    const wrapped = Number(BigInt.asIntN(32, BigInt(value)));
    return {
      fieldPath: path,
      severity: 'warning',
      code: 'int32-overflow',
      message: `${path}: ${value} does not fit in 32 bits, so the API server reads it as ${wrapped}: write a number from ${INT32_MIN} to ${INT32_MAX}.`,
    };
  }
  if (schema.format === 'date-time' && typeof value === 'string' && !isRfc3339(value)) {
    return {
      fieldPath: path,
      severity: 'error',
      code: 'invalid-date-time',
      message: `Invalid value ${quoteValue(value)} for ${path}: write an RFC 3339 time such as 2024-01-31T12:00:00Z.`,
    };
  }
  return undefined;
}
