import type { FieldPath } from '../parse/locate';
import { checkEnv } from './envRules';
import { dns1123Label, ianaServiceName } from './names';
import { checkProbe, checkLifecycle } from './probeRules';
import { checkResourceRequirements } from './resourceRules';
import { int, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';
import { checkSecurityContext } from './securityContextRules';
import { checkNoBacksteps } from './volumeRules';

/** What a container's checks need from its pod. */
export interface ContainerScope {
  readonly volumes: ReadonlySet<string>;
  /** The pod's terminationGracePeriodSeconds (30 when unset). */
  readonly gracePeriod: number;
  /** The object is a Pod, not a template: images may not be padded with spaces. */
  readonly isPod: boolean;
  readonly group: 'containers' | 'initContainers';
  /** spec.securityContext.hostUsers (true unless set to false). */
  readonly hostUsers: boolean;
  /** Names of spec.resourceClaims, which containers' resources.claims name. */
  readonly claims: ReadonlySet<string>;
}

/** What the API server checks in one container, beyond its schema. */
export function checkContainer(
  container: Record<string, unknown>,
  path: FieldPath,
  scope: ContainerScope,
  ctx: RuleContext,
): void {
  const name = plain(container['name']);
  const nameProblem =
    name === undefined ? undefined : name === '' ? 'not be empty' : dns1123Label(name);
  if (nameProblem) {
    ctx.report([...path, 'name'], `Invalid value "${name}": a container name must ${nameProblem}.`);
  }
  const image = container['image'];
  if (image === undefined || image === null || image === '') {
    ctx.report([...path], 'image is required: name the container image to run.', {
      code: 'missing-required',
      part: 'key',
    });
  } else if (scope.isPod && typeof image === 'string' && image.trim() !== image) {
    ctx.report(
      [...path, 'image'],
      `Invalid value "${image}": must not have leading or trailing whitespace.`,
    );
  }
  checkPorts(container, path, ctx);
  checkEnv(container, path, ctx);
  checkMounts(container, path, scope.volumes, ctx);
  checkResourceRequirements(record(container['resources']), [...path, 'resources'], ctx);
  list(record(container['resources'])?.['claims']).forEach((entry, index) => {
    const claim = plain(record(entry)?.['name']);
    if (claim !== undefined && claim !== '' && !scope.claims.has(claim)) {
      ctx.report(
        [...path, 'resources', 'claims', index, 'name'],
        `Not found: "${claim}": must be one of the names in spec.resourceClaims of the pod.`,
        { code: 'unknown-reference' },
      );
    }
  });
  checkSecurityContext(
    record(container['securityContext']),
    [...path, 'securityContext'],
    scope.hostUsers,
    ctx,
  );
  // Only "Always" makes an init container a sidecar; other values (container restart rules,
  // an alpha feature) are dropped by the API server when the feature is off.
  const restartable = plain(container['restartPolicy']) === 'Always';
  const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
  if (scope.group === 'initContainers' && !restartable) {
    for (const key of ['lifecycle', ...probes]) {
      if (container[key] !== undefined && container[key] !== null) {
        ctx.report(
          [...path, key],
          `Forbidden: may not be set for init containers without restartPolicy: Always.`,
          {
            part: 'key',
          },
        );
      }
    }
    return;
  }
  for (const key of probes) {
    const probe = record(container[key]);
    if (probe) checkProbe(probe, key, [...path, key], scope.gracePeriod, ctx);
  }
  const lifecycle = record(container['lifecycle']);
  if (lifecycle) checkLifecycle(lifecycle, [...path, 'lifecycle'], scope.gracePeriod, ctx);
}

function checkPorts(container: Record<string, unknown>, path: FieldPath, ctx: RuleContext): void {
  const names = new Set<string>();
  list(container['ports']).forEach((entry, index) => {
    const port = record(entry);
    if (!port) return;
    const at: FieldPath = [...path, 'ports', index];
    const name = plain(port['name']);
    if (name !== undefined && name !== '') {
      const problem = ianaServiceName(name);
      if (problem) {
        ctx.report([...at, 'name'], `Invalid value "${name}": a port name must ${problem}.`);
      } else if (names.has(name)) {
        ctx.report(
          [...at, 'name'],
          `Duplicate value "${name}": another port of this container has this name.`,
          {
            code: 'duplicate-list-key',
          },
        );
      }
      names.add(name);
    }
    const containerPort = int(port['containerPort']);
    if (containerPort === 0) {
      ctx.report(
        [...at, 'containerPort'],
        'Required value: containerPort may not be 0: give the port the container listens on.',
      );
    } else {
      checkPortNumber(port['containerPort'], [...at, 'containerPort'], 1, ctx);
    }
    if (port['hostPort'] !== undefined && port['hostPort'] !== 0) {
      checkPortNumber(port['hostPort'], [...at, 'hostPort'], 1, ctx);
    }
  });
}

function checkMounts(
  container: Record<string, unknown>,
  path: FieldPath,
  volumes: ReadonlySet<string>,
  ctx: RuleContext,
): void {
  const mountPaths = new Set<string>();
  const privileged = record(container['securityContext'])?.['privileged'] === true;
  list(container['volumeMounts']).forEach((entry, index) => {
    const mount = record(entry);
    if (!mount) return;
    const at: FieldPath = [...path, 'volumeMounts', index];
    const name = plain(mount['name']);
    if (name !== undefined && !volumes.has(name)) {
      ctx.report(
        [...at, 'name'],
        `Not found: "${name}": no volume of the pod has this name. Add it under volumes or fix the name.`,
        { code: 'unknown-reference' },
      );
    }
    const mountPath = plain(mount['mountPath']);
    if (mountPath === '') {
      ctx.report(
        [...at, 'mountPath'],
        'mountPath is required: give the path inside the container.',
        {
          code: 'missing-required',
        },
      );
    } else if (mountPath !== undefined && mountPaths.has(mountPath)) {
      ctx.report(
        [...at, 'mountPath'],
        `Invalid value "${mountPath}": must be unique: another mount of this container uses it.`,
      );
    }
    if (mountPath !== undefined) mountPaths.add(mountPath);
    for (const key of ['subPath', 'subPathExpr']) {
      const sub = plain(mount[key]);
      if (!sub) continue;
      // The server reports these on the list, not the item: keep to the item for the editor.
      if (sub.startsWith('/')) {
        ctx.report([...at, key], `Invalid value "${sub}": must be a relative path.`);
      } else {
        checkNoBacksteps(sub, [...at, key], ctx);
      }
    }
    if (plain(mount['subPath']) && plain(mount['subPathExpr'])) {
      ctx.report(
        [...at, 'subPathExpr'],
        'subPathExpr and subPath are mutually exclusive: keep one.',
      );
    }
    const propagation = plain(mount['mountPropagation']);
    if (propagation === 'Bidirectional' && !privileged) {
      ctx.report(
        [...at, 'mountPropagation'],
        'Forbidden: Bidirectional mount propagation is available only to privileged containers.',
      );
    }
    const recursive = plain(mount['recursiveReadOnly']);
    if (recursive !== undefined && !['Disabled', 'Enabled', 'IfPossible'].includes(recursive)) {
      ctx.report(
        [...at, 'recursiveReadOnly'],
        `Unsupported value "${recursive}": use "Disabled", "Enabled" or "IfPossible".`,
      );
    } else if (recursive === 'Enabled' || recursive === 'IfPossible') {
      if (mount['readOnly'] !== true) {
        ctx.report(
          [...at, 'recursiveReadOnly'],
          'Forbidden: may only be set when readOnly is true.',
        );
      }
      if (propagation !== undefined && propagation !== 'None') {
        ctx.report(
          [...at, 'recursiveReadOnly'],
          'Forbidden: may only be set when mountPropagation is None or not set.',
        );
      }
    }
  });
}

export function checkPortNumber(
  value: unknown,
  path: FieldPath,
  minimum: number,
  ctx: RuleContext,
): void {
  const port = int(value);
  if (port !== undefined && (port < minimum || port > 65535)) {
    ctx.report(path, `Invalid value: ${port}: must be between ${minimum} and 65535, inclusive.`);
  }
}

/** An int-or-string port: a number from 1 to 65535, or the name of a container port. */
export function checkPortNumOrName(value: unknown, path: FieldPath, ctx: RuleContext): void {
  if (typeof value === 'number') {
    checkPortNumber(value, path, 1, ctx);
    return;
  }
  const name = plain(value);
  const problem = name === undefined ? undefined : ianaServiceName(name);
  if (problem) {
    ctx.report(path, `Invalid value "${name}": a named port must ${problem}.`);
  }
}
