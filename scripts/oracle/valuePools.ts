import type { Schema } from '../../server/src/engine/schemas/schema';

/*
 * The values the generator tries in a field, by the field's type and name: boundaries of
 * numbers, malformed names, labels, quantities, durations, cron strings, base64, paths, hosts and
 * addresses, and neighbouring enum values. Each pool mixes values the API server accepts with
 * values it rejects: the oracle must agree on both.
 */

const LONG_LABEL = 'a'.repeat(64);
const LONG_SUBDOMAIN = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`;

export const INTEGERS: readonly unknown[] = [
  0,
  -1,
  1,
  65535,
  65536,
  2 ** 31 - 1,
  2 ** 31,
  1.5,
  '1',
];

export const INT_OR_STRING: readonly unknown[] = [
  0,
  -1,
  65536,
  '0%',
  '50%',
  '101%',
  '-1%',
  '1.5%',
  'http',
  'Bad_Port',
  '8080',
  1.5,
];

export const QUANTITIES: readonly unknown[] = [
  '0',
  '-1',
  '1.5.3',
  'abc',
  '100Mi',
  '1e3',
  '0.5',
  '1Ki',
  '10m',
  '1000Pi',
  '1.5Gi',
  '+1',
  1.5,
];

export const BASE64: readonly unknown[] = ['not base64!', 'YWJj', 'YWJ', 'YQ', 'YQ==', '', 'Y Q=='];

export const NAMES: readonly unknown[] = [
  'ok-name',
  'Bad_Name',
  'UPPER',
  'dots.in.name',
  '-leading-dash',
  'trailing-dash-',
  LONG_LABEL,
  LONG_SUBDOMAIN,
  '',
  'a/b',
  '1starts-with-digit',
];

export const LABEL_KEYS: readonly string[] = [
  'example.com/ok',
  'Bad Key',
  '-lead',
  'example.com/',
  '/name',
  'a/b/c',
  LONG_LABEL,
  'UPPER.example.com/x',
  'kubernetes.io/custom',
];

export const LABEL_VALUES: readonly unknown[] = [
  '',
  'ok.value_1',
  'bad value',
  LONG_LABEL,
  '-lead',
  'trail-',
  12,
  true,
];

export const CRON: readonly unknown[] = [
  '*/5 * * * *',
  '0 0 * * MON-FRI',
  '@hourly',
  '@every 1h',
  '@reboot',
  '61 * * * *',
  '* 24 * * *',
  '0 0 0 * *',
  '0 0 * 13 *',
  '0 0 * * 8',
  '* * *',
  '* * * * * *',
  'TZ=UTC 0 * * * *',
  'CRON_TZ=UTC 0 * * * *',
  'not a cron',
  '',
  '0 0 30 2 *',
  '5-1 * * * *',
  '*/0 * * * *',
];

export const TIME_ZONES: readonly unknown[] = [
  'UTC',
  'America/New_York',
  'Etc/GMT+5',
  'Mars/Phobos',
  'utc',
  '',
  '+02:00',
  'Local',
  ' Europe/Paris',
];

export const DURATIONS: readonly unknown[] = [
  '0s',
  '1h30m',
  '500ms',
  '5x',
  '-1m',
  '1.5h',
  '',
  '10',
  '1d',
  '1h 30m',
];

const HOSTS: readonly unknown[] = [
  '',
  'Example.com',
  '*.example.com',
  'a.*.example.com',
  '1.2.3.4',
  'a..b',
  'under_score.example.com',
  'example.com.',
  LONG_SUBDOMAIN + 'x',
  'localhost',
];

const ADDRESSES: readonly unknown[] = [
  '10.0.0.0/33',
  '10.0.0.1/8',
  '300.1.1.1',
  '10.0.0.5',
  '::1',
  '2001:db8::/129',
  '010.0.0.1',
  '',
  'None',
];

const PATHS: readonly unknown[] = ['', 'relative/path', '/ok', '/a/../b', '../escape', '/a b', '/'];

const KEYS: readonly unknown[] = ['../x', 'bad key', '.', '..', 'a/b', '', 'ok.key', '-x_1'];

const URLS: readonly unknown[] = [
  '',
  'ftp://example.com/x',
  'not a url',
  'http://example.com',
  'oci://ghcr.io/acme/x',
  'ssh://git@example.com/acme/x.git',
];

const IMAGES: readonly unknown[] = ['', ' ', 'nginx', 'nginx ', 'Nginx:Latest', 'nginx@sha256:bad'];

const GENERIC: readonly unknown[] = ['', ' ', 'x'.repeat(300), 'Ünïcödé', 'ok'];

/** Keys whose values name an object or a piece of one (DNS-style names). */
function isNameKey(key: string): boolean {
  return (
    key === 'name' ||
    /(Name|ClassName)$/.test(key) ||
    key === 'hostname' ||
    key === 'subdomain' ||
    key === 'serviceName'
  );
}

/** String values to try in a field named `key` whose (resolved) schema is `schema`. */
export function stringPool(key: string, schema: Schema): readonly unknown[] {
  if (schema.enum && schema.enum.length > 0) {
    return enumNeighbours(schema.enum);
  }
  if (schema.format === 'byte') return BASE64;
  if (schema.format === 'date-time') return ['2024-01-01T00:00:00Z', '2024-13-01', 'yesterday'];
  const lower = key.toLowerCase();
  if (lower === 'schedule') return CRON;
  if (lower === 'timezone') return TIME_ZONES;
  if (/(interval|timeout|duration)$/.test(lower) || lower === 'ttl') return DURATIONS;
  if (lower === 'image') return IMAGES;
  if (lower.endsWith('url')) return URLS;
  if (/^(host|hosts|externalname|hostnames|servername)$/.test(lower)) return HOSTS;
  if (/(cidr|^ips?$|clusterips?$|^except$|nameservers|sourceranges|loadbalancerip)/.test(lower)) {
    return ADDRESSES;
  }
  if (/path$/.test(lower) && lower !== 'fieldpath') return PATHS;
  if (lower === 'fieldpath') return ['metadata.nope', 'spec.nodeName', 'status.podIP', ''];
  if (lower === 'key' || lower === 'valueskey') return KEYS;
  if (lower === 'topologykey') return ['', 'Bad Key', 'example.com/zone', 'a/b/c'];
  if (lower === 'resource') return ['limits.nope', 'requests.memory', 'cpu', 'Bad'];
  if (lower === 'verbs') return ['', '*', 'GET', 'get', 'escalate'];
  if (lower === 'apigroups') return ['', '*', 'apps', 'Bad Group', 'apps/v1'];
  if (lower === 'resources' || lower === 'nonresourceurls') return ['', '*', 'pods/log', 'a b'];
  if (lower === 'apiversion') return ['v1', 'apps/v1', 'Bad', '', 'a/b/c'];
  if (lower === 'kind') return ['Deployment', 'deployment', '', 'Bad Kind'];
  if (lower === 'protocol') return ['TCP', 'tcp', 'HTTP', ''];
  if (lower === 'mediatype') return ['', 'a/b', 'no-slash'];
  if (isNameKey(key)) return NAMES;
  return GENERIC;
}

/** The other values of an enum, the value in another case, and an unlisted one. */
export function enumNeighbours(values: readonly unknown[]): readonly unknown[] {
  const out: unknown[] = [...values];
  const first = values.find((value): value is string => typeof value === 'string');
  if (first !== undefined) {
    out.push(first.toLowerCase() === first ? first.toUpperCase() : first.toLowerCase());
    out.push(`${first}x`);
  }
  return out;
}

/** Numbers to try in an integer field: the usual boundaries and the schema's own. */
export function integerPool(schema: Schema): readonly unknown[] {
  const out: unknown[] = [...INTEGERS];
  if (schema.minimum !== undefined) out.push(schema.minimum - 1, schema.minimum);
  if (schema.maximum !== undefined) out.push(schema.maximum, schema.maximum + 1);
  return out;
}

/** Strings the schema itself bounds: one past its length limits. */
export function lengthPool(schema: Schema): readonly unknown[] {
  const out: unknown[] = [];
  if (schema.maxLength !== undefined && schema.maxLength < 1000) {
    out.push('a'.repeat(schema.maxLength + 1));
  }
  if (schema.minLength !== undefined && schema.minLength > 0) {
    out.push('a'.repeat(schema.minLength - 1));
  }
  return out;
}
