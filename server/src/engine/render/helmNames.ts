/**
 * The names and addresses a repo hands to helm, checked as helm and Kubernetes check them, before
 * any process runs: release name (helm's `chartutil.ValidateReleaseName`), namespace (a DNS-1123
 * label), remote chart name, version and repository URL. Pure functions.
 */
import { createHash } from 'node:crypto';

/** helm's `maxReleaseNameLen`: Kubernetes names are at most 63, 10 are kept for suffixes. */
export const MAX_RELEASE_NAME = 53;
const MAX_NAMESPACE = 63;
const MAX_CHART_NAME = 250;
const MAX_VERSION = 128;

/** helm's `validName` (pkg/chartutil/validate_name.go), a whole-string match. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A chart as a repository index or registry names it: never a path, never a flag. */
const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** An exact version, a tag, or a semver range (`>=1.2.0 <2`, `~1.2`, `1.x`, `*`, `^1 || ^2`). */
const VERSION = /^[A-Za-z0-9*^~<>=!.][A-Za-z0-9*^~<>=!.+_| ,-]*$/;

// eslint-disable-next-line no-control-regex
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

/** True when helm accepts `name` as a release name (at most 53 characters, lowercase DNS subdomain). */
export function isValidReleaseName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_RELEASE_NAME && RELEASE_NAME.test(name);
}

/** True for a Kubernetes namespace name: a DNS-1123 label of at most 63 characters. */
export function isValidNamespace(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAMESPACE && DNS_LABEL.test(name);
}

/**
 * True for the name of a chart in a repository; in an OCI registry a chart may sit under a
 * path (`team/app`), each segment a name.
 */
export function isValidChartName(name: string, oci: boolean): boolean {
  if (name.length === 0 || name.length > MAX_CHART_NAME) return false;
  const segments = oci ? name.split('/') : [name];
  return segments.every((segment) => CHART_NAME.test(segment));
}

/** True for a chart version, tag or semver range helm can be given as `--version`. */
export function isValidChartVersion(version: string): boolean {
  return version.length > 0 && version.length <= MAX_VERSION && VERSION.test(version);
}

/**
 * True for a chart repository or registry address helm may contact: `https://`, `http://` or
 * `oci://` with a host, and no space or control character.
 */
export function isAllowedChartUrl(address: string): boolean {
  if (SPACE_OR_CONTROL.test(address)) return false;
  let parsed: URL;
  try {
    parsed = new URL(address);
  } catch {
    return false;
  }
  return ['https:', 'http:', 'oci:'].includes(parsed.protocol) && parsed.hostname !== '';
}

/** True for a values file helm may download: `https://` or `http://` with a host. */
export function isAllowedValuesUrl(address: string): boolean {
  return isAllowedChartUrl(address) && /^https?:\/\//i.test(address);
}

/**
 * The release name helm-controller gives a HelmRelease: `spec.releaseName`, else
 * `[<targetNamespace>-]<metadata.name>`; a name over 53 bytes is cut to 40 and ends with `-` and
 * the first 12 hex digits of its SHA-256 (helm-controller's `release.ShortenName`).
 */
export function fluxReleaseName(
  name: string,
  targetNamespace: string | undefined,
  releaseName: string | undefined,
): string {
  const full = releaseName || (targetNamespace ? `${targetNamespace}-${name}` : name);
  const bytes = Buffer.from(full, 'utf8');
  if (bytes.length <= MAX_RELEASE_NAME) return full;
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  return `${bytes.subarray(0, MAX_RELEASE_NAME - 13).toString('utf8')}-${hash}`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '"': '\\"',
  '\\': '\\\\',
};
/** Control, line-breaking, bidirectional and invisible characters: shown as escapes. */
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /["\\\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * `value` for a message: control and invisible characters escaped (`\n`, `\u001b`), quotes and
 * backslashes too, and anything past `max` characters cut with an ellipsis.
 */
export function escaped(value: string, max = 80): string {
  const characters = Array.from(value);
  const shown = characters.length > max ? `${characters.slice(0, max).join('')}…` : value;
  return shown.replace(
    UNSAFE,
    (character) =>
      SHORT_ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `value` escaped as `escaped` does, in double quotes. */
export function quoted(value: string, max = 80): string {
  return `"${escaped(value, max)}"`;
}
