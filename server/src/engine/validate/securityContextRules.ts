import type { FieldPath } from '../parse/locate';
import { int, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';
import { checkLocalPath } from './volumeRules';

const MAX_ID = 2147483647;
const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

function checkId(value: unknown, path: FieldPath, what: string, ctx: RuleContext): void {
  const id = int(value);
  if (id !== undefined && (id < 0 || id > MAX_ID)) {
    ctx.report(path, `Invalid value: ${id}: a ${what} must be between 0 and ${MAX_ID}, inclusive.`);
  }
}

function checkSeccomp(
  profile: Record<string, unknown> | undefined,
  path: FieldPath,
  ctx: RuleContext,
): void {
  if (!profile) return;
  const type = plain(profile['type']);
  const localhost = plain(profile['localhostProfile']);
  if (type === 'Localhost' && profile['localhostProfile'] === undefined) {
    ctx.report(path, 'localhostProfile is required when type is Localhost.', {
      code: 'missing-required',
      part: 'key',
    });
  } else if (type === 'Localhost' && localhost !== undefined) {
    checkLocalPath(localhost, [...path, 'localhostProfile'], ctx);
  } else if (
    type !== undefined &&
    type !== 'Localhost' &&
    profile['localhostProfile'] !== undefined
  ) {
    ctx.report(
      [...path, 'localhostProfile'],
      'Invalid value: can only be set when type is Localhost: remove it.',
      {
        part: 'key',
      },
    );
  }
}

function checkAppArmor(
  profile: Record<string, unknown> | undefined,
  path: FieldPath,
  ctx: RuleContext,
): void {
  if (!profile) return;
  const type = plain(profile['type']);
  const localhost = profile['localhostProfile'];
  if (type === 'Localhost') {
    const text = plain(localhost);
    if (text === undefined || text.trim() === '') {
      ctx.report(path, 'localhostProfile is required when type is Localhost.', {
        code: 'missing-required',
        part: 'key',
      });
    } else if (text.trim() !== text) {
      ctx.report(
        [...path, 'localhostProfile'],
        `Invalid value "${text}": must not be padded with whitespace.`,
      );
    }
  } else if (type !== undefined && localhost !== undefined && localhost !== null) {
    ctx.report(
      [...path, 'localhostProfile'],
      'Invalid value: can only be set when type is Localhost: remove it.',
      {
        part: 'key',
      },
    );
  }
}

/** A container's securityContext. */
export function checkSecurityContext(
  context: Record<string, unknown> | undefined,
  path: FieldPath,
  hostUsers: boolean,
  ctx: RuleContext,
): void {
  if (!context) return;
  checkId(context['runAsUser'], [...path, 'runAsUser'], 'user id', ctx);
  checkId(context['runAsGroup'], [...path, 'runAsGroup'], 'group id', ctx);
  checkSeccomp(record(context['seccompProfile']), [...path, 'seccompProfile'], ctx);
  checkAppArmor(record(context['appArmorProfile']), [...path, 'appArmorProfile'], ctx);
  if (context['allowPrivilegeEscalation'] === false) {
    if (context['privileged'] === true) {
      ctx.report(
        path,
        'Invalid value: cannot set allowPrivilegeEscalation to false and privileged to true.',
        {
          part: 'key',
        },
      );
    }
    const added = list(record(context['capabilities'])?.['add']);
    if (added.includes('CAP_SYS_ADMIN')) {
      ctx.report(
        path,
        'Invalid value: cannot set allowPrivilegeEscalation to false and add CAP_SYS_ADMIN.',
        {
          part: 'key',
        },
      );
    }
  }
  if (hostUsers && plain(context['procMount']) === 'Unmasked') {
    ctx.report(
      [...path, 'procMount'],
      'Invalid value "Unmasked": needs hostUsers: false in the pod spec.',
    );
  }
}

/** A pod's securityContext (spec.securityContext). */
export function checkPodSecurityContext(
  context: Record<string, unknown> | undefined,
  spec: Record<string, unknown>,
  path: FieldPath,
  ctx: RuleContext,
): void {
  if (!context) return;
  checkId(context['fsGroup'], [...path, 'fsGroup'], 'group id', ctx);
  checkId(context['runAsUser'], [...path, 'runAsUser'], 'user id', ctx);
  checkId(context['runAsGroup'], [...path, 'runAsGroup'], 'group id', ctx);
  list(context['supplementalGroups']).forEach((group, index) =>
    checkId(group, [...path, 'supplementalGroups', index], 'group id', ctx),
  );
  checkSeccomp(record(context['seccompProfile']), [...path, 'seccompProfile'], ctx);
  checkAppArmor(record(context['appArmorProfile']), [...path, 'appArmorProfile'], ctx);
  const changePolicy = plain(context['seLinuxChangePolicy']);
  // MountOption needs the SELinuxMount feature, off by default in 1.34.
  if (changePolicy !== undefined && changePolicy !== 'Recursive') {
    ctx.report(
      [...path, 'seLinuxChangePolicy'],
      `Unsupported value "${changePolicy}": use "Recursive".`,
    );
  }
  const seen = new Set<string>();
  list(context['sysctls']).forEach((entry, index) => {
    const name = plain(record(entry)?.['name']);
    if (name === undefined) return;
    const at: FieldPath = [...path, 'sysctls', index, 'name'];
    if (name === '') {
      ctx.report(at, 'name is required.', { code: 'missing-required' });
    } else if (name.length > 253 || !SYSCTL_NAME.test(name)) {
      ctx.report(
        at,
        `Invalid value "${name}": a sysctl name has lower case segments of letters, digits, '-' and '_', joined by '.' or '/', at most 253 characters.`,
      );
    } else if (seen.has(name)) {
      ctx.report(at, `Duplicate value "${name}".`, { code: 'duplicate-list-key' });
    } else if (spec['hostNetwork'] === true && /^net\./.test(name)) {
      ctx.report(at, `Invalid value "${name}": may not be set when hostNetwork is true.`);
    } else if (spec['hostIPC'] === true && /^(kernel\.(shm|msg|sem)|fs\.mqueue\.)/.test(name)) {
      ctx.report(at, `Invalid value "${name}": may not be set when hostIPC is true.`);
    }
    seen.add(name);
  });
}

const WINDOWS_POD_FORBIDDEN = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'fsGroup',
  'fsGroupChangePolicy',
  'sysctls',
  'runAsUser',
  'runAsGroup',
  'supplementalGroups',
  'supplementalGroupsPolicy',
  'seLinuxChangePolicy',
];
const WINDOWS_CONTAINER_FORBIDDEN = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'capabilities',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'procMount',
  'runAsUser',
  'runAsGroup',
];

