/**
 * The `gitopsWorkbench` settings section as the language server reads it: one typed object with
 * defaults, parsed from whatever the client sent (a hand-edited settings.json can hold anything).
 * Malformed entries are left out and said once, as a sentence naming the setting. Pure: no
 * connection, no editor; the cache that asks the client lives in settingsCache.ts.
 */
import type { ForgeHosts, IgnoreDifference } from './engine';
import type { RenderBinaries } from './engine/render';

/** A folder mapped to a kubeconfig context (the targets setting). */
export interface SettingsTarget {
  readonly path: string;
  readonly context: string;
  readonly namespace?: string;
}

export interface Settings {
  /** validation.enable */
  readonly validationEnabled: boolean;
  /** Kubernetes minor version ("1.34") to validate against; empty: the newest bundled. */
  readonly kubernetesVersion: string;
  /** validation.context: the context whose cluster's schemas validate; empty: bundled ones. */
  readonly clusterContext: string;
  /** The kubeconfig file; empty: KUBECONFIG, then ~/.kube/config. */
  readonly kubeconfig: string;
  readonly helmPath?: string;
  readonly kustomizePath?: string;
  readonly gitPath?: string;
  /** render.allowNetwork */
  readonly allowNetwork: boolean;
  /** render.memoryLimitMB; unset: the engine's default (1024). */
  readonly memoryLimitMB?: number;
  /** externalResources: names that exist outside the repository, by kind. */
  readonly external: Readonly<Record<string, readonly string[]>>;
  readonly targets: readonly SettingsTarget[];
  readonly ignoreDifferences: readonly IgnoreDifference[];
  /** status.desiredFrom */
  readonly desiredFrom: 'workingTree' | 'HEAD';
  /** forge.hosts */
  readonly forgeHosts: ForgeHosts;
}

/** The settings of the validation of one document (read with the document as scope). */
export type DocumentSettings = Pick<
  Settings,
  'validationEnabled' | 'kubernetesVersion' | 'clusterContext' | 'kubeconfig'
>;

export const DEFAULT_SETTINGS: Settings = {
  validationEnabled: true,
  kubernetesVersion: '',
  clusterContext: '',
  kubeconfig: '',
  allowNetwork: false,
  external: {},
  targets: [],
  ignoreDifferences: [],
  desiredFrom: 'workingTree',
  forgeHosts: {},
};

/**
 * Where each field comes from: its key in the section and the scope package.json declares
 * (`resource` settings differ per folder; the server reads them with the document as scope).
 */
export const SETTING_KEYS: Readonly<
  Record<keyof Settings, { key: string; scope: 'resource' | 'machine' | 'window' }>
> = {
  validationEnabled: { key: 'validation.enable', scope: 'resource' },
  kubernetesVersion: { key: 'kubernetesVersion', scope: 'resource' },
  clusterContext: { key: 'validation.context', scope: 'resource' },
  kubeconfig: { key: 'kubeconfig', scope: 'machine' },
  helmPath: { key: 'helmPath', scope: 'machine' },
  kustomizePath: { key: 'kustomizePath', scope: 'machine' },
  gitPath: { key: 'gitPath', scope: 'machine' },
  allowNetwork: { key: 'render.allowNetwork', scope: 'machine' },
  memoryLimitMB: { key: 'render.memoryLimitMB', scope: 'machine' },
  external: { key: 'externalResources', scope: 'resource' },
  targets: { key: 'targets', scope: 'resource' },
  ignoreDifferences: { key: 'ignoreDifferences', scope: 'resource' },
  desiredFrom: { key: 'status.desiredFrom', scope: 'window' },
  forgeHosts: { key: 'forge.hosts', scope: 'machine' },
};

/** The smallest memory limit a helm or kustomize process can work with. */
export const MIN_MEMORY_LIMIT_MB = 64;

export interface ParsedSettings {
  readonly settings: Settings;
  /** One sentence per malformed entry: which setting, what is wrong, what is used instead. */
  readonly problems: readonly string[];
}

/** Parses the section the client sent; anything malformed falls back to its default. */
export function parseSettings(section: unknown): ParsedSettings {
  const problems: string[] = [];
  const value = (key: string): unknown =>
    key
      .split('.')
      .reduce<unknown>((node, part) => (isRecord(node) ? node[part] : undefined), section);
  const text = (field: keyof Settings): string => {
    const raw = value(SETTING_KEYS[field].key);
    if (raw === undefined || raw === null) return '';
    if (typeof raw === 'string') return raw.trim();
    problems.push(`${name(field)} must be a text: it is ignored.`);
    return '';
  };
  const flag = (field: keyof Settings, fallback: boolean): boolean => {
    const raw = value(SETTING_KEYS[field].key);
    if (typeof raw === 'boolean') return raw;
    if (raw !== undefined && raw !== null) {
      problems.push(`${name(field)} must be true or false: ${String(fallback)} is used.`);
    }
    return fallback;
  };
  const optional = (field: 'helmPath' | 'kustomizePath' | 'gitPath'): Partial<Settings> => {
    const path = text(field);
    return path ? { [field]: path } : {};
  };
  return {
    settings: {
      validationEnabled: flag('validationEnabled', true),
      kubernetesVersion: text('kubernetesVersion'),
      clusterContext: text('clusterContext'),
      kubeconfig: text('kubeconfig'),
      ...optional('helmPath'),
      ...optional('kustomizePath'),
      ...optional('gitPath'),
      allowNetwork: flag('allowNetwork', false),
      ...memoryLimit(value(SETTING_KEYS.memoryLimitMB.key), problems),
      external: externalResources(value(SETTING_KEYS.external.key), problems),
      targets: targets(value(SETTING_KEYS.targets.key), problems),
      ignoreDifferences: ignoreDifferences(value(SETTING_KEYS.ignoreDifferences.key), problems),
      desiredFrom: desiredFrom(value(SETTING_KEYS.desiredFrom.key), problems),
      forgeHosts: forgeHosts(value(SETTING_KEYS.forgeHosts.key), problems),
    },
    problems,
  };
}

