import type { FieldPath } from '../parse/locate';
import { quantityOfJsonValue, quantityText } from '../parse/quantity';
import { configMapKey, dns1123Subdomain, qualifiedName } from './names';
import { list, plain, record } from './ruleContext';
import type { RuleContext } from './ruleContext';

/** Pod fields the downward API can put in an environment variable. */
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
/** Every field the v1 downward API knows, whatever it is used for. */
const KNOWN_FIELD_PATHS = new Set([
  ...ENV_FIELD_PATHS,
  'metadata.labels',
  'metadata.annotations',
  'spec.restartPolicy',
  'spec.schedulerName',
  'status.phase',
]);
const RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
];
const CPU_DIVISORS = new Set(['1m', '1']);
const BYTE_DIVISORS = new Set([
  '1',
  '1k',
  '1M',
  '1G',
  '1T',
  '1P',
  '1E',
  '1Ki',
  '1Mi',
  '1Gi',
  '1Ti',
  '1Pi',
  '1Ei',
]);

/** An environment variable name: printable ASCII other than "=" (relaxed validation). */
export function envVarNameProblem(name: string): string | undefined {
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(name)
    ? undefined
    : "consist only of printable ASCII characters other than '='";
}

/** A container's env and envFrom. */
export function checkEnv(
  container: Record<string, unknown>,
  path: FieldPath,
  ctx: RuleContext,
): void {
  list(container['env']).forEach((entry, index) => {
    const variable = record(entry);
    if (!variable) return;
    const at: FieldPath = [...path, 'env', index];
    const name = plain(variable['name']);
    const problem =
      name === undefined ? undefined : name === '' ? 'not be empty' : envVarNameProblem(name);
    if (problem) {
      ctx.report(
        [...at, 'name'],
        `Invalid value "${name}": an environment variable name must ${problem}.`,
      );
    }
    const from = record(variable['valueFrom']);
    if (from) checkValueFrom(from, plain(variable['value']) ?? '', [...at, 'valueFrom'], ctx);
  });
  list(container['envFrom']).forEach((entry, index) => {
    const source = record(entry);
    if (!source) return;
    const at: FieldPath = [...path, 'envFrom', index];
    const prefix = plain(source['prefix']);
    const problem = prefix === undefined || prefix === '' ? undefined : envVarNameProblem(prefix);
    if (problem) {
      ctx.report([...at, 'prefix'], `Invalid value "${prefix}": a prefix must ${problem}.`);
    }
    const refs = ['configMapRef', 'secretRef'].filter((key) => record(source[key]));
    if (refs.length === 0) {
      ctx.report(at, 'must specify one of configMapRef or secretRef.', {
        code: 'missing-required',
        part: 'key',
      });
    } else if (refs.length > 1) {
      ctx.report(
        [...at, 'secretRef'],
        'may not be set beside configMapRef: use one source per entry.',
        {
          part: 'key',
        },
      );
    }
    for (const key of refs) {
      const rawName = record(source[key])?.['name'];
      if (rawName === undefined || rawName === null) {
        ctx.report([...at, key], 'name is required: name the ConfigMap or Secret to read.', {
          code: 'missing-required',
          part: 'key',
        });
        continue;
      }
      const refName = plain(rawName);
      if (refName === undefined) continue;
      const nameProblem =
        refName === '' ? 'not be empty' : dns1123Subdomain(refName.replace(/-$/, '') || 'a');
      if (nameProblem) {
        ctx.report(
          [...at, key, 'name'],
          `Invalid value "${refName}": the name must ${nameProblem}.`,
        );
      }
    }
  });
}

function checkValueFrom(
  from: Record<string, unknown>,
  value: string,
  at: FieldPath,
  ctx: RuleContext,
): void {
  const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter(
    (key) => record(from[key]),
  );
  const fieldRef = record(from['fieldRef']);
  if (fieldRef) checkFieldRef(fieldRef, [...at, 'fieldRef'], ENV_FIELD_PATHS, ctx);
  const resourceRef = record(from['resourceFieldRef']);
  if (resourceRef) checkResourceFieldRef(resourceRef, [...at, 'resourceFieldRef'], false, ctx);
  for (const key of ['configMapKeyRef', 'secretKeyRef']) {
    const selector = record(from[key]);
    if (selector) checkKeySelector(selector, [...at, key], ctx);
  }
  if (sources.length === 0) {
    ctx.report(
      at,
      'must specify one of fieldRef, resourceFieldRef, configMapKeyRef or secretKeyRef.',
      {
        part: 'key',
      },
    );
  } else if (value !== '') {
    ctx.report(at, 'may not be set when value is not empty: keep value or valueFrom.', {
      part: 'key',
    });
  } else if (sources.length > 1) {
    ctx.report(at, `may not have more than one source (${sources.join(', ')}): keep one.`, {
      part: 'key',
    });
  }
}

