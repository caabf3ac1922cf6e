/**
 * Discovers what can be rendered in a workspace: kustomization folders, Helm charts, Flux
 * Kustomizations and HelmReleases, Argo CD Applications, and plain folders of manifests.
 * `buildUnits` makes them from the folders the walk found and each file's discovery facts;
 * `indexWorkspace` walks and reads a folder first (a HEAD snapshot, a repository read once).
 */
import * as path from 'node:path';
import { walkFolders } from '../files/folderWalk';
import type { WalkedFolder } from '../files/folderWalk';
import { readRepoText } from '../files/repoFile';
import { apiGroup } from '../parse/apiVersion';
import { readGitRemotes } from '../status/repoUrls';
import { argoApplicationUnits } from './argoUnits';
import { applicationSetUnits } from './appSets/appSetUnits';
import type { AppSetSources } from './appSets/appSetUnits';
import type { ClusterSecret } from './appSets/appSetTypes';
import { clusterSecretOf } from './appSets/clusterGenerator';
import { walkedRepoFiles } from './appSets/repoFiles';
import type { RepoFileUses } from './appSets/repoFiles';
import { MAX_DISCOVERY_FILE_BYTES, discoveryFacts } from './discoveryFacts';
import type { Definition, DiscoveryFacts, DiscoveryMemo } from './discoveryFacts';
import { fluxHelmReleaseUnit, fluxKustomizationUnit } from './fluxUnits';
import type { RepoIndex } from './repoIndex';
import type { RenderUnit } from './types';
import { WorkspaceIndex } from './workspaceIndex';
import { workspaceRelative } from './workspacePaths';
import { isMapValue, stringAt, valueAt } from './yamlDocs';
import type { YamlMap } from './yamlDocs';
import { isValidReleaseName } from './helmNames';

/** The release name `helm template` uses when none is given. */
const HELM_DEFAULT_RELEASE_NAME = 'release-name';

/** A workspace folder's render units, and the units a Flux or Argo CD resource found elsewhere would render from it. */
export interface WorkspaceUnits {
  readonly root: string;
  readonly units: RenderUnit[];
  /** What the repository holds that units reference: ConfigMaps, Secrets, Flux sources. */
  readonly index: RepoIndex;
  /**
   * The units `resource` (a Flux Kustomization or HelmRelease, or an Argo CD Application, e.g.
   * read from a cluster) renders from this folder; `label` stands for its defining file.
   */
  unitsFor(resource: YamlMap, label: string): RenderUnit[];
  /**
   * What ApplicationSets' files generators listed and read of the repository: an edit of such
   * a file (a `config.json`) changes the units, though it is no manifest.
   */
  readonly repoFileUses?: RepoFileUses;
}

/** Every render unit in `workspaceRoot`, sorted by kind, then folder, then name. */
export async function discoverRenderUnits(
  workspaceRoot: string,
  signal?: AbortSignal,
): Promise<RenderUnit[]> {
  return (await indexWorkspace(workspaceRoot, signal)).units;
}

export interface IndexOptions {
  /**
   * The git remotes of the repository `workspaceRoot` is a snapshot of (a commit's files in a
   * folder with no `.git`): what decides which repoURLs are this repository.
   */
  readonly remotes?: readonly string[];
  /**
   * Facts of another folder of the same repository (a snapshot of another commit): a file
   * with the same path and text there is not parsed again.
   */
  readonly memo?: DiscoveryMemo;
}

/** Walks `workspaceRoot` once and reads its files: its units, and a way to make units for resources found elsewhere. */
export async function indexWorkspace(
  workspaceRoot: string,
  signal?: AbortSignal,
  options: IndexOptions = {},
): Promise<WorkspaceUnits> {
  const root = path.resolve(workspaceRoot);
  const folders = await walkFolders(root, signal);
  const remotes =
    options.remotes ?? (await readGitRemotes(root, signal).catch(() => undefined))?.remotes ?? [];
  const facts = new Map<string, DiscoveryFacts>();
  const charts = new Set(folders.filter((folder) => folder.chart).map((folder) => folder.dir));
  for (const folder of folders) {
    const files = [
      ...(folder.chart ? [path.join(folder.dir, 'Chart.yaml')] : []),
      ...(folder.chart || insideChart(folder.dir, charts) ? [] : folder.yamlFiles),
      ...(folder.kustomization ? [folder.kustomization] : []),
    ];
    for (const file of new Set(files)) {
      signal?.throwIfAborted();
      const text = await readRepoText(file, MAX_DISCOVERY_FILE_BYTES).catch(() => '');
      facts.set(
        file,
        options.memo ? options.memo.factsOf(root, file, text) : discoveryFacts(file, text),
      );
    }
  }
  return buildUnits(root, folders, (file) => facts.get(file), remotes);
}