/**
 * What spec.os allows (Linux-only settings on a Windows pod, Windows options on a Linux pod)
 * and what a pod in its own user namespace (hostUsers: false) may not share with the host.
 */
export function checkOperatingSystem(
  spec: Record<string, unknown>,
  path: FieldPath,
  ctx: RuleContext,
): void {
  const podContext = record(spec['securityContext']);
  const set = (object: Record<string, unknown> | undefined, key: string): boolean =>
    object?.[key] !== undefined &&
    object[key] !== null &&
    !(Array.isArray(object[key]) && (object[key] as unknown[]).length === 0);
  if (spec['hostUsers'] === false) {
    for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (spec[key] === true) {
        ctx.report([...path, key], 'Forbidden: may not be set when hostUsers is false.');
      }
    }
  }
  const os = plain(record(spec['os'])?.['name']);
  if (os !== 'windows' && os !== 'linux') return;
  const containers = ['initContainers', 'containers'].flatMap((group) =>
    list(spec[group]).map((entry, index): [Record<string, unknown> | undefined, FieldPath] => [
      record(record(entry)?.['securityContext']),
      [...path, group, index, 'securityContext'],
    ]),
  );
  if (os === 'linux') {
    if (set(podContext, 'windowsOptions')) {
      ctx.report(
        [...path, 'securityContext', 'windowsOptions'],
        'Forbidden: windows options cannot be set for a linux pod.',
        { part: 'key' },
      );
    }
    for (const [context, at] of containers) {
      if (set(context, 'windowsOptions')) {
        ctx.report(
          [...at, 'windowsOptions'],
          'Forbidden: windows options cannot be set for a linux pod.',
          { part: 'key' },
        );
      }
    }
    return;
  }
  for (const key of WINDOWS_POD_FORBIDDEN) {
    if (set(podContext, key)) {
      ctx.report([...path, 'securityContext', key], 'Forbidden: cannot be set for a windows pod.', {
        part: 'key',
      });
    }
  }
  for (const key of ['hostUsers', 'hostPID', 'hostIPC', 'shareProcessNamespace']) {
    if (
      key === 'hostUsers' || key === 'shareProcessNamespace' ? set(spec, key) : spec[key] === true
    ) {
      ctx.report([...path, key], 'Forbidden: cannot be set for a windows pod.', { part: 'key' });
    }
  }
  for (const [context, at] of containers) {
    for (const key of WINDOWS_CONTAINER_FORBIDDEN) {
      if (set(context, key))
        ctx.report([...at, key], 'Forbidden: cannot be set for a windows pod.', { part: 'key' });
    }
  }
}