function checkKeySelector(
  selector: Record<string, unknown>,
  at: FieldPath,
  ctx: RuleContext,
): void {
  const name = selector['name'] === undefined ? '' : plain(selector['name']);
  const nameProblem =
    name === undefined ? undefined : name === '' ? 'not be empty' : dns1123Subdomain(name);
  if (nameProblem) {
    ctx.report([...at, 'name'], `Invalid value "${name ?? ''}": the name must ${nameProblem}.`);
  }
  const key = plain(selector['key']);
  if (key === '') {
    ctx.report([...at, 'key'], 'key is required: name the key to read.', {
      code: 'missing-required',
    });
  } else if (key !== undefined) {
    const problem = configMapKey(key);
    if (problem) ctx.report([...at, 'key'], `Invalid value "${key}": a key must ${problem}.`);
  }
}

/** A downward API `fieldRef`, with the field paths the consumer (env or volume) may use. */
export function checkFieldRef(
  ref: Record<string, unknown>,
  at: FieldPath,
  allowed: readonly string[],
  ctx: RuleContext,
): void {
  const apiVersion = plain(ref['apiVersion']) || 'v1';
  const fieldPath = plain(ref['fieldPath']);
  if (fieldPath === undefined) return;
  if (fieldPath === '') {
    ctx.report([...at, 'fieldPath'], 'fieldPath is required: name a field of the pod.', {
      code: 'missing-required',
    });
    return;
  }
  if (apiVersion !== 'v1') {
    ctx.report(
      [...at, 'apiVersion'],
      `Invalid value "${apiVersion}": the downward API reads v1 pods: use "v1".`,
    );
    return;
  }
  const subscript = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath);
  if (subscript) {
    const key = subscript[2] ?? '';
    const problem = qualifiedName(
      subscript[1] === 'metadata.annotations' ? key.toLowerCase() : key,
    );
    if (problem)
      ctx.report([...at, 'fieldPath'], `Invalid value "${fieldPath}": the key must ${problem}.`);
    return;
  }
  if (!KNOWN_FIELD_PATHS.has(fieldPath) || !allowed.includes(fieldPath)) {
    ctx.report(
      [...at, 'fieldPath'],
      `Unsupported value "${fieldPath}": use one of ${allowed.map((p) => `"${p}"`).join(', ')}.`,
    );
  }
}

/** A downward API `resourceFieldRef`; in a volume it must name its container. */
export function checkResourceFieldRef(
  ref: Record<string, unknown>,
  at: FieldPath,
  inVolume: boolean,
  ctx: RuleContext,
): void {
  const resource = plain(ref['resource']);
  if (inVolume && !plain(ref['containerName'])) {
    ctx.report(
      at,
      'containerName is required in a volume: name the container whose resources to read.',
      {
        code: 'missing-required',
        part: 'key',
      },
    );
  } else if (resource === '') {
    ctx.report([...at, 'resource'], 'resource is required.', { code: 'missing-required' });
  } else if (
    resource !== undefined &&
    !RESOURCE_FIELDS.includes(resource) &&
    !/^(requests|limits)\.hugepages-/.test(resource)
  ) {
    ctx.report(
      [...at, 'resource'],
      `Unsupported value "${resource}": use one of ${RESOURCE_FIELDS.map((r) => `"${r}"`).join(', ')}.`,
    );
  }
  const divisor = quantityOfJsonValue(ref['divisor']);
  if (resource === undefined || divisor === undefined || divisor.coefficient === 0n) return;
  const allowed = resource.endsWith('.cpu')
    ? CPU_DIVISORS
    : RESOURCE_FIELDS.includes(resource) || resource.includes('hugepages-')
      ? BYTE_DIVISORS
      : undefined;
  // The API server compares the divisor's text (Quantity.String()), not its value.
  const written = quantityText(ref['divisor']);
  if (allowed && (written === undefined || !allowed.has(written))) {
    ctx.report(
      [...at, 'divisor'],
      `Invalid value "${String(ref['divisor'])}": ${resource} supports the divisors ${[...allowed].join(', ')}.`,
    );
  }
}
