import { quantityOfJsonValue } from '../parse/quantity';
import type { FieldPath } from '../parse/locate';
import { dns1123Label } from './names';
import { checkFieldRef, checkResourceFieldRef } from './envRules';
import { int, list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

/** Every volume source of core/v1, in the order the API server looks at them. */
const SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
];

const VOLUME_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.labels',
  'metadata.annotations',
  'metadata.uid',
];

const MODE_HINT = 'must be a file mode between 0 and 0777 (octal; 511 in decimal)';

/**
 * A pod's volumes: unique DNS-label names and exactly one source each, checked as the API
 * server does. Returns the names of the valid volumes, which volume mounts may name.
 */
export function checkVolumes(volumes: unknown, path: FieldPath, ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  list(volumes).forEach((entry, index) => {
    const volume = record(entry);
    if (!volume) return;
    const at: FieldPath = [...path, index];
    const name = plain(volume['name']);
    if (name !== undefined && name !== '') {
      const problem = dns1123Label(name);
      if (problem) {
        ctx.report([...at, 'name'], `Invalid value "${name}": a volume name must ${problem}.`);
      } else if (names.has(name)) {
        ctx.report([...at, 'name'], `Duplicate value "${name}": another volume has this name.`, {
          code: 'duplicate-list-key',
        });
      }
    }
    const present = SOURCES.filter((key) => volume[key] !== undefined && volume[key] !== null);
    // A volume without a source is an emptyDir: the API server fills that in.
    for (const extra of present.slice(1)) {
      ctx.report(
        [...at, extra],
        `Forbidden: may not specify more than 1 volume type: this volume already has ${present[0]}.`,
        {
          part: 'key',
        },
      );
    }
    const first = present[0];
    if (first) checkSource(first, record(volume[first]) ?? {}, [...at, first], ctx);
    if (name !== undefined && name !== '') names.add(name);
  });
  return names;
}

function checkSource(
  kind: string,
  source: Record<string, unknown>,
  at: FieldPath,
  ctx: RuleContext,
): void {
  const required = (field: string): void => {
    const value = source[field];
    if (value === undefined || value === null || value === '') {
      ctx.report(at, `${field} is required for a ${kind} volume.`, {
        code: 'missing-required',
        part: 'key',
      });
    }
  };
  checkMode(source['defaultMode'], [...at, 'defaultMode'], ctx);
  switch (kind) {
    case 'emptyDir': {
      const size = quantityOfJsonValue(source['sizeLimit']);
      if (size?.negative) {
        ctx.report(
          [...at, 'sizeLimit'],
          'Forbidden: SizeLimit field must be a valid resource quantity: a size is not negative.',
        );
      }
      return;
    }
    case 'hostPath':
      required('path');
      checkNoBacksteps(plain(source['path']), [...at, 'path'], ctx);
      return;
    case 'secret':
      required('secretName');
      checkItems(source['items'], [...at, 'items'], ctx, undefined);
      return;
    case 'configMap':
      required('name');
      checkItems(source['items'], [...at, 'items'], ctx, undefined);
      return;
    case 'persistentVolumeClaim':
      required('claimName');
      return;
    case 'nfs': {
      required('server');
      required('path');
      const nfsPath = plain(source['path']);
      if (nfsPath && !nfsPath.startsWith('/')) {
        ctx.report([...at, 'path'], `Invalid value "${nfsPath}": must be an absolute path.`);
      }
      return;
    }
    case 'downwardAPI':
      list(source['items']).forEach((item, index) =>
        checkDownwardFile(record(item) ?? {}, [...at, 'items', index], ctx, undefined),
      );
      return;
    case 'projected':
      checkProjection(source, at, ctx);
      return;
    default:
      return;
  }
}

