import type { FieldPath } from '../parse/locate';
import { checkContainer, checkPortNumber } from './containerRules';
import type { ContainerScope } from './containerRules';
import { checkLabels } from './metadataRules';
import { dns1123Label, dns1123Subdomain } from './names';
import { checkResourceRequirements } from './resourceRules';
import { int, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';
import { checkDns } from './dnsRules';
import { checkScheduling } from './schedulingRules';
import { checkOperatingSystem, checkPodSecurityContext } from './securityContextRules';
import { checkVolumes } from './volumeRules';

export { checkPortNumber };

export interface PodSpecOptions {
  /** Restart policies the owning kind allows; undefined: any. */
  readonly restartPolicies?: readonly string[];
  /** The object is a Pod rather than a template in a workload. */
  readonly isPod?: boolean;
  /** Volume names the pods get besides spec.volumes (a StatefulSet's volumeClaimTemplates). */
  readonly claimTemplates?: readonly string[];
  /** The owner sets the pods' hostname and subdomain itself (a StatefulSet). */
  readonly skipHostNames?: boolean;
}

/**
 * What the API server checks in a pod spec beyond its schema (ValidatePodSpec): containers,
 * volumes and the mounts that name them, names unique across init and app containers, host
 * ports, scheduling, DNS, security contexts, and a restart policy the owning kind allows.
 */
export function checkPodSpec(
  spec: Record<string, unknown>,
  path: FieldPath,
  ctx: RuleContext,
  options: PodSpecOptions = {},
): void {
  const volumes = checkVolumes(spec['volumes'], [...path, 'volumes'], ctx);
  for (const claim of options.claimTemplates ?? []) volumes.add(claim);
  const scope = {
    volumes,
    gracePeriod: int(spec['terminationGracePeriodSeconds']) ?? 30,
    isPod: options.isPod === true,
    hostUsers: spec['hostUsers'] !== false,
    claims: new Set(
      list(spec['resourceClaims']).flatMap((claim) => plain(record(claim)?.['name']) ?? []),
    ),
  };
  const containers = list(spec['containers']);
  if (containers.length === 0 && Array.isArray(spec['containers'])) {
    ctx.report([...path, 'containers'], 'Required value: a pod needs at least one container.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  checkContainerNames(spec, path, ctx);
  for (const group of ['initContainers', 'containers'] as const) {
    const groupScope: ContainerScope = { ...scope, group };
    list(spec[group]).forEach((entry, index) => {
      const container = record(entry);
      if (container) checkContainer(container, [...path, group, index], groupScope, ctx);
    });
  }
  checkHostPorts(spec, path, ctx);
  checkRestartPolicy(spec, path, options.restartPolicies, ctx);
  checkLabels(record(spec['nodeSelector']), [...path, 'nodeSelector'], ctx);
  checkPodSecurityContext(record(spec['securityContext']), spec, [...path, 'securityContext'], ctx);
  // Both are fields of the pod spec in v1 (of its security context inside the API server).
  if (spec['shareProcessNamespace'] === true && spec['hostPID'] === true) {
    ctx.report(
      [...path, 'shareProcessNamespace'],
      'Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled.',
    );
  }
  checkScheduling(spec, path, ctx);
  checkDns(spec, path, ctx);
  checkPodNames(spec, path, ctx, options.skipHostNames === true);
  checkOperatingSystem(spec, path, ctx);
  const deadline = int(spec['activeDeadlineSeconds']);
  if (deadline !== undefined && (deadline < 1 || deadline > 2147483647)) {
    ctx.report(
      [...path, 'activeDeadlineSeconds'],
      `Invalid value: ${deadline}: must be between 1 and 2147483647, inclusive.`,
    );
  }
  const overhead = record(spec['overhead']);
  if (overhead) checkResourceRequirements({ limits: overhead }, [...path, 'overhead'], ctx);
  if (options.isPod && !plain(spec['serviceAccountName'])) {
    list(spec['volumes']).forEach((volume, index) => {
      list(record(record(volume)?.['projected'])?.['sources']).forEach((source, sourceIndex) => {
        if (record(record(source)?.['serviceAccountToken'])) {
          ctx.report(
            [...path, 'volumes', index, 'projected', 'sources', sourceIndex, 'serviceAccountToken'],
            'Forbidden: must not be specified when serviceAccountName is not set: name the service account.',
            { part: 'key' },
          );
        }
      });
    });
  }
}

/** Container names are unique across init and app containers. */
function checkContainerNames(
  spec: Record<string, unknown>,
  path: FieldPath,
  ctx: RuleContext,
): void {
  const seen = new Set<string>();
  for (const group of ['containers', 'initContainers'] as const) {
    list(spec[group]).forEach((entry, index) => {
      const name = plain(record(entry)?.['name']);
      if (name === undefined || name === '') return;
      if (seen.has(name)) {
        ctx.report(
          [...path, group, index, 'name'],
          `Duplicate value "${name}": init and app containers share one name space.`,
          {
            code: 'duplicate-list-key',
          },
        );
      }
      seen.add(name);
    });
  }
}

/** Host ports: unique per protocol and IP (init containers one by one), equal to the container port on the host network. */
function checkHostPorts(spec: Record<string, unknown>, path: FieldPath, ctx: RuleContext): void {
  const hostNetwork = spec['hostNetwork'] === true;
  const used = new Set<string>();
  for (const group of ['containers', 'initContainers'] as const) {
    list(spec[group]).forEach((entry, index) => {
      const perContainer = group === 'initContainers' ? new Set<string>() : used;
      list(record(entry)?.['ports']).forEach((portEntry, portIndex) => {
        const port = record(portEntry) ?? {};
        const at: FieldPath = [...path, group, index, 'ports', portIndex, 'hostPort'];
        const hostPort = int(port['hostPort']) ?? 0;
        const containerPort = int(port['containerPort']);
        if (hostNetwork && group === 'containers' && hostPort !== 0 && hostPort !== containerPort) {
          ctx.report(
            at,
            `Invalid value: ${hostPort}: must match containerPort when hostNetwork is true.`,
          );
        }
        if (hostPort === 0) return;
        const key = `${plain(port['protocol']) ?? 'TCP'}/${plain(port['hostIP']) ?? ''}/${hostPort}`;
        if (perContainer.has(key)) {
          ctx.report(at, `Duplicate value "${key}": another container port uses this host port.`, {
            code: 'duplicate-list-key',
          });
        }
        perContainer.add(key);
      });
    });
  }
}

function checkRestartPolicy(
  spec: Record<string, unknown>,
  path: FieldPath,
  allowed: readonly string[] | undefined,
  ctx: RuleContext,
): void {
  const restartPolicy = plain(spec['restartPolicy']);
  if (!allowed) return;
  const choices = allowed.map((p) => `"${p}"`).join(' or ');
  if (
    restartPolicy === undefined &&
    spec['restartPolicy'] === undefined &&
    !allowed.includes('Always')
  ) {
    ctx.report([...path], `restartPolicy is required here: use ${choices}.`, {
      code: 'missing-required',
      part: 'key',
    });
  } else if (restartPolicy !== undefined && !allowed.includes(restartPolicy)) {
    ctx.report([...path, 'restartPolicy'], `Unsupported value "${restartPolicy}": use ${choices}.`);
  }
}

/** Names a pod spec refers to: its host name, service account, node and classes. */
function checkPodNames(
  spec: Record<string, unknown>,
  path: FieldPath,
  ctx: RuleContext,
  skipHostNames: boolean,
): void {
  const names: Array<[string, (value: string) => string | undefined, string]> = [
    ['hostname', dns1123Label, 'a host name'],
    ['subdomain', dns1123Label, 'a subdomain'],
    ['serviceAccountName', dns1123Subdomain, 'a service account name'],
    ['nodeName', dns1123Subdomain, 'a node name'],
    ['priorityClassName', dns1123Subdomain, 'a PriorityClass name'],
    ['runtimeClassName', dns1123Subdomain, 'a RuntimeClass name'],
  ];
  for (const [key, check, what] of names) {
    if (skipHostNames && (key === 'hostname' || key === 'subdomain')) continue;
    // The deprecated serviceAccount is copied into an empty serviceAccountName.
    const value =
      key === 'serviceAccountName' && !plain(spec[key])
        ? plain(spec['serviceAccount'])
        : plain(spec[key]);
    const skip = value === undefined || (value === '' && key !== 'runtimeClassName');
    const problem = skip ? undefined : check(value);
    if (problem) ctx.report([...path, key], `Invalid value "${value}": ${what} must ${problem}.`);
  }
}
