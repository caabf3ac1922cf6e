import { configMapKey, qualifiedName } from './names';
import { list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';
import { base64Length } from './base64';

const MAX_DATA_BYTES = 1024 * 1024;
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);
const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'];

function checkKeys(
  object: Record<string, unknown>,
  fields: readonly string[],
  kind: string,
  ctx: RuleContext,
): void {
  for (const field of fields) {
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

/** A ConfigMap: keys, no key in both data and binaryData, at most 1 MiB. */
export function checkConfigMap(object: Record<string, unknown>, ctx: RuleContext): void {
  checkKeys(object, ['data', 'binaryData'], 'ConfigMap', ctx);
  const data = record(object['data']) ?? {};
  const binary = record(object['binaryData']) ?? {};
  let bytes = 0;
  for (const [key, value] of Object.entries(data)) {
    if (key in binary) {
      ctx.report(
        ['data', key],
        `Invalid key "${key}": it is in binaryData too: keep it in one of them.`,
        { part: 'key' },
      );
    }
    if (typeof value === 'string') bytes += Buffer.byteLength(value);
  }
  for (const value of Object.values(binary)) {
    bytes += typeof value === 'string' ? (base64Length(value) ?? 0) : 0;
  }
  if (bytes > MAX_DATA_BYTES) {
    ctx.report(
      ['data'],
      `Too long: the data takes ${bytes} bytes, more than the 1048576 (1 MiB) a ConfigMap may hold.`,
      {
        part: 'key',
      },
    );
  }
}

/**
 * A Secret: keys, size, and the keys its type requires. Messages never quote a Secret's
 * values.
 */
export function checkSecret(object: Record<string, unknown>, ctx: RuleContext): void {
  checkKeys(object, ['data', 'stringData'], 'Secret', ctx);
  const data = record(object['data']) ?? {};
  const stringData = record(object['stringData']) ?? {};
  // stringData is merged into data (and wins) before the API server validates.
  const decoded = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(data)) {
    decoded.set(key, typeof value === 'string' ? decodeBase64(value) : undefined);
  }
  for (const [key, value] of Object.entries(stringData)) {
    decoded.set(key, typeof value === 'string' ? value : undefined);
  }
  let bytes = 0;
  for (const value of decoded.values())
    bytes += value === undefined ? 0 : Buffer.byteLength(value, 'latin1');
  if (bytes > MAX_DATA_BYTES) {
    ctx.report(
      ['data'],
      `Too long: the data takes ${bytes} bytes, more than the 1048576 (1 MiB) a Secret may hold.`,
      {
        part: 'key',
      },
    );
  }
  const type = plain(object['type']) ?? 'Opaque';
  const has = (key: string): boolean => decoded.has(key);
  const requireKeys = (...keys: string[]): void => {
    for (const key of keys.filter((candidate) => !has(candidate))) {
      ctx.report(['data'], `data["${key}"] is required for a Secret of type ${type}.`, {
        code: 'missing-required',
        part: 'key',
      });
    }
  };
  switch (type) {
    case 'kubernetes.io/service-account-token':
      if (
        !plain(
          record(record(object['metadata'])?.['annotations'])?.[
            'kubernetes.io/service-account.name'
          ],
        )
      ) {
        ctx.report(
          ['metadata'],
          'the annotation kubernetes.io/service-account.name is required for a service account token Secret: name the ServiceAccount.',
          {
            code: 'missing-required',
            part: 'key',
          },
        );
      }
      return;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) {
        requireKeys(key);
      } else if (!isJsonObject(decoded.get(key))) {
        const field = key in stringData ? 'stringData' : 'data';
        ctx.report(
          [field, key],
          `Invalid value: ${key} must hold a JSON object (a Docker config file).`,
        );
      }
      return;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) requireKeys('username', 'password');
      return;
    case 'kubernetes.io/ssh-auth':
      if (!decoded.get('ssh-privatekey')) requireKeys('ssh-privatekey');
      return;
    case 'kubernetes.io/tls':
      requireKeys('tls.crt', 'tls.key');
      return;
    default:
      return;
  }
}

function decodeBase64(value: string): string | undefined {
  return base64Length(value) === undefined
    ? undefined
    : Buffer.from(value.replace(/[\r\n]/g, ''), 'base64').toString('latin1');
}

function isJsonObject(text: string | undefined): boolean {
  if (text === undefined) return true; // not base64: reported on its own
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'latin1').toString('utf8'));
    return parsed === null || (typeof parsed === 'object' && !Array.isArray(parsed));
  } catch {
    return false;
  }
}

/** A Namespace: its spec.finalizers and the Pod Security labels. */
export function checkNamespace(object: Record<string, unknown>, ctx: RuleContext): void {
  list(record(object['spec'])?.['finalizers']).forEach((entry, index) => {
    const finalizer = plain(entry);
    if (finalizer === undefined) return;
    const problem =
      qualifiedName(finalizer) ??
      (!finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)
        ? 'be fully qualified, with a domain prefix such as example.com/cleanup'
        : undefined);
    if (problem)
      ctx.report(
        ['spec', 'finalizers', index],
        `Invalid finalizer "${finalizer}": it must ${problem}.`,
      );
  });
  const labels = record(record(object['metadata'])?.['labels']) ?? {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    const level = labels[`pod-security.kubernetes.io/${mode}`];
    if (
      typeof level === 'string' &&
      plain(level) !== undefined &&
      !POD_SECURITY_LEVELS.includes(level)
    ) {
      ctx.report(
        ['metadata', 'labels', `pod-security.kubernetes.io/${mode}`],
        `Invalid value "${level}": must be one of ${POD_SECURITY_LEVELS.join(', ')}.`,
      );
    }
    const version = labels[`pod-security.kubernetes.io/${mode}-version`];
    if (
      typeof version === 'string' &&
      plain(version) !== undefined &&
      !/^(latest|v1\.(0|[1-9]\d*))$/.test(version)
    ) {
      ctx.report(
        ['metadata', 'labels', `pod-security.kubernetes.io/${mode}-version`],
        `Invalid value "${version}": must be "latest" or a Kubernetes minor version such as "v1.34".`,
      );
    }
  }
}
