import type { Node } from 'yaml';
import type { LineIndex } from '../parse/lineIndex';
import type { FieldPath } from '../parse/locate';
import type { Finding, Range } from '../types';
import {
  configMapKey,
  dns1123Label,
  dns1123Subdomain,
  ianaServiceName,
  labelValue,
  pathSegmentName,
  qualifiedName,
} from './names';
import type { NameCheck } from './names';
import { checkPodSpec, checkPortNumber } from './podSpecRules';
import { RuleContext, list, record, text } from './ruleContext';
import { selectorMismatch } from './selectors';
import { hasSubstitution } from './substitution';

/** Where each built-in kind keeps its pod spec, and which restart policies it allows. */
const POD_SPECS: Record<string, { path: FieldPath; restart?: readonly string[] }> = {
  Pod: { path: ['spec'] },
  PodTemplate: { path: ['template', 'spec'] },
  Deployment: { path: ['spec', 'template', 'spec'], restart: ['Always'] },
  ReplicaSet: { path: ['spec', 'template', 'spec'], restart: ['Always'] },
  ReplicationController: { path: ['spec', 'template', 'spec'], restart: ['Always'] },
  StatefulSet: { path: ['spec', 'template', 'spec'], restart: ['Always'] },
  DaemonSet: { path: ['spec', 'template', 'spec'], restart: ['Always'] },
  Job: { path: ['spec', 'template', 'spec'], restart: ['OnFailure', 'Never'] },
  CronJob: {
    path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    restart: ['OnFailure', 'Never'],
  },
};

/** int-or-string fields whose string form must be a percentage ("25%"). */
const PERCENT_FIELDS: Record<string, readonly FieldPath[]> = {
  Deployment: [
    ['spec', 'strategy', 'rollingUpdate', 'maxSurge'],
    ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'],
  ],
  DaemonSet: [
    ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge'],
    ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'],
  ],
  StatefulSet: [['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable']],
  PodDisruptionBudget: [
    ['spec', 'minAvailable'],
    ['spec', 'maxUnavailable'],
  ],
};

const WORKLOADS_WITH_SELECTOR = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);

/** What the file's place in the repository changes about the rules. */
export interface RuleOptions {
  /** A strategic-merge patch: rules between fields are judged on the patched result, not here. */
  readonly partial?: boolean;
  /** Kustomize's `namespace:` sets the name of v1 Namespace objects: the name here is replaced. */
  readonly namespaceSetByKustomize?: boolean;
}

/**
 * Rules the API server enforces in Go code rather than in the OpenAPI schema, for built-in
 * kinds (and the metadata rules for custom resources too).
 */
export function serverRuleFindings(
  root: Node | null,
  resource: unknown,
  kind: string,
  apiVersion: string,
  flavor: 'builtin' | 'crd',
  lines: LineIndex,
  fallback: Range,
  options: RuleOptions = {},
): Finding[] {
  const object = record(resource);
  if (!object) {
    return [];
  }
  const ctx = new RuleContext(root, lines, fallback);
  checkMetadata(object, kind, apiVersion, flavor, ctx, options);
  if (flavor === 'builtin') {
    checkBuiltin(object, kind, ctx, options);
  }
  return ctx.findings;
}