/** The render binaries and render settings the engine takes. */
export function renderBinaries(
  settings: Settings,
  cacheDir: string,
): RenderBinaries & {
  readonly allowNetwork: boolean;
  readonly external: Readonly<Record<string, readonly string[]>>;
} {
  return {
    ...(settings.helmPath ? { helm: settings.helmPath } : {}),
    ...(settings.kustomizePath ? { kustomize: settings.kustomizePath } : {}),
    cacheDir,
    ...(settings.memoryLimitMB !== undefined ? { memoryLimitMB: settings.memoryLimitMB } : {}),
    allowNetwork: settings.allowNetwork,
    external: settings.external,
  };
}

/** `gitopsWorkbench.render.allowNetwork` for a field. */
function name(field: keyof Settings): string {
  return `gitopsWorkbench.${SETTING_KEYS[field].key}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function memoryLimit(raw: unknown, problems: string[]): { memoryLimitMB?: number } {
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'number' && Number.isFinite(raw) && raw >= MIN_MEMORY_LIMIT_MB) {
    return { memoryLimitMB: Math.floor(raw) };
  }
  problems.push(
    `${name('memoryLimitMB')} must be a number of MB, at least ${MIN_MEMORY_LIMIT_MB}: the default is used.`,
  );
  return {};
}

function externalResources(raw: unknown, problems: string[]): Record<string, string[]> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) {
    problems.push(`${name('external')} must map kinds to lists of names: it is ignored.`);
    return {};
  }
  return Object.fromEntries(
    Object.entries(raw).flatMap(([kind, names]) => {
      if (!Array.isArray(names)) {
        problems.push(`${name('external')}.${kind} must be a list of names: it is ignored.`);
        return [];
      }
      return [[kind, names.filter((entry): entry is string => typeof entry === 'string')]];
    }),
  );
}

/** The entries of a list setting, each an object read by `read`; the others said, in order. */
function listOf<T>(
  raw: unknown,
  field: keyof Settings,
  problems: string[],
  read: (entry: Record<string, unknown>, index: number) => T | undefined,
): T[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${name(field)} must be a list: it is ignored.`);
    return [];
  }
  return raw.flatMap((entry: unknown, index) => {
    if (!isRecord(entry)) {
      problems.push(`${name(field)}[${index}] must be an object: it is ignored.`);
      return [];
    }
    const value = read(entry, index);
    return value === undefined ? [] : [value];
  });
}

function targets(raw: unknown, problems: string[]): SettingsTarget[] {
  return listOf(raw, 'targets', problems, (entry, index) => {
    if (typeof entry['path'] !== 'string' || typeof entry['context'] !== 'string') {
      problems.push(`${name('targets')}[${index}] needs a path and a context: it is ignored.`);
      return undefined;
    }
    return {
      path: entry['path'],
      context: entry['context'],
      ...(typeof entry['namespace'] === 'string' ? { namespace: entry['namespace'] } : {}),
    };
  });
}

function ignoreDifferences(raw: unknown, problems: string[]): IgnoreDifference[] {
  return listOf(raw, 'ignoreDifferences', problems, (entry) => {
    const text = (key: string): Record<string, string> =>
      typeof entry[key] === 'string' ? { [key]: entry[key] } : {};
    const texts = (key: string): Record<string, string[]> => {
      const list = entry[key];
      return Array.isArray(list)
        ? { [key]: list.filter((item): item is string => typeof item === 'string') }
        : {};
    };
    return {
      ...text('group'),
      ...text('kind'),
      ...text('name'),
      ...text('namespace'),
      ...texts('jsonPointers'),
      ...texts('managedFieldsManagers'),
    };
  });
}

function desiredFrom(raw: unknown, problems: string[]): Settings['desiredFrom'] {
  if (raw === 'HEAD' || raw === 'workingTree') return raw;
  if (raw !== undefined && raw !== null) {
    problems.push(`${name('desiredFrom')} must be "workingTree" or "HEAD": workingTree is used.`);
  }
  return 'workingTree';
}

function forgeHosts(raw: unknown, problems: string[]): ForgeHosts {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) {
    problems.push(`${name('forgeHosts')} must map host names to forges: it is ignored.`);
    return {};
  }
  return Object.fromEntries(
    Object.entries(raw).flatMap(([host, entry]) => {
      const kind = isRecord(entry) ? entry['kind'] : undefined;
      if (kind !== 'github' && kind !== 'gitlab' && kind !== 'gitea') {
        problems.push(
          `${name('forgeHosts')}["${host}"].kind must be "github", "gitlab" or "gitea": the host is ignored.`,
        );
        return [];
      }
      const apiUrl = isRecord(entry) ? entry['apiUrl'] : undefined;
      return [[host, { kind, ...(typeof apiUrl === 'string' ? { apiUrl } : {}) }]];
    }),
  );
}