function insideChart(dir: string, charts: ReadonlySet<string>): boolean {
  for (
    let current = path.dirname(dir);
    current !== path.dirname(current);
    current = path.dirname(current)
  ) {
    if (charts.has(current)) return true;
  }
  return false;
}

function unitsOf(definition: Definition, index: RepoIndex, appSets: AppSetSources): RenderUnit[] {
  const { value: resource, file, line } = definition;
  const group = apiGroup(String(resource.apiVersion));
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
  if (kind === 'ApplicationSet' && group === 'argoproj.io') {
    return applicationSetUnits(resource, file, line, index, appSets);
  }
  return [];
}

const KIND_ORDER: readonly RenderUnit['kind'][] = [
  'kustomize',
  'helm',
  'flux-kustomization',
  'flux-helmrelease',
  'argocd-application',
  'plain',
];

/**
 * The units of `root` from the folders the walk found and the discovery facts of their files
 * (undefined for a file not read). Files in a chart define nothing: they are the chart's.
 */
export function buildUnits(
  root: string,
  folders: readonly WalkedFolder[],
  factsOf: (file: string) => DiscoveryFacts | undefined,
  remotes: readonly string[],
): WorkspaceUnits {
  const charts = new Set(folders.filter((folder) => folder.chart).map((folder) => folder.dir));
  const index = new WorkspaceIndex(
    root,
    new Map(folders.map((folder) => [folder.dir, folder])),
    remotes,
  );
  const definitions: Definition[] = [];
  const clusters: ClusterSecret[] = [];
  const manifestFolders = new Set<string>();
  for (const folder of folders) {
    if (folder.chart || insideChart(folder.dir, charts)) continue;
    for (const file of folder.yamlFiles) {
      const facts = factsOf(file);
      if (!facts) continue;
      for (const definition of facts.definitions) {
        index.add(definition);
        definitions.push(definition);
        const cluster = clusterSecretOf(definition.value);
        if (cluster) clusters.push(cluster);
      }
      if (facts.manifest && !folder.kustomization) manifestFolders.add(folder.dir);
    }
  }
  const units: RenderUnit[] = [];
  for (const folder of folders) {
    const unit = folderUnit(root, folder, charts, manifestFolders, factsOf);
    if (unit) units.push(unit);
  }
  const repoFileUses: RepoFileUses = { listed: false, read: new Set() };
  const appSets: AppSetSources = { repo: walkedRepoFiles(root, folders, repoFileUses), clusters };
  for (const definition of definitions) {
    units.push(...unitsOf(definition, index, appSets));
  }
  if (units.some((unit) => unit.kind === 'flux-kustomization')) {
    for (const unit of units) {
      if (unit.renderer === 'kustomize')
        unit.kustomize = { ...unit.kustomize, fluxWorkspace: true };
    }
  }
  units.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      a.root.localeCompare(b.root) ||
      (a.definedIn?.file ?? '').localeCompare(b.definedIn?.file ?? '') ||
      (a.definedIn?.line ?? 0) - (b.definedIn?.line ?? 0),
  );
  return {
    root,
    units,
    index,
    unitsFor: (resource, label) =>
      unitsOf({ value: resource, file: label, line: 1 }, index, appSets).map((unit) => {
        const { definedIn: _definedIn, ...rest } = unit;
        return rest;
      }),
    repoFileUses,
  };
}

/** The unit a folder is: a kustomization, a chart (not inside another), or a folder of manifests. */
function folderUnit(
  root: string,
  folder: WalkedFolder,
  charts: ReadonlySet<string>,
  manifestFolders: ReadonlySet<string>,
  factsOf: (file: string) => DiscoveryFacts | undefined,
): RenderUnit | undefined {
  const name = workspaceRelative(root, folder.dir) || '.';
  if (folder.kustomization) {
    if (factsOf(folder.kustomization)?.component) return undefined;
    return {
      kind: 'kustomize',
      id: `kustomize:${name}`,
      name,
      root: folder.dir,
      renderer: 'kustomize',
    };
  }
  if (folder.chart && !insideChart(folder.dir, charts)) {
    const chart = factsOf(path.join(folder.dir, 'Chart.yaml'))?.chart;
    // A library chart only provides templates to other charts: helm renders nothing of it.
    if (chart?.type === 'library') return undefined;
    const chartName = chart?.name ?? path.basename(folder.dir);
    return {
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
            file: path.join(folder.dir, 'Chart.yaml'),
            line: chart?.line ?? 1,
            path: ['name'],
            ...(chart?.name === undefined ? { label: 'the chart folder name' } : {}),
          },
        },
      },
    };
  }
  if (manifestFolders.has(folder.dir)) {
    return { kind: 'plain', id: `plain:${name}`, name, root: folder.dir, renderer: 'plain' };
  }
  return undefined;
}