function checkMetadata(
  object: Record<string, unknown>,
  kind: string,
  apiVersion: string,
  flavor: string,
  ctx: RuleContext,
  options: RuleOptions,
): void {
  const metadata = record(object['metadata']);
  const name = text(metadata?.['name']);
  if (name === undefined && text(metadata?.['generateName']) === undefined) {
    ctx.report(['metadata'], 'name or generateName is required.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  const nameCheck: NameCheck =
    flavor === 'crd' || apiVersion.startsWith('rbac.authorization.k8s.io/')
      ? pathSegmentName
      : LABEL_NAMED_KINDS.has(kind)
        ? dns1123Label
        : dns1123Subdomain;
  const renamed =
    options.namespaceSetByKustomize === true && kind === 'Namespace' && apiVersion === 'v1';
  if (!renamed) {
    checkName(name, ['metadata', 'name'], nameCheck, `a ${kind} name`, ctx);
  }
  checkName(
    text(metadata?.['namespace']),
    ['metadata', 'namespace'],
    dns1123Label,
    'a namespace',
    ctx,
  );
  checkLabels(record(metadata?.['labels']), ['metadata', 'labels'], ctx);
  for (const key of Object.keys(record(metadata?.['annotations']) ?? {})) {
    const problem = qualifiedName(key);
    if (problem) {
      ctx.report(
        ['metadata', 'annotations', key],
        `Invalid annotation key "${key}": it must ${problem}.`,
        { part: 'key' },
      );
    }
  }
}

function checkBuiltin(
  object: Record<string, unknown>,
  kind: string,
  ctx: RuleContext,
  options: RuleOptions,
): void {
  const spec = record(object['spec']);
  const whole = options.partial !== true;
  if (typeof spec?.['replicas'] === 'number' && spec['replicas'] < 0) {
    ctx.report(
      ['spec', 'replicas'],
      `Invalid value: ${spec['replicas']}: must be greater than or equal to 0.`,
    );
  }
  if (WORKLOADS_WITH_SELECTOR.has(kind) && spec && whole) {
    checkWorkloadSelector(spec, ctx);
  }
  const podSpec = POD_SPECS[kind];
  if (podSpec) {
    let value: unknown = object;
    for (const segment of podSpec.path) {
      value = record(value)?.[segment as string];
    }
    const found = record(value);
    if (found) {
      // A StatefulSet's pods get a volume per volumeClaimTemplate, named after it.
      const claimVolumes =
        kind === 'StatefulSet'
          ? list(spec?.['volumeClaimTemplates']).flatMap((template) => {
              const name = text(record(record(template)?.['metadata'])?.['name']);
              return name === undefined ? [] : [name];
            })
          : [];
      checkPodSpec(found, podSpec.path, ctx, podSpec.restart, claimVolumes);
    }
    const templateLabels = record(record(record(spec?.['template'])?.['metadata'])?.['labels']);
    checkLabels(templateLabels, ['spec', 'template', 'metadata', 'labels'], ctx);
  }
  if (kind === 'Service' && spec) {
    checkService(spec, ctx, whole);
  }
  checkPercentages(object, PERCENT_FIELDS[kind] ?? [], ctx, whole);
  if ((kind === 'ConfigMap' || kind === 'Secret') && object) {
    for (const field of ['data', 'binaryData', 'stringData']) {
      for (const key of Object.keys(record(object[field]) ?? {})) {
        const problem = configMapKey(key);
        if (problem) {
          ctx.report([field, key], `Invalid key "${key}": a ${kind} key must ${problem}.`, {
            part: 'key',
          });
        }
      }
    }
  }
  if (kind === 'HorizontalPodAutoscaler' && spec) {
    const min = spec['minReplicas'];
    const max = spec['maxReplicas'];
    if (typeof min === 'number' && min < 0) {
      ctx.report(
        ['spec', 'minReplicas'],
        `Invalid value: ${min}: must be greater than or equal to 1.`,
      );
    } else if (min === 0) {
      // Allowed by kube-apiserver only with the HPAScaleToZero feature gate (alpha, off by
      // default), which a cluster's configuration may turn on: not knowable from the repo.
      ctx.report(
        ['spec', 'minReplicas'],
        'minReplicas 0 needs the HPAScaleToZero feature gate (alpha, off by default): a cluster without it rejects this with "must be greater than or equal to 1". Use 1, or make sure the gate is on.',
        { severity: 'warning', code: 'feature-gated-value' },
      );
    }
    if (typeof max === 'number' && typeof min === 'number' && max < min && whole) {
      ctx.report(
        ['spec', 'maxReplicas'],
        `Invalid value: ${max}: must be greater than or equal to minReplicas (${min}).`,
      );
    }
  }
}

function checkWorkloadSelector(spec: Record<string, unknown>, ctx: RuleContext): void {
  const selector = record(spec['selector']);
  const labels = record(record(record(spec['template'])?.['metadata'])?.['labels']) ?? {};
  if (!selector) {
    return;
  }
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

function checkService(spec: Record<string, unknown>, ctx: RuleContext, whole: boolean): void {
  const type = text(spec['type']) ?? 'ClusterIP';
  const ports = list(spec['ports']);
  if (type !== 'ExternalName' && ports.length === 0 && spec['clusterIP'] !== 'None') {
    ctx.report(['spec'], 'ports is required for a Service that is not headless or ExternalName.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  ports.forEach((entry, index) => {
    const port = record(entry);
    if (!port) {
      return;
    }
    const at: FieldPath = ['spec', 'ports', index];
    checkPortNumber(port['port'], [...at, 'port'], 1, ctx);
    const target = port['targetPort'];
    if (typeof target === 'number') {
      checkPortNumber(target, [...at, 'targetPort'], 1, ctx);
    } else if (typeof target === 'string') {
      const problem = ianaServiceName(target);
      if (problem) {
        ctx.report(
          [...at, 'targetPort'],
          `Invalid value "${target}": a named targetPort must ${problem}.`,
        );
      }
    }
    const nodePort = port['nodePort'];
    if (typeof nodePort === 'number' && nodePort !== 0 && (nodePort < 30000 || nodePort > 32767)) {
      ctx.report(
        [...at, 'nodePort'],
        `Invalid value: ${nodePort}: provided port is not in the valid range. The range of valid ports is 30000-32767.`,
      );
    }
    if (whole && ports.length > 1 && text(port['name']) === undefined) {
      ctx.report([...at], 'name is required when a Service has more than one port.', {
        code: 'missing-required',
        part: 'key',
      });
    }
  });
  checkLabels(record(spec['selector']), ['spec', 'selector'], ctx);
}

function checkLabels(
  labels: Record<string, unknown> | undefined,
  path: FieldPath,
  ctx: RuleContext,
): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const keyProblem = qualifiedName(key);
    if (keyProblem) {
      ctx.report([...path, key], `Invalid label key "${key}": it must ${keyProblem}.`, {
        part: 'key',
      });
    }
    if (typeof value === 'string' && !hasSubstitution(value)) {
      const valueProblem = labelValue(value);
      if (valueProblem) {
        ctx.report([...path, key], `Invalid label value "${value}": it must ${valueProblem}.`);
      }
    }
  }
}

function checkName(
  value: string | undefined,
  path: FieldPath,
  check: NameCheck,
  what: string,
  ctx: RuleContext,
): void {
  const problem = value === undefined || hasSubstitution(value) ? undefined : check(value);
  if (problem) {
    ctx.report(path, `Invalid value "${value}": ${what} must ${problem}.`);
  }
}

function valueAt(object: Record<string, unknown>, path: FieldPath): unknown {
  let value: unknown = object;
  for (const segment of path) {
    value = typeof segment === 'number' ? list(value)[segment] : record(value)?.[segment];
  }
  return value;
}

function checkPercentages(
  object: Record<string, unknown>,
  fields: readonly FieldPath[],
  ctx: RuleContext,
  whole: boolean,
): void {
  for (const path of fields) {
    const value = valueAt(object, path);
    if (typeof value === 'string' && !/^[0-9]+%$/.test(value)) {
      ctx.report(
        path,
        `Invalid value "${value}": write a whole number or a percentage such as "25%".`,
      );
    }
  }
  const rolling = record(record(record(object['spec'])?.['strategy'])?.['rollingUpdate']);
  const isZero = (value: unknown): boolean => value === 0 || value === '0%';
  if (whole && rolling && isZero(rolling['maxSurge']) && isZero(rolling['maxUnavailable'])) {
    ctx.report(
      ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'],
      'Invalid value: 0: may not be 0 when maxSurge is 0, or the rollout could never progress.',
    );
  }
}