function checkProjection(source: Record<string, unknown>, at: FieldPath, ctx: RuleContext): void {
  const paths = new Set<string>();
  list(source['sources']).forEach((entry, index) => {
    const projection = record(entry) ?? {};
    const sourceAt: FieldPath = [...at, 'sources', index];
    const kinds = [
      'secret',
      'configMap',
      'downwardAPI',
      'serviceAccountToken',
      'clusterTrustBundle',
    ].filter((key) => projection[key] !== undefined && projection[key] !== null);
    if (kinds.length > 1) {
      ctx.report(
        sourceAt,
        `Forbidden: may not specify more than 1 volume type per source (${kinds.join(', ')}).`,
        {
          part: 'key',
        },
      );
    }
    for (const key of ['secret', 'configMap']) {
      const part = record(projection[key]);
      if (!part) continue;
      if (!plain(part['name'])) {
        ctx.report([...sourceAt, key], 'name is required.', {
          code: 'missing-required',
          part: 'key',
        });
      }
      checkItems(part['items'], [...sourceAt, key, 'items'], ctx, paths);
    }
    const downward = record(projection['downwardAPI']);
    list(downward?.['items']).forEach((item, itemIndex) =>
      checkDownwardFile(
        record(item) ?? {},
        [...sourceAt, 'downwardAPI', 'items', itemIndex],
        ctx,
        paths,
      ),
    );
    const token = record(projection['serviceAccountToken']);
    if (token) {
      const tokenAt: FieldPath = [...sourceAt, 'serviceAccountToken'];
      const seconds = int(token['expirationSeconds']);
      if (seconds !== undefined && seconds < 600) {
        ctx.report(
          [...tokenAt, 'expirationSeconds'],
          `Invalid value: ${seconds}: may not be less than 600 (10 minutes).`,
        );
      } else if (seconds !== undefined && seconds > 2 ** 32) {
        ctx.report(
          [...tokenAt, 'expirationSeconds'],
          `Invalid value: ${seconds}: may not be more than 2^32 seconds.`,
        );
      }
      const tokenPath = plain(token['path']);
      if (tokenPath === undefined || tokenPath === '') {
        ctx.report(tokenAt, 'path is required: name the file the token is written to.', {
          code: 'missing-required',
          part: 'key',
        });
      } else {
        checkLocalPath(tokenPath, [...tokenAt, 'path'], ctx);
      }
    }
  });
}

function checkItems(
  items: unknown,
  at: FieldPath,
  ctx: RuleContext,
  paths: Set<string> | undefined,
): void {
  list(items).forEach((entry, index) => {
    const item = record(entry) ?? {};
    const itemAt: FieldPath = [...at, index];
    const key = plain(item['key']);
    if (key === '') {
      ctx.report([...itemAt, 'key'], 'key is required: name the key to project.', {
        code: 'missing-required',
      });
    }
    checkFilePath(item, itemAt, ctx, paths);
    checkMode(item['mode'], [...itemAt, 'mode'], ctx);
  });
}

function checkDownwardFile(
  file: Record<string, unknown>,
  at: FieldPath,
  ctx: RuleContext,
  paths: Set<string> | undefined,
): void {
  checkFilePath(file, at, ctx, paths);
  checkMode(file['mode'], [...at, 'mode'], ctx);
  const fieldRef = record(file['fieldRef']);
  const resourceRef = record(file['resourceFieldRef']);
  if (fieldRef && resourceRef) {
    ctx.report(at, 'fieldRef and resourceFieldRef may not both be set: keep one.', { part: 'key' });
  } else if (fieldRef) {
    checkFieldRef(fieldRef, [...at, 'fieldRef'], VOLUME_FIELD_PATHS, ctx);
  } else if (resourceRef) {
    checkResourceFieldRef(resourceRef, [...at, 'resourceFieldRef'], true, ctx);
  } else {
    ctx.report(at, 'one of fieldRef and resourceFieldRef is required.', {
      code: 'missing-required',
      part: 'key',
    });
  }
}

function checkFilePath(
  item: Record<string, unknown>,
  at: FieldPath,
  ctx: RuleContext,
  paths: Set<string> | undefined,
): void {
  const filePath = plain(item['path']);
  if (filePath === undefined) return;
  if (filePath === '') {
    ctx.report([...at, 'path'], 'path is required: name the file, relative to the mount.', {
      code: 'missing-required',
    });
    return;
  }
  checkLocalPath(filePath, [...at, 'path'], ctx);
  // Only the sources of a projected volume share one set of paths.
  if (paths?.has(filePath)) {
    ctx.report(
      [...at, 'path'],
      `Invalid value "${filePath}": conflicting duplicate paths in the projected volume.`,
    );
  }
  paths?.add(filePath);
}

/** A path inside a volume: relative, without "..", not starting with "..". */
export function checkLocalPath(value: string, at: FieldPath, ctx: RuleContext): void {
  if (value.startsWith('/')) {
    ctx.report(at, `Invalid value "${value}": must be a relative path.`);
  } else if (value.startsWith('..') && !value.startsWith('../')) {
    ctx.report(at, `Invalid value "${value}": must not start with '..'.`);
  } else {
    checkNoBacksteps(value, at, ctx);
  }
}

export function checkNoBacksteps(value: string | undefined, at: FieldPath, ctx: RuleContext): void {
  if (value !== undefined && value.split(/[/\\]/).includes('..')) {
    ctx.report(at, `Invalid value "${value}": must not contain '..'.`);
  }
}

function checkMode(value: unknown, at: FieldPath, ctx: RuleContext): void {
  const mode = int(value);
  if (mode !== undefined && (mode < 0 || mode > 0o777)) {
    ctx.report(at, `Invalid value: ${mode}: ${MODE_HINT}.`);
  }
}
