import * as path from 'node:path';
import { parse } from 'yaml';

/** What a kustomization (or Component) says about the files it names, as absolute paths. */
export interface KustomizationFacts {
  /** Strategic-merge and JSON patch files (`patches[].path`, `patchesStrategicMerge`, ...). */
  readonly patches: string[];
  /** Local resources and components: files, or folders that hold a kustomization. */
  readonly resources: string[];
  /** Inputs of configMapGenerator and secretGenerator (`files`, `envs`, `env`): data. */
  readonly dataFiles: string[];
  /** It sets `namespace:`, which also renames v1 Namespace objects it reaches. */
  readonly setsNamespace: boolean;
}

export function kustomizationFacts(kustomizationPath: string, text: string): KustomizationFacts {
  const empty: KustomizationFacts = {
    patches: [],
    resources: [],
    dataFiles: [],
    setsNamespace: false,
  };
  let config: unknown;
  try {
    config = parse(text, { maxAliasCount: 50 });
  } catch {
    return empty;
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return empty;
  }
  const root = config as Record<string, unknown>;
  const folder = path.dirname(kustomizationPath);
  const resolve = (file: string): string => path.resolve(folder, file);
  const patches: string[] = [];
  for (const entry of asList(root['patches']).concat(asList(root['patchesJson6902']))) {
    const file = (entry as { path?: unknown } | null)?.path;
    if (typeof file === 'string') {
      patches.push(file);
    }
  }
  for (const entry of asList(root['patchesStrategicMerge'])) {
    if (typeof entry === 'string' && !entry.includes('\n')) {
      patches.push(entry);
    }
  }
  const resources = [
    ...asList(root['resources']),
    ...asList(root['bases']),
    ...asList(root['components']),
  ].filter((entry): entry is string => typeof entry === 'string' && isLocal(entry));
  const dataFiles: string[] = [];
  for (const generator of [
    ...asList(root['configMapGenerator']),
    ...asList(root['secretGenerator']),
  ]) {
    const record = (generator ?? {}) as Record<string, unknown>;
    for (const entry of [...asList(record['files']), ...asList(record['envs']), record['env']]) {
      if (typeof entry === 'string') {
        // `key=path` names the key; the file is after the first `=`.
        dataFiles.push(entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry);
      }
    }
  }
  return {
    patches: patches.map(resolve),
    resources: resources.map(resolve),
    dataFiles: dataFiles.map(resolve),
    setsNamespace: typeof root['namespace'] === 'string' && root['namespace'] !== '',
  };
}

/** Remote resources (`https://...`, `github.com/...?ref=`) name no file of the repository. */
function isLocal(entry: string): boolean {
  return (
    !/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) &&
    !/^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) &&
    !entry.includes('?ref=')
  );
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
