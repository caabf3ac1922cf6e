/**
 * When Red Hat's YAML extension would validate the same Kubernetes manifests as we do (so every
 * mistake is listed twice), and which workspace settings stop it. Free of editor APIs, so it is
 * tested in plain Node.
 *
 * How the YAML extension comes to validate manifests (yaml-language-server 1.24):
 * - `yaml.schemas` maps the keyword `kubernetes`, or a kubernetes-json-schema URL, to globs;
 * - Microsoft's Kubernetes extension (read from 1.3.25 to its default branch) registers a schema
 *   contributor (`registerContributor('kubernetes', ...)` in src/yaml-support/yaml-schema.ts) on
 *   every activation, answering for each visible manifest whose apiVersion and kind its schema knows.
 *   It has no setting to stop that (only a leading `# vscode-kubernetes-tools: exclude` comment
 *   opts one file out), and yaml-language-server asks contributors before `yaml.schemas`, so
 *   mapping the schema to no file changes nothing: only `yaml.validate: false` stops them.
 */

export const YAML_EXTENSION_ID = 'redhat.vscode-yaml';
export const KUBERNETES_EXTENSION_ID = 'ms-kubernetes-tools.vscode-kubernetes-tools';

/** yaml-language-server's test for a Kubernetes schema (`isKubernetes` in schemaUrls). */
const KUBERNETES_SCHEMA_URL =
  /^https:\/\/raw\.githubusercontent\.com\/yannh\/kubernetes-json-schema\/master\/v\d+\.\d+\.\d+-standalone-strict\/all\.json$/;

/** The YAML extension's settings and the Kubernetes extension, as the workspace sees them now. */
export interface YamlSettingsSnapshot {
  /** `yaml.schemas` merged over every scope (what the YAML extension reads). */
  readonly schemas: unknown;
  /** `yaml.schemas` as this workspace's own settings set it. */
  readonly workspaceSchemas: unknown;
  /** `yaml.validate` merged over every scope (the YAML extension's default is true). */
  readonly validate: unknown;
  /** Microsoft's Kubernetes extension is installed and enabled. */
  readonly kubernetesExtension: boolean;
}

/** Why the YAML extension would list our problems a second time. */
export interface DoubleValidation {
  /** Globs that `yaml.schemas` gives the Kubernetes schema (workspace-relative, as written). */
  readonly kubernetesGlobs: readonly string[];
  /** The Kubernetes extension hands the YAML extension its schema for every manifest. */
  readonly kubernetesExtension: boolean;
}

/** The warning that offers to stop the doubles, and its button. */
export interface DoubleValidationNotice {
  readonly message: string;
  readonly action: string;
}

/** The button when `yaml.schemas` gives the schema: the action maps it to no file. */
export const TURN_OFF_SCHEMA_ACTION = 'Turn Off Its Kubernetes Schema Here';
/** The button when the Kubernetes extension gives it: only turning validation off stops it. */
export const TURN_OFF_VALIDATION_ACTION = 'Turn Off YAML Validation Here';

/**
 * What to say, by who gives the YAML extension the Kubernetes schema: the Kubernetes extension
 * needs its own sentence, since the action then turns off all of the YAML extension's checks.
 */
export function noticeOf(found: DoubleValidation): DoubleValidationNotice {
  if (found.kubernetesExtension) {
    return {
      message:
        "Microsoft's Kubernetes extension gives Red Hat's YAML extension a Kubernetes schema for every manifest, so each problem would be listed twice: only turning off YAML validation in this workspace stops that.",
      action: TURN_OFF_VALIDATION_ACTION,
    };
  }
  return {
    message:
      "Red Hat's YAML extension also validates this workspace's Kubernetes manifests, so each problem would be listed twice.",
    action: TURN_OFF_SCHEMA_ACTION,
  };
}

/** One setting to write in the workspace, with a sentence saying what it was. */
export interface SettingChange {
  /** Section-less key under `yaml`: `schemas` or `validate`. */
  readonly key: 'schemas' | 'validate';
  readonly value: unknown;
  readonly description: string;
}

export function isKubernetesSchema(key: string): boolean {
  return key.trim().toLowerCase() === 'kubernetes' || KUBERNETES_SCHEMA_URL.test(key.trim());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function globsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  return list.filter((glob): glob is string => typeof glob === 'string' && glob.trim() !== '');
}

/** The Kubernetes schema keys of `yaml.schemas` with the globs each gives it. */
function kubernetesEntries(schemas: unknown): Array<[string, string[]]> {
  if (!isRecord(schemas)) return [];
  return Object.entries(schemas)
    .filter(([key]) => isKubernetesSchema(key))
    .map(([key, value]): [string, string[]] => [key, globsOf(value)])
    .filter(([, globs]) => globs.length > 0);
}

/**
 * What would make the YAML extension validate manifests as well; undefined when nothing would
 * (or `yaml.validate` is off). Whether the globs match files of this workspace is for the caller.
 */
export function doubleValidationOf(snapshot: YamlSettingsSnapshot): DoubleValidation | undefined {
  if (snapshot.validate === false) return undefined;
  const kubernetesGlobs = kubernetesEntries(snapshot.schemas).flatMap(([, globs]) => globs);
  if (kubernetesGlobs.length === 0 && !snapshot.kubernetesExtension) return undefined;
  return { kubernetesGlobs, kubernetesExtension: snapshot.kubernetesExtension };
}

/**
 * A glob of `yaml.schemas` as a workspace file search pattern. yaml-language-server matches a
 * pattern without a slash against the end of any path (`*.yaml` is every YAML file), and one with
 * a slash from the workspace folder.
 */
export function searchPattern(glob: string): string {
  const trimmed = glob.trim().replace(/\\/g, '/');
  if (!trimmed.includes('/')) return `**/${trimmed}`;
  return trimmed.replace(/^\.?\/+/, '');
}

function quoted(globs: readonly string[]): string {
  return globs.map((glob) => `"${glob}"`).join(', ');
}

/**
 * The workspace settings that stop the YAML extension listing manifest problems a second time:
 * every Kubernetes key of `yaml.schemas` mapped to no file (an empty list, which also overrides a
 * user-level association, since VS Code merges `yaml.schemas` over the scopes), the workspace's
 * other keys kept; and `yaml.validate: false` when the Kubernetes extension supplies the schema.
 */
export function settingsToStopDoubles(snapshot: YamlSettingsSnapshot): SettingChange[] {
  const changes: SettingChange[] = [];
  const entries = kubernetesEntries(snapshot.schemas);
  if (entries.length > 0) {
    const value: Record<string, unknown> = isRecord(snapshot.workspaceSchemas)
      ? { ...snapshot.workspaceSchemas }
      : {};
    for (const [key] of entries) value[key] = [];
    const was = entries.map(([key, globs]) => `"${key}" (was ${quoted(globs)})`).join(', ');
    changes.push({
      key: 'schemas',
      value,
      description: `yaml.schemas now maps ${was} to no file`,
    });
  }
  if (snapshot.kubernetesExtension && snapshot.validate !== false) {
    changes.push({
      key: 'validate',
      value: false,
      description:
        "yaml.validate is now false (the Kubernetes extension hands Red Hat's YAML extension a schema for every manifest, and no narrower setting stops that)",
    });
  }
  return changes;
}
