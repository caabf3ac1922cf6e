/**
 * CronJob schedules as the API server parses them (robfig/cron v3 ParseStandard): five fields
 * (minute, hour, day of month, month, day of week) of `*`, `?`, values, ranges, steps and
 * lists, or a descriptor (@hourly, @daily, ..., @every <duration>). Returns what is wrong, or
 * undefined.
 */
const FIELDS = [
  { name: 'minute', min: 0, max: 59, names: undefined },
  { name: 'hour', min: 0, max: 23, names: undefined },
  { name: 'day of month', min: 1, max: 31, names: undefined },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

const DESCRIPTORS = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

export function cronScheduleProblem(schedule: string): string | undefined {
  let spec = schedule.trim();
  if (spec === '') return 'is empty: write five fields such as "0 3 * * *"';
  if (/^(CRON_)?TZ=/.test(spec)) {
    const space = spec.indexOf(' ');
    if (space < 0) return 'names a time zone but no schedule';
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.has(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      return isGoDuration(spec.slice('@every '.length))
        ? undefined
        : `has an invalid @every duration: write one such as "@every 1h30m"`;
    }
    return `uses the unrecognized descriptor "${spec}": use @hourly, @daily, @weekly, @monthly, @yearly or five fields`;
  }
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) {
    return `has ${fields.length} fields: a schedule has exactly five (minute hour day-of-month month day-of-week)`;
  }
  for (const [index, field] of fields.entries()) {
    const rule = FIELDS[index];
    if (!rule) continue;
    const problem = fieldProblem(field, rule.min, rule.max, rule.names);
    if (problem) return `has an invalid ${rule.name} field "${field}": ${problem}`;
  }
  return undefined;
}

function fieldProblem(
  field: string,
  min: number,
  max: number,
  names: readonly string[] | undefined,
): string | undefined {
  for (const part of field.split(',')) {
    const [range = '', step, extra] = part.split('/');
    if (extra !== undefined) return 'has more than one "/"';
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      start = min;
      end = max;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) return 'has more than one "-" in a range';
      const low = valueOf(bounds[0] ?? '', names);
      if (low === undefined) return `"${bounds[0] ?? ''}" is not a number`;
      start = low;
      end = low;
      if (bounds.length === 2) {
        const high = valueOf(bounds[1] ?? '', names);
        if (high === undefined) return `"${bounds[1] ?? ''}" is not a number`;
        end = high;
      } else if (step !== undefined) {
        end = max;
      }
    }
    if (step !== undefined) {
      if (!/^\d+$/.test(step) || Number(step) === 0) return 'a step must be a positive number';
    }
    if (start < min) return `${start} is below the minimum of ${min}`;
    if (end > max) return `${end} is above the maximum of ${max}`;
    if (start > end) return `the range starts (${start}) after it ends (${end})`;
  }
  return undefined;
}

function valueOf(text: string, names: readonly string[] | undefined): number | undefined {
  const named = names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (names?.length === 12 ? 1 : 0);
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** A Go time.Duration ("1h30m", "500ms", "-1.5h"); a bare 0 is one too. */
export function isGoDuration(text: string): boolean {
  return text === '0' || /^[-+]?((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(text);
}
