import type { FieldPath } from '../parse/locate';
import { cronScheduleProblem } from './cronSchedule';
import { checkLabelSelector } from './labelSelectorRules';
import { dns1123Label, qualifiedName } from './names';
import { int, int32, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

const MAX_INDEXED_COMPLETIONS = 100_000;

/** A Job's spec (also a CronJob's jobTemplate.spec, `inCronJob`). */
export function checkJobSpec(
  spec: Record<string, unknown>,
  path: FieldPath,
  podSpec: Record<string, unknown> | undefined,
  ctx: RuleContext,
  inCronJob = false,
): void {
  for (const key of [
    'parallelism',
    'completions',
    'backoffLimit',
    'ttlSecondsAfterFinished',
    'backoffLimitPerIndex',
    'maxFailedIndexes',
  ]) {
    const value = int32(spec[key]);
    if (value !== undefined && value < 0) {
      ctx.report([...path, key], `Invalid value: ${value}: must be greater than or equal to 0.`);
    }
  }
  // A Job's deadline may be 0 (a pod's must be at least 1).
  const deadline = int(spec['activeDeadlineSeconds']);
  if (deadline !== undefined && deadline < 0) {
    ctx.report(
      [...path, 'activeDeadlineSeconds'],
      `Invalid value: ${deadline}: must be greater than or equal to 0.`,
    );
  }
  if (inCronJob && spec['manualSelector'] === true) {
    ctx.report(
      [...path, 'manualSelector'],
      "Unsupported value: true: a CronJob sets its Jobs' selectors: remove manualSelector.",
    );
  }
  if (!inCronJob && spec['manualSelector'] === true && !record(spec['selector'])) {
    ctx.report([...path], 'selector is required when manualSelector is true.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  checkLabelSelector(spec['selector'], [...path, 'selector'], ctx);
  const indexed = plain(spec['completionMode']) === 'Indexed';
  const completions = int32(spec['completions']);
  const perIndex = spec['backoffLimitPerIndex'];
  const hasPerIndex = perIndex !== undefined && perIndex !== null;
  if (indexed && (spec['completions'] === undefined || spec['completions'] === null)) {
    ctx.report(
      [...path, 'completionMode'],
      'completions is required when completionMode is Indexed.',
    );
  }
  const parallelism = int32(spec['parallelism']);
  if (indexed && parallelism !== undefined && parallelism > MAX_INDEXED_COMPLETIONS) {
    ctx.report(
      [...path, 'parallelism'],
      `Invalid value: ${parallelism}: must be less than or equal to ${MAX_INDEXED_COMPLETIONS} when completionMode is Indexed.`,
    );
  }
  // A backoff limit per index keeps state per index: at most 100000 of them.
  if (
    indexed &&
    hasPerIndex &&
    completions !== undefined &&
    completions > MAX_INDEXED_COMPLETIONS
  ) {
    ctx.report(
      [...path, 'completions'],
      `Invalid value: ${completions}: must be less than or equal to ${MAX_INDEXED_COMPLETIONS} when backoffLimitPerIndex is set.`,
    );
  }
  if (hasPerIndex && !indexed) {
    ctx.report(
      [...path, 'backoffLimitPerIndex'],
      'Invalid value: requires completionMode: Indexed.',
    );
  }
  const maxFailed = spec['maxFailedIndexes'];
  if (maxFailed !== undefined && maxFailed !== null) {
    if (!hasPerIndex) {
      ctx.report(
        [...path, 'backoffLimitPerIndex'],
        'Required value: when maxFailedIndexes is specified.',
        { part: 'key' },
      );
    }
    if (!indexed) {
      ctx.report([...path, 'maxFailedIndexes'], 'Invalid value: requires completionMode: Indexed.');
    } else if (completions !== undefined && (int32(maxFailed) ?? 0) > completions) {
      ctx.report(
        [...path, 'maxFailedIndexes'],
        `Invalid value: ${int32(maxFailed) ?? 0}: must be less than or equal to completions (${completions}).`,
      );
    }
  }
  if (record(spec['successPolicy']) && !indexed) {
    ctx.report([...path, 'successPolicy'], 'Invalid value: requires completionMode: Indexed.', {
      part: 'key',
    });
  }
  const failurePolicy = record(spec['podFailurePolicy']);
  if (failurePolicy)
    checkPodFailurePolicy(failurePolicy, [...path, 'podFailurePolicy'], podSpec, hasPerIndex, ctx);
  const replacement = plain(spec['podReplacementPolicy']);
  if (failurePolicy && replacement !== undefined && replacement !== 'Failed') {
    ctx.report(
      [...path, 'podReplacementPolicy'],
      `Invalid value "${replacement}": must be Failed when podFailurePolicy is set.`,
    );
  }
  const managedBy = plain(spec['managedBy']);
  if (managedBy !== undefined) {
    const [domain = '', ...rest] = managedBy.split('/');
    if (
      managedBy.length > 63 ||
      rest.length === 0 ||
      qualifiedName(`${domain}/x`) !== undefined ||
      rest.join('/') === ''
    ) {
      ctx.report(
        [...path, 'managedBy'],
        `Invalid value "${managedBy}": must be a domain-prefixed path of at most 63 characters, such as "example.com/controller".`,
      );
    }
  }
}

function checkPodFailurePolicy(
  policy: Record<string, unknown>,
  path: FieldPath,
  podSpec: Record<string, unknown> | undefined,
  hasPerIndex: boolean,
  ctx: RuleContext,
): void {
  if (
    podSpec &&
    plain(podSpec['restartPolicy']) !== undefined &&
    podSpec['restartPolicy'] !== 'Never'
  ) {
    ctx.report(
      path,
      "Invalid value: only allowed when the pod template's restartPolicy is Never.",
      { part: 'key' },
    );
  }
  const containers = new Set(
    ['containers', 'initContainers'].flatMap((group) =>
      list(podSpec?.[group]).flatMap((entry) => plain(record(entry)?.['name']) ?? []),
    ),
  );
  list(policy['rules']).forEach((entry, index) => {
    const rule = record(entry) ?? {};
    const at: FieldPath = [...path, 'rules', index];
    const codes = record(rule['onExitCodes']);
    const conditions = rule['onPodConditions'];
    if (plain(rule['action']) === 'FailIndex' && !hasPerIndex) {
      ctx.report([...at, 'action'], 'Invalid value "FailIndex": requires backoffLimitPerIndex.');
    }
    if ((codes !== undefined) === list(conditions).length > 0) {
      ctx.report(at, 'Invalid value: specify exactly one of onExitCodes and onPodConditions.', {
        part: 'key',
      });
    }
    if (codes) {
      const codesAt: FieldPath = [...at, 'onExitCodes'];
      const container = plain(codes['containerName']);
      if (container !== undefined && podSpec && !containers.has(container)) {
        ctx.report(
          [...codesAt, 'containerName'],
          `Invalid value "${container}": must be one of the container or initContainer names in the pod template.`,
        );
      }
      const values = list(codes['values']).map((value) => int32(value));
      if (values.length === 0) {
        ctx.report(codesAt, 'values is required: list at least one exit code.', {
          code: 'missing-required',
          part: 'key',
        });
      } else if (values.length > 255) {
        ctx.report([...codesAt, 'values'], 'Too many: may have at most 255 exit codes.', {
          part: 'key',
        });
      }
      const seen = new Set<number>();
      values.forEach((value, valueIndex) => {
        if (value === undefined) return;
        if (seen.has(value)) {
          ctx.report([...codesAt, 'values', valueIndex], `Duplicate value: ${value}.`, {
            code: 'duplicate-list-key',
          });
        } else if (valueIndex > 0 && value < (values[valueIndex - 1] ?? value)) {
          ctx.report(
            [...codesAt, 'values'],
            'Invalid value: must be ordered from the lowest exit code.',
            { part: 'key' },
          );
        }
        if (value === 0 && plain(codes['operator']) === 'In') {
          ctx.report(
            [...codesAt, 'values', valueIndex],
            'Invalid value: 0: must not be 0 for the In operator.',
          );
        }
        seen.add(value);
      });
    }
    list(conditions).forEach((entryCondition, conditionIndex) => {
      const condition = record(entryCondition) ?? {};
      const status = plain(condition['status']);
      if (status !== undefined && status !== '' && !['True', 'False', 'Unknown'].includes(status)) {
        ctx.report(
          [...at, 'onPodConditions', conditionIndex, 'status'],
          `Unsupported value "${status}": use "True", "False" or "Unknown".`,
        );
      }
      const type = plain(condition['type']);
      const problem = type === undefined ? undefined : qualifiedName(type);
      if (problem) {
        ctx.report(
          [...at, 'onPodConditions', conditionIndex, 'type'],
          `Invalid value "${type}": a condition type must ${problem}.`,
        );
      }
    });
  });
}

/** A CronJob's own fields: schedule, time zone, history limits, name length. */
export function checkCronJob(spec: Record<string, unknown>, ctx: RuleContext): void {
  const schedule = plain(spec['schedule']);
  if (schedule !== undefined) {
    const problem = cronScheduleProblem(schedule);
    if (problem) {
      ctx.report(['spec', 'schedule'], `Invalid value "${schedule}": the schedule ${problem}.`);
    } else if (schedule.includes('TZ')) {
      ctx.report(
        ['spec', 'schedule'],
        `Invalid value "${schedule}": cannot use TZ or CRON_TZ in schedule: use the timeZone field instead.`,
      );
    }
  }
  const timeZone = plain(spec['timeZone']);
  if (timeZone !== undefined) {
    const problem = timeZoneProblem(timeZone);
    if (problem) ctx.report(['spec', 'timeZone'], `Invalid value "${timeZone}": ${problem}.`);
  }
  for (const key of [
    'startingDeadlineSeconds',
    'successfulJobsHistoryLimit',
    'failedJobsHistoryLimit',
  ]) {
    // startingDeadlineSeconds is 64-bit, the history limits 32-bit.
    const value = key === 'startingDeadlineSeconds' ? int(spec[key]) : int32(spec[key]);
    if (value !== undefined && value < 0) {
      ctx.report(['spec', key], `Invalid value: ${value}: must be greater than or equal to 0.`);
    }
  }
}

/** A time zone of the IANA database, as Go's time.LoadLocation finds it (case matters). */
export function timeZoneProblem(zone: string): string | undefined {
  if (zone === '') return 'timeZone must be unset or name a time zone';
  if (zone.toLowerCase() === 'local')
    return 'must name an explicit time zone of the IANA database, such as Europe/Paris';
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return 'unknown time zone: name one of the IANA database, such as Europe/Paris or UTC';
  }
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) {
    return `unknown time zone: time zone names are case-sensitive: did you mean "${resolved}"?`;
  }
  const badPart = zone
    .split('/')
    .some(
      (part) =>
        part === '.' ||
        part === '..' ||
        part.startsWith('-') ||
        !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part),
    );
  return badPart ? 'unknown time zone: name one of the IANA database' : undefined;
}

/**
 * A Job's name becomes a label value of its pods (at most 63 characters) and, for an Indexed
 * Job, their host name with "-<index>" appended (a DNS label).
 */
export function checkJobName(object: Record<string, unknown>, ctx: RuleContext): void {
  const name = plain(record(object['metadata'])?.['name']);
  const spec = record(object['spec']);
  if (name === undefined || name === '') return;
  if (name.length > 63) {
    ctx.report(
      ['metadata', 'name'],
      `Invalid value "${name}": a Job name is a label value of its pods, so it may be at most 63 characters.`,
    );
    return;
  }
  const completions = int32(spec?.['completions']);
  if (
    plain(spec?.['completionMode']) === 'Indexed' &&
    completions !== undefined &&
    completions > 0
  ) {
    const hostname = `${name}-${completions - 1}`;
    if (dns1123Label(hostname)) {
      ctx.report(
        ['metadata', 'name'],
        `Invalid value "${name}": the pods of an Indexed Job are named ${hostname}, which must be a DNS label (no dots, at most 63 characters).`,
      );
    }
  }
}
