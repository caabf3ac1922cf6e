/**
 * Discovers what can be rendered in a workspace: kustomization folders, Helm charts, Flux
 * Kustomizations and HelmReleases, Argo CD Applications, and plain folders of manifests.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readKustomization } from '../kustomize/kustomizationReader';
import { isYamlFileName } from '../parse/fileKinds';
import { GENERATED_DIR } from './renderContext';
import { KUSTOMIZATION_FILE_NAMES } from './sourceReader';
import type { RenderUnit, SourceLocation } from './types';
import { argoApplicationUnits } from './argoUnits';
import { fluxHelmReleaseUnit, fluxKustomizationUnit } from './fluxUnits';
import type { RepoIndex } from './repoIndex';
import { readGitRemotes } from '../status/repoUrls';
import { sourceOrigin } from './sourceOrigin';
import type { SourceOrigin } from './sourceOrigin';
import { workspaceRelative } from './workspacePaths';
import { isMapValue, parseYamlDocs, resourceDocs, stringAt, valueAt } from './yamlDocs';
import type { YamlMap } from './yamlDocs';
import { readRepoText } from '../files/repoFile';
import { isValidReleaseName } from './helmNames';

/** The release name `helm template` uses when none is given. */
const HELM_DEFAULT_RELEASE_NAME = 'release-name';

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', GENERATED_DIR, '.terraform', '.venv']);
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const INTERESTING =
  /kind:\s*["']?(Kustomization|HelmRelease|Application|ConfigMap|Secret|HelmRepository|GitRepository|OCIRepository|ArtifactGenerator)\b/;

interface Folder {
  dir: string;
  files: string[];
  kustomization?: string;
  chart: boolean;
}

async function walk(dir: string, folders: Folder[], signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = new Set(entries.filter((entry) => entry.isFile()).map((entry) => entry.name));
  const kustomization = KUSTOMIZATION_FILE_NAMES.find((name) => names.has(name));
  folders.push({
    dir,
    files: [...names]
      .filter(isYamlFileName)
      .sort()
      .map((name) => path.join(dir, name)),
    ...(kustomization ? { kustomization: path.join(dir, kustomization) } : {}),
    chart: names.has('Chart.yaml'),
  });
  for (const entry of entries
    .filter((item) => item.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (!SKIPPED_FOLDERS.has(entry.name)) await walk(path.join(dir, entry.name), folders, signal);
  }
}

interface Definition {
  file: string;
  line: number;
  value: YamlMap;
}

function apiGroup(resource: YamlMap): string {
  return String(resource.apiVersion).split('/')[0] ?? '';
}

/** True for a kustomize Component, which is not rendered on its own. */
function isComponent(kustomizationText: string): boolean {
  try {
    return readKustomization(kustomizationText).kinds.includes('Component');
  } catch {
    // Unreadable: a unit whose render says why.
    return false;
  }
}

class WorkspaceIndex implements RepoIndex {
  readonly configs = new Map<string, string>();
  readonly sources = new Map<string, Definition>();
  readonly generators: YamlMap[] = [];
  readonly dirs: Map<string, Folder>;

  constructor(
    readonly workspaceRoot: string,
    folders: Folder[],
    private readonly remotes: readonly string[],
  ) {
    this.dirs = new Map(folders.map((folder) => [folder.dir, folder]));
  }

  originOf(url: string | undefined): SourceOrigin {
    return sourceOrigin(url, this.remotes);
  }

  add(resource: YamlMap, file: string, line: number): void {
    const kind = String(resource.kind);
    const name = stringAt(resource, 'metadata', 'name') ?? '';
    const namespace = stringAt(resource, 'metadata', 'namespace') ?? '';
    if ((kind === 'ConfigMap' || kind === 'Secret') && apiGroup(resource) === 'v1') {
      this.configs.set(`${kind}/${namespace}/${name}`, file);
    } else if (
      ['HelmRepository', 'GitRepository', 'OCIRepository'].includes(kind) &&
      apiGroup(resource) === 'source.toolkit.fluxcd.io'
    ) {
      this.sources.set(`${kind}/${namespace}/${name}`, { file, line, value: resource });
    } else if (kind === 'ArtifactGenerator') {
      this.generators.push(resource);
    }
  }

  configFile(kind: string, namespace: string | undefined, name: string): string | undefined {
    return (
      this.configs.get(`${kind}/${namespace ?? ''}/${name}`) ?? this.configs.get(`${kind}//${name}`)
    );
  }

  source(kind: string, namespace: string | undefined, name: string): YamlMap | undefined {
    return this.sourceDefinition(kind, namespace, name)?.value;
  }

  sourceLocation(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): SourceLocation | undefined {
    const definition = this.sourceDefinition(kind, namespace, name);
    return definition ? { file: definition.file, line: definition.line } : undefined;
  }

  private sourceDefinition(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Definition | undefined {
    return (
      this.sources.get(`${kind}/${namespace ?? ''}/${name}`) ?? this.sources.get(`${kind}//${name}`)
    );
  }

  /** `@artifact/<to>` paths mapped back to `@source/<from>/**` copies of an ArtifactGenerator. */
  artifactPath(artifact: string, subPath: string): string | undefined {
    const wanted = subPath.replace(/^\.?\//, '').replace(/\/$/, '');
    for (const generator of this.generators) {
      for (const entry of Array.isArray(valueAt(generator, 'spec', 'artifacts'))
        ? (valueAt(generator, 'spec', 'artifacts') as unknown[])
        : []) {
        if (stringAt(entry, 'name') !== artifact) continue;
        const copies = valueAt(entry, 'copy');
        for (const copy of Array.isArray(copies) ? (copies as unknown[]) : []) {
          const from = /^@[^/]+\/(.*?)\/?\*\*$/.exec(stringAt(copy, 'from') ?? '')?.[1];
          const to = /^@artifact\/?(.*?)\/?$/.exec(stringAt(copy, 'to') ?? '')?.[1];
          if (from === undefined || to === undefined) continue;
          if (wanted === to || wanted.startsWith(`${to}/`) || to === '') {
            const rest = to === '' ? wanted : wanted.slice(to.length).replace(/^\//, '');
            return path.resolve(this.workspaceRoot, from, rest);
          }
        }
      }
    }
    return undefined;
  }

  isChart(dir: string): boolean {
    return this.dirs.get(dir)?.chart === true;
  }

  isKustomization(dir: string): boolean {
    return this.dirs.get(dir)?.kustomization !== undefined;
  }

  exists(dir: string): boolean {
    return this.dirs.has(dir);
  }
}

function insideChart(dir: string, charts: Set<string>): boolean {
  for (
    let current = path.dirname(dir);
    current !== path.dirname(current);
    current = path.dirname(current)
  ) {
    if (charts.has(current)) return true;
  }
  return false;
}

/** Every render unit in `workspaceRoot`, sorted by kind, then folder, then name. */
export async function discoverRenderUnits(
  workspaceRoot: string,
  signal?: AbortSignal,
): Promise<RenderUnit[]> {
  return (await indexWorkspace(workspaceRoot, signal)).units;
}

/** A workspace folder's render units, and the units a Flux or Argo CD resource found elsewhere would render from it. */
export interface WorkspaceUnits {
  readonly root: string;
  readonly units: RenderUnit[];
  /**
   * The units `resource` (a Flux Kustomization or HelmRelease, or an Argo CD Application, e.g.
   * read from a cluster) renders from this folder; `label` stands for its defining file.
   */
  unitsFor(resource: YamlMap, label: string): RenderUnit[];
}

function unitsOf(resource: YamlMap, file: string, line: number, index: RepoIndex): RenderUnit[] {
  const group = apiGroup(resource);
  const kind = resource.kind;
  // Partial documents (patch files of a kustomization) name no source or chart: not units.
  const spec = valueAt(resource, 'spec');
  if (kind === 'Kustomization' && group === 'kustomize.toolkit.fluxcd.io') {
    return isMapValue(valueAt(spec, 'sourceRef'))
      ? [fluxKustomizationUnit(resource, file, line, index)]
      : [];
  }
  if (kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') {
    return stringAt(spec, 'chart', 'spec', 'chart') || isMapValue(valueAt(spec, 'chartRef'))
      ? [fluxHelmReleaseUnit(resource, file, line, index)]
      : [];
  }
  if (kind === 'Application' && group === 'argoproj.io') {
    return argoApplicationUnits(resource, file, line, index);
  }
  return [];
}

/** Walks `workspaceRoot` once: its units, and a way to make units for resources found elsewhere. */
export async function indexWorkspace(
  workspaceRoot: string,
  signal?: AbortSignal,
): Promise<WorkspaceUnits> {
  const root = path.resolve(workspaceRoot);
  const folders: Folder[] = [];
  await walk(root, folders, signal);
  const remotes = (await readGitRemotes(root, signal).catch(() => undefined))?.remotes ?? [];
  const index = new WorkspaceIndex(root, folders, remotes);
  const charts = new Set(folders.filter((folder) => folder.chart).map((folder) => folder.dir));
  const definitions: Definition[] = [];
  const manifestFolders = new Set<string>();
  for (const folder of folders) {
    if (folder.chart || insideChart(folder.dir, charts)) continue;
    for (const file of folder.files) {
      signal?.throwIfAborted();
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat || stat.size > MAX_FILE_BYTES) continue;
      const text = await readRepoText(file).catch(() => '');
      if (!/^\s*kind:/m.test(text)) continue;
      if (!INTERESTING.test(text)) {
        if (!folder.kustomization && /^\s*apiVersion:/m.test(text)) manifestFolders.add(folder.dir);
        continue;
      }
      for (const doc of resourceDocs(text)) {
        index.add(doc.value, file, doc.line);
        definitions.push({ file, line: doc.line, value: doc.value });
        if (!folder.kustomization) manifestFolders.add(folder.dir);
      }
    }
  }
  const units: RenderUnit[] = [];
  for (const folder of folders) {
    const name = workspaceRelative(root, folder.dir) || '.';
    if (folder.kustomization) {
      const text = await readRepoText(folder.kustomization).catch(() => '');
      if (!isComponent(text)) {
        units.push({
          kind: 'kustomize',
          id: `kustomize:${name}`,
          name,
          root: folder.dir,
          renderer: 'kustomize',
        });
      }
    } else if (folder.chart && !insideChart(folder.dir, charts)) {
      const text = await readRepoText(path.join(folder.dir, 'Chart.yaml')).catch(() => '');
      const doc = parseYamlDocs(text)[0];
      const declared = stringAt(doc?.value, 'name');
      const chartName = declared ?? path.basename(folder.dir);
      const chartFile = path.join(folder.dir, 'Chart.yaml');
      // A library chart only provides templates to other charts: helm renders nothing of it.
      if (stringAt(doc?.value, 'type') === 'library') continue;
      units.push({
        kind: 'helm',
        id: `helm:${name}`,
        name: chartName,
        root: folder.dir,
        renderer: 'helm',
        helm: {
          // A chart on its own has no release: its name when helm accepts it as one, else the
          // name `helm template` gives a release it is not told ("release-name").
          releaseName: isValidReleaseName(chartName) ? chartName : HELM_DEFAULT_RELEASE_NAME,
          valueFiles: [],
          fields: {
            releaseName: {
              file: chartFile,
              line: doc?.line ?? 1,
              path: ['name'],
              ...(declared === undefined ? { label: 'the chart folder name' } : {}),
            },
          },
        },
      });
    } else if (manifestFolders.has(folder.dir)) {
      units.push({ kind: 'plain', id: `plain:${name}`, name, root: folder.dir, renderer: 'plain' });
    }
  }
  for (const definition of definitions) {
    units.push(...unitsOf(definition.value, definition.file, definition.line, index));
  }
  if (units.some((unit) => unit.kind === 'flux-kustomization')) {
    for (const unit of units) {
      if (unit.renderer === 'kustomize')
        unit.kustomize = { ...unit.kustomize, fluxWorkspace: true };
    }
  }
  const order = [
    'kustomize',
    'helm',
    'flux-kustomization',
    'flux-helmrelease',
    'argocd-application',
    'plain',
  ];
  units.sort(
    (a, b) =>
      order.indexOf(a.kind) - order.indexOf(b.kind) ||
      a.root.localeCompare(b.root) ||
      (a.definedIn?.file ?? '').localeCompare(b.definedIn?.file ?? '') ||
      (a.definedIn?.line ?? 0) - (b.definedIn?.line ?? 0),
  );
  return {
    root,
    units,
    unitsFor: (resource, label) =>
      unitsOf(resource, label, 1, index).map((unit) => {
        const { definedIn: _definedIn, ...rest } = unit;
        return rest;
      }),
  };
}
