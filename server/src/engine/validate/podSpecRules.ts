import type { FieldPath } from '../parse/locate';
import { dns1123Label, ianaServiceName } from './names';
import { compareQuantities, quantityOfJsonValue } from '../parse/quantity';
import { list, record, text } from './ruleContext';
import type { RuleContext } from './ruleContext';

/**
 * What the API server checks in a pod spec beyond its schema: container images and names,
 * names unique across init and app containers, ports in range, volume mounts that name a
 * volume, requests not above limits, and a restart policy the owning kind allows.
 */
export function checkPodSpec(
  spec: Record<string, unknown>,
  path: FieldPath,
  ctx: RuleContext,
  allowedRestartPolicies: readonly string[] | undefined,
  /** Volumes the owner adds to the pod (a StatefulSet's volumeClaimTemplates). */
  ownerVolumes: readonly string[] = [],
): void {
  const volumes = new Set([
    ...list(spec['volumes']).map((volume) => text(record(volume)?.['name'])),
    ...ownerVolumes,
  ]);
  const names = new Map<string, string>();
  for (const group of ['initContainers', 'containers'] as const) {
    list(spec[group]).forEach((entry, index) => {
      const container = record(entry);
      if (!container) {
        return;
      }
      const at: FieldPath = [...path, group, index];
      checkContainer(container, at, ctx, volumes);
      const name = text(container['name']);
      if (name !== undefined) {
        const first = names.get(name);
        if (first && first !== group) {
          ctx.report(
            [...at, 'name'],
            `Duplicate value "${name}": init and app containers share one name space.`,
            {
              code: 'duplicate-list-key',
            },
          );
        }
        names.set(name, group);
      }
    });
  }
  const restartPolicy = text(spec['restartPolicy']);
  if (allowedRestartPolicies) {
    if (restartPolicy === undefined && !allowedRestartPolicies.includes('Always')) {
      ctx.report(
        [...path],
        `restartPolicy is required here: use ${allowedRestartPolicies.map((p) => `"${p}"`).join(' or ')}.`,
        {
          code: 'missing-required',
          part: 'key',
        },
      );
    } else if (restartPolicy !== undefined && !allowedRestartPolicies.includes(restartPolicy)) {
      ctx.report(
        [...path, 'restartPolicy'],
        `Unsupported value "${restartPolicy}": use ${allowedRestartPolicies.map((p) => `"${p}"`).join(' or ')}.`,
      );
    }
  }
}

function checkContainer(
  container: Record<string, unknown>,
  path: FieldPath,
  ctx: RuleContext,
  volumes: Set<string | undefined>,
): void {
  const name = text(container['name']);
  const nameProblem = name === undefined ? undefined : dns1123Label(name);
  if (nameProblem) {
    ctx.report([...path, 'name'], `Invalid value "${name}": a container name must ${nameProblem}.`);
  }
  const image = container['image'];
  if (image === undefined || image === null || (typeof image === 'string' && image.trim() === '')) {
    ctx.report([...path], 'image is required: name the container image to run.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  list(container['ports']).forEach((entry, index) => {
    const port = record(entry);
    if (!port) {
      return;
    }
    checkPortNumber(port['containerPort'], [...path, 'ports', index, 'containerPort'], 1, ctx);
    if (port['hostPort'] !== undefined && port['hostPort'] !== 0) {
      checkPortNumber(port['hostPort'], [...path, 'ports', index, 'hostPort'], 1, ctx);
    }
    const portName = text(port['name']);
    const portProblem = portName === undefined ? undefined : ianaServiceName(portName);
    if (portProblem) {
      ctx.report(
        [...path, 'ports', index, 'name'],
        `Invalid value "${portName}": a port name must ${portProblem}.`,
      );
    }
  });
  list(container['volumeMounts']).forEach((entry, index) => {
    const mountName = text(record(entry)?.['name']);
    if (mountName !== undefined && !volumes.has(mountName)) {
      ctx.report(
        [...path, 'volumeMounts', index, 'name'],
        `Not found: "${mountName}": no volume of the pod has this name. Add it under volumes or fix the name.`,
        {
          code: 'unknown-reference',
        },
      );
    }
  });
  checkResources(record(container['resources']), [...path, 'resources'], ctx);
}

function checkResources(
  resources: Record<string, unknown> | undefined,
  path: FieldPath,
  ctx: RuleContext,
): void {
  const requests = record(resources?.['requests']);
  const limits = record(resources?.['limits']);
  if (!requests || !limits) {
    return;
  }
  for (const [resource, requested] of Object.entries(requests)) {
    const limit = limits[resource];
    const requestedValue = quantityOfJsonValue(requested);
    const limitValue = quantityOfJsonValue(limit);
    if (requestedValue && limitValue && compareQuantities(requestedValue, limitValue) > 0) {
      ctx.report(
        [...path, 'requests', resource],
        `Invalid value "${String(requested)}": must be less than or equal to the ${resource} limit of ${String(limit)}.`,
      );
    }
  }
}

export function checkPortNumber(
  value: unknown,
  path: FieldPath,
  minimum: number,
  ctx: RuleContext,
): void {
  if (typeof value === 'number' && Number.isInteger(value) && (value < minimum || value > 65535)) {
    ctx.report(path, `Invalid value: ${value}: must be between ${minimum} and 65535, inclusive.`);
  }
}
