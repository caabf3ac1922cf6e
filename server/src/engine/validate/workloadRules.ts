import type { FieldPath } from '../parse/locate';
import { checkCronJob, checkJobName, checkJobSpec } from './jobRules';
import { checkLabelSelector } from './labelSelectorRules';
import { checkAnnotations, checkLabels } from './metadataRules';
import { dns1123Label } from './names';
import { checkPodSpec } from './podSpecRules';
import type { PodSpecOptions } from './podSpecRules';
import { at, int32, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';
import { selectorMismatch } from './selectors';

/** Kinds that run pods from a template, and where it is. */
const TEMPLATES: Record<string, FieldPath> = {
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};
const ALWAYS = ['Always'];
const JOB_POLICIES = ['OnFailure', 'Never'];
const RESTART_POLICIES: Record<string, readonly string[]> = {
  Deployment: ALWAYS,
  ReplicaSet: ALWAYS,
  ReplicationController: ALWAYS,
  StatefulSet: ALWAYS,
  DaemonSet: ALWAYS,
  Job: JOB_POLICIES,
  CronJob: JOB_POLICIES,
};
const SELECTED = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

/** The pod-running kinds: their pod spec, selector and rollout settings. */
export function checkWorkload(
  object: Record<string, unknown>,
  kind: string,
  ctx: RuleContext,
): void {
  const spec = record(object['spec']);
  if (kind === 'Pod') {
    if (spec) {
      checkPodSpec(spec, ['spec'], ctx, { isPod: true });
    } else if (object['spec'] === undefined) {
      ctx.report(['spec'], 'spec is required: a Pod needs at least one container.', {
        code: 'missing-required',
        part: 'key',
      });
    }
    return;
  }
  const templatePath = TEMPLATES[kind];
  if (!templatePath) return;
  const template = record(at(object, templatePath));
  const options: PodSpecOptions = {
    restartPolicies: RESTART_POLICIES[kind],
    claimTemplates:
      kind === 'StatefulSet'
        ? list(spec?.['volumeClaimTemplates']).flatMap(
            (claim) => plain(record(record(claim)?.['metadata'])?.['name']) ?? [],
          )
        : [],
    skipHostNames: kind === 'StatefulSet',
  };
  const podSpec = record(template?.['spec']);
  if (podSpec) {
    checkPodSpec(podSpec, [...templatePath, 'spec'], ctx, options);
  } else if (template?.['spec'] === undefined) {
    ctx.report(
      [...templatePath, 'spec'],
      'containers is required: the pod template needs a spec with at least one container.',
      {
        code: 'missing-required',
        part: 'key',
      },
    );
  }
  checkLabels(
    record(record(template?.['metadata'])?.['labels']),
    [...templatePath, 'metadata', 'labels'],
    ctx,
  );
  checkAnnotations(
    record(record(template?.['metadata'])?.['annotations']),
    [...templatePath, 'metadata', 'annotations'],
    ctx,
  );
  if (
    podSpec &&
    RESTART_POLICIES[kind] === ALWAYS &&
    podSpec['activeDeadlineSeconds'] !== undefined
  ) {
    ctx.report(
      [...templatePath, 'spec', 'activeDeadlineSeconds'],
      `Forbidden: activeDeadlineSeconds is not supported in a ${kind}'s pods: remove it.`,
      { part: 'key' },
    );
  }
  if (!spec) return;
  // ValidateStatefulSetSpec leaves revisionHistoryLimit unchecked: any number passes.
  checkNonNegative(
    spec,
    kind === 'StatefulSet'
      ? ['replicas', 'minReadySeconds', 'progressDeadlineSeconds']
      : ['replicas', 'minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds'],
    ctx,
  );
  if (SELECTED.has(kind)) checkSelector(spec, ctx);
  if (kind === 'Deployment') checkDeployment(spec, ctx);
  if (kind === 'DaemonSet') checkDaemonSet(spec, ctx);
  if (kind === 'StatefulSet') checkStatefulSet(spec, ctx);
  if (kind === 'Job') {
    checkJobName(object, ctx);
    checkJobSpec(spec, ['spec'], podSpec, ctx);
  }
  if (kind === 'CronJob') {
    checkCronJob(spec, ctx);
    const jobSpec = record(record(spec['jobTemplate'])?.['spec']);
    if (jobSpec) checkJobSpec(jobSpec, ['spec', 'jobTemplate', 'spec'], podSpec, ctx, true);
  }
}

function checkNonNegative(
  spec: Record<string, unknown>,
  keys: readonly string[],
  ctx: RuleContext,
): void {
  for (const key of keys) {
    const value = int32(spec[key]);
    if (value !== undefined && value < 0) {
      ctx.report(['spec', key], `Invalid value: ${value}: must be greater than or equal to 0.`);
    }
  }
}

function checkSelector(spec: Record<string, unknown>, ctx: RuleContext): void {
  const selector = record(spec['selector']);
  if (!selector) return;
  checkLabelSelector(selector, ['spec', 'selector'], ctx);
  const labels = record(record(record(spec['template'])?.['metadata'])?.['labels']) ?? {};
  // A patch may change the selector or the labels alone: the match is judged on the result.
  if (!ctx.whole) return;
  const problem = selectorMismatch(selector, labels);
  if (problem === 'empty') {
    ctx.report(
      ['spec', 'selector'],
      'Invalid value: empty selector is invalid for this workload: select the pods by their labels.',
      { part: 'key' },
    );
  } else if (problem === 'mismatch') {
    ctx.report(
      ['spec', 'template', 'metadata', 'labels'],
      'Invalid value: `selector` does not match template `labels`: every label of spec.selector must be set on the pod template.',
      { part: 'key' },
    );
  }
}

/** An int-or-string that must be a count or a percentage, at most 100% where `capped`. */
function checkIntOrPercent(
  value: unknown,
  path: FieldPath,
  capped: boolean,
  ctx: RuleContext,
): void {
  if (typeof value === 'number' && Number.isInteger(value) && value < 0) {
    ctx.report(path, `Invalid value: ${value}: must be greater than or equal to 0.`);
  } else if (typeof value === 'string' && plain(value) !== undefined) {
    if (!/^[0-9]+%$/.test(value)) {
      ctx.report(
        path,
        `Invalid value "${value}": write a whole number or a percentage such as "25%".`,
      );
    } else if (capped && Number(value.slice(0, -1)) > 100) {
      ctx.report(path, `Invalid value "${value}": must not be greater than 100%.`);
    }
  }
}

const isZero = (value: unknown): boolean =>
  value === 0 || (typeof value === 'string' && /^0+%$/.test(value));

function checkDeployment(spec: Record<string, unknown>, ctx: RuleContext): void {
  const strategy = record(spec['strategy']);
  const rolling = record(strategy?.['rollingUpdate']);
  const base: FieldPath = ['spec', 'strategy', 'rollingUpdate'];
  if (
    plain(strategy?.['type']) === 'Recreate' &&
    strategy?.['rollingUpdate'] !== undefined &&
    strategy['rollingUpdate'] !== null
  ) {
    ctx.report(base, "Forbidden: may not be set when strategy type is 'Recreate': remove it.", {
      part: 'key',
    });
  } else if (rolling) {
    checkIntOrPercent(rolling['maxUnavailable'], [...base, 'maxUnavailable'], true, ctx);
    checkIntOrPercent(rolling['maxSurge'], [...base, 'maxSurge'], false, ctx);
    // Both default to 25%: only a zero written for each stops the rollout.
    const surge = rolling['maxSurge'] ?? '25%';
    const unavailable = rolling['maxUnavailable'] ?? '25%';
    if (ctx.whole && isZero(surge) && isZero(unavailable)) {
      ctx.report(
        [...base, 'maxUnavailable'],
        'Invalid value: 0: may not be 0 when maxSurge is 0, or the rollout could never progress.',
      );
    }
  }
  const deadline = int32(spec['progressDeadlineSeconds']);
  const minReady = int32(spec['minReadySeconds']) ?? 0;
  if (ctx.whole && deadline !== undefined && deadline >= 0 && deadline <= minReady) {
    ctx.report(
      ['spec', 'progressDeadlineSeconds'],
      `Invalid value: ${deadline}: must be greater than minReadySeconds (${minReady}).`,
    );
  }
}

function checkDaemonSet(spec: Record<string, unknown>, ctx: RuleContext): void {
  const strategy = record(spec['updateStrategy']);
  const rolling = record(strategy?.['rollingUpdate']);
  const base: FieldPath = ['spec', 'updateStrategy', 'rollingUpdate'];
  if (!rolling || plain(strategy?.['type']) === 'OnDelete') return;
  checkIntOrPercent(rolling['maxUnavailable'], [...base, 'maxUnavailable'], true, ctx);
  checkIntOrPercent(rolling['maxSurge'], [...base, 'maxSurge'], true, ctx);
  const surge = rolling['maxSurge'] ?? 0;
  const unavailable = rolling['maxUnavailable'] ?? 1;
  if (isZero(surge) && isZero(unavailable)) {
    ctx.report(
      [...base, 'maxUnavailable'],
      'Required value: cannot be 0 when maxSurge is 0: allow at least one pod down or one extra.',
    );
  } else if (!isZero(surge) && !isZero(unavailable)) {
    ctx.report(
      [...base, 'maxSurge'],
      'Invalid value: may not be set when maxUnavailable is not 0: set one of them to 0.',
    );
  }
}

function checkStatefulSet(spec: Record<string, unknown>, ctx: RuleContext): void {
  const serviceName = plain(spec['serviceName']);
  const nameProblem =
    serviceName === undefined || serviceName === '' ? undefined : dns1123Label(serviceName);
  if (nameProblem)
    ctx.report(
      ['spec', 'serviceName'],
      `Invalid value "${serviceName}": a Service name must ${nameProblem}.`,
    );
  const strategy = record(spec['updateStrategy']);
  const base: FieldPath = ['spec', 'updateStrategy', 'rollingUpdate'];
  const rolling = record(strategy?.['rollingUpdate']);
  if (plain(strategy?.['type']) === 'OnDelete' && rolling) {
    ctx.report(base, "Forbidden: only allowed when type is 'RollingUpdate': remove it.", {
      part: 'key',
    });
  } else if (rolling) {
    const partition = int32(rolling['partition']);
    if (partition !== undefined && partition < 0) {
      ctx.report(
        [...base, 'partition'],
        `Invalid value: ${partition}: must be greater than or equal to 0.`,
      );
    }
    // maxUnavailable is an alpha field (MaxUnavailableStatefulSet): the API server drops it
    // unless the feature is on, so any value passes.
  }
  const retention = record(spec['persistentVolumeClaimRetentionPolicy']);
  for (const key of ['whenDeleted', 'whenScaled']) {
    const value = plain(retention?.[key]);
    // An empty value is defaulted to Retain.
    if (value !== undefined && value !== '' && value !== 'Retain' && value !== 'Delete') {
      ctx.report(
        ['spec', 'persistentVolumeClaimRetentionPolicy', key],
        `Unsupported value "${value}": use "Retain" or "Delete".`,
      );
    }
  }
  const start = int32(record(spec['ordinals'])?.['start']);
  if (start !== undefined && start < 0) {
    ctx.report(
      ['spec', 'ordinals', 'start'],
      `Invalid value: ${start}: must be greater than or equal to 0.`,
    );
  }
}
