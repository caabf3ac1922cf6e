/**
 * Pure conversions from a Flux or Argo CD resource to the render units it defines. The repo index
 * answers what the resource references (ConfigMaps, Secrets, chart sources, artifact layouts).
 */
import * as path from 'node:path';
import { parse } from 'yaml';
import type {
  FluxPostBuild,
  HelmInputs,
  KustomizeInputs,
  RemoteChart,
  RenderUnit,
  ValuesReference,
} from './types';
import { isInside } from './workspacePaths';
import { isMapValue, stringAt, valueAt } from './yamlDocs';
import type { YamlMap } from './yamlDocs';

export interface RepoIndex {
  workspaceRoot: string;
  /** File defining a ConfigMap or Secret, keyed `Kind/namespace/name` (namespace may be empty). */
  configFile(kind: string, namespace: string | undefined, name: string): string | undefined;
  /** A Flux source (`HelmRepository`, `GitRepository`, `OCIRepository`) defined in the repo. */
  source(kind: string, namespace: string | undefined, name: string): YamlMap | undefined;
  /** Repo folder an ExternalArtifact path maps to through an ArtifactGenerator, if any. */
  artifactPath(artifact: string, subPath: string): string | undefined;
  /** True when the folder exists and holds a `Chart.yaml`. */
  isChart(dir: string): boolean;
  isKustomization(dir: string): boolean;
  exists(dir: string): boolean;
}

function record(value: unknown): Record<string, string> | undefined {
  if (!isMapValue(value)) return undefined;
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** Flux `spec.valuesFrom` with the file of each ConfigMap or Secret found by `index`. */
export function fluxValuesFrom(
  spec: unknown,
  namespace: string | undefined,
  index: Pick<RepoIndex, 'configFile'>,
): ValuesReference[] {
  return array(valueAt(spec, 'valuesFrom')).flatMap((entry): ValuesReference[] => {
    const kind = stringAt(entry, 'kind');
    const name = stringAt(entry, 'name');
    if ((kind !== 'ConfigMap' && kind !== 'Secret') || !name) return [];
    const file = index.configFile(kind, namespace, name);
    const targetPath = stringAt(entry, 'targetPath');
    return [
      {
        kind,
        name,
        valuesKey: stringAt(entry, 'valuesKey') ?? 'values.yaml',
        ...(targetPath ? { targetPath } : {}),
        optional: valueAt(entry, 'optional') === true,
        ...(file ? { file } : {}),
      },
    ];
  });
}

/** Kustomize options of a Flux Kustomization (`targetNamespace`, `namePrefix`, `patches`, `images`, `components`). */
export function fluxKustomizeInputs(
  spec: unknown,
  ownNamespace: string | undefined,
  index: Pick<RepoIndex, 'configFile'>,
): KustomizeInputs {
  const options: KustomizeInputs = { generateIfMissing: 'flux' };
  const substitute = record(valueAt(spec, 'postBuild', 'substitute'));
  type SubstituteFrom = NonNullable<FluxPostBuild['substituteFrom']>;
  const substituteFrom = array(valueAt(spec, 'postBuild', 'substituteFrom')).flatMap(
    (entry): SubstituteFrom => {
      const kind = stringAt(entry, 'kind');
      const name = stringAt(entry, 'name');
      if ((kind !== 'ConfigMap' && kind !== 'Secret') || !name) return [];
      const file = index.configFile(kind, ownNamespace, name);
      return [
        { kind, name, optional: valueAt(entry, 'optional') === true, ...(file ? { file } : {}) },
      ];
    },
  );
  if (substitute || substituteFrom.length) {
    options.postBuild = {
      ...(substitute ? { substitute } : {}),
      ...(substituteFrom.length ? { substituteFrom } : {}),
    };
  }
  const namespace = stringAt(spec, 'targetNamespace');
  if (namespace) options.namespace = namespace;
  const prefix = stringAt(spec, 'namePrefix');
  if (prefix) options.namePrefix = prefix;
  const suffix = stringAt(spec, 'nameSuffix');
  if (suffix) options.nameSuffix = suffix;
  const images = array(valueAt(spec, 'images'));
  if (images.length) options.images = images;
  const patches = array(valueAt(spec, 'patches'));
  if (patches.length) options.patches = patches;
  const components = array(valueAt(spec, 'components')).filter(
    (item): item is string => typeof item === 'string',
  );
  if (components.length) options.components = components;
  const labels = record(valueAt(spec, 'commonMetadata', 'labels'));
  if (labels) options.commonLabels = labels;
  const annotations = record(valueAt(spec, 'commonMetadata', 'annotations'));
  if (annotations) options.commonAnnotations = annotations;
  return options;
}

/** Argo CD's `image=new:tag` / `image:tag` / `image@digest` strings as kustomize `images`. */
export function argoImages(images: unknown[]): unknown[] {
  return images.map((image) => {
    if (typeof image !== 'string') return image;
    const [name = '', replacement] = image.includes('=')
      ? image.split('=', 2)
      : [image.replace(/[:@][^/]*$/, ''), image];
    const entry: Record<string, string> = { name };
    const ref = replacement ?? '';
    const digest = ref.indexOf('@');
    const colon = ref.lastIndexOf(':');
    if (digest >= 0) {
      entry.digest = ref.slice(digest + 1);
      if (ref.slice(0, digest) !== name) entry.newName = ref.slice(0, digest);
    } else if (colon > ref.lastIndexOf('/')) {
      entry.newTag = ref.slice(colon + 1);
      if (ref.slice(0, colon) !== name) entry.newName = ref.slice(0, colon);
    } else if (ref && ref !== name) {
      entry.newName = ref;
    }
    return entry;
  });
}

export function argoKustomizeInputs(source: unknown, recurse: boolean): KustomizeInputs {
  const kustomize = valueAt(source, 'kustomize');
  const options: KustomizeInputs = { generateIfMissing: recurse ? 'argocd-recurse' : 'argocd' };
  const prefix = stringAt(kustomize, 'namePrefix');
  if (prefix) options.namePrefix = prefix;
  const suffix = stringAt(kustomize, 'nameSuffix');
  if (suffix) options.nameSuffix = suffix;
  const namespace = stringAt(kustomize, 'namespace');
  if (namespace) options.namespace = namespace;
  const images = array(valueAt(kustomize, 'images'));
  if (images.length) options.images = argoImages(images);
  const patches = array(valueAt(kustomize, 'patches'));
  if (patches.length) options.patches = patches;
  const components = array(valueAt(kustomize, 'components')).filter(
    (item): item is string => typeof item === 'string',
  );
  if (components.length) options.components = components;
  const labels = record(valueAt(kustomize, 'commonLabels'));
  if (labels) options.commonLabels = labels;
  const annotations = record(valueAt(kustomize, 'commonAnnotations'));
  if (annotations) options.commonAnnotations = annotations;
  return options;
}

/** Helm inputs of an Argo CD source: valueFiles (chart-relative, `$ref/` = repo root), values, valuesObject, parameters. */
export function argoHelmInputs(
  source: unknown,
  root: string,
  workspaceRoot: string,
  appName: string,
  namespace: string | undefined,
): HelmInputs {
  const helm = valueAt(source, 'helm');
  let values: YamlMap | undefined;
  const valuesText = stringAt(helm, 'values');
  if (valuesText) {
    try {
      const parsed = parse(valuesText) as unknown;
      if (isMapValue(parsed)) values = parsed;
    } catch {
      values = undefined;
    }
  }
  const valuesObject = valueAt(helm, 'valuesObject');
  if (isMapValue(valuesObject)) values = { ...(values ?? {}), ...valuesObject };
  const valueFiles = array(valueAt(helm, 'valueFiles'))
    .filter((file): file is string => typeof file === 'string')
    .map((file) => {
      if (/^[a-z]+:\/\//i.test(file)) return file;
      const ref = /^\$[^/]+\/(.*)$/.exec(file);
      return ref ? path.resolve(workspaceRoot, ref[1] ?? '') : path.resolve(root, file);
    });
  const parameters = array(valueAt(helm, 'parameters')).flatMap((parameter) => {
    const name = stringAt(parameter, 'name');
    const value = valueAt(parameter, 'value');
    if (!name || value === undefined) return [];
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return [{ name, value: text, forceString: valueAt(parameter, 'forceString') === true }];
  });
  return {
    releaseName: stringAt(helm, 'releaseName') ?? appName,
    ...(namespace ? { namespace } : {}),
    valueFiles,
    ...(values ? { values } : {}),
    ...(parameters.length ? { parameters } : {}),
  };
}

function relativeRoot(index: RepoIndex, reference: string): string {
  return path.resolve(index.workspaceRoot, reference.replace(/^\.\//, ''));
}

function outsideRefusal(unit: RenderUnit, reference: string): RenderUnit {
  return {
    ...unit,
    unrenderable: {
      reason: 'refused',
      message: `The path "${reference}" points outside the workspace, so it was not rendered: use a path inside the repository.`,
      ...(unit.definedIn ? { file: unit.definedIn.file, line: unit.definedIn.line } : {}),
    },
  };
}

export function fluxKustomizationUnit(
  resource: YamlMap,
  file: string,
  line: number,
  index: RepoIndex,
): RenderUnit {
  const name = stringAt(resource, 'metadata', 'name') ?? '(unnamed)';
  const namespace = stringAt(resource, 'metadata', 'namespace');
  const spec = valueAt(resource, 'spec');
  const specPath = stringAt(spec, 'path') ?? './';
  const sourceKind = stringAt(spec, 'sourceRef', 'kind');
  const sourceName = stringAt(spec, 'sourceRef', 'name') ?? '';
  let root = relativeRoot(index, specPath);
  if (sourceKind === 'ExternalArtifact') {
    const mapped = index.artifactPath(sourceName, specPath);
    if (mapped) root = mapped;
  }
  const unit: RenderUnit = {
    kind: 'flux-kustomization',
    id: `flux-kustomization:${file}:${line}`,
    name,
    root,
    renderer: 'kustomize',
    definedIn: { file, line },
    ...(namespace ? { namespace } : {}),
    kustomize: fluxKustomizeInputs(spec, namespace, index),
  };
  if (!isInside(index.workspaceRoot, root)) return outsideRefusal(unit, specPath);
  if (!index.exists(root)) {
    unit.unrenderable = {
      reason: 'failed',
      message: `spec.path "${specPath}" of Flux Kustomization ${name} is not a folder of this workspace (source ${sourceKind ?? '?'}/${sourceName}): correct the path, or open the repository its source points to.`,
      file,
      line,
    };
  }
  return unit;
}

function remoteFromSource(
  source: YamlMap | undefined,
  chart: string,
  version: string | undefined,
): RemoteChart | undefined {
  const url = stringAt(source, 'spec', 'url');
  if (!url) return undefined;
  return { repoUrl: url, chart, ...(version ? { version } : {}) };
}

export function fluxHelmReleaseUnit(
  resource: YamlMap,
  file: string,
  line: number,
  index: RepoIndex,
): RenderUnit {
  const name = stringAt(resource, 'metadata', 'name') ?? '(unnamed)';
  const ownNamespace = stringAt(resource, 'metadata', 'namespace');
  const spec = valueAt(resource, 'spec');
  const targetNamespace = stringAt(spec, 'targetNamespace');
  const namespace = targetNamespace ?? ownNamespace;
  const values = valueAt(spec, 'values');
  const helm: HelmInputs = {
    releaseName:
      stringAt(spec, 'releaseName') ?? (targetNamespace ? `${targetNamespace}-${name}` : name),
    ...(namespace ? { namespace } : {}),
    valueFiles: [],
    ...(isMapValue(values) ? { values } : {}),
    valuesFrom: fluxValuesFrom(spec, ownNamespace, index),
  };
  const unit: RenderUnit = {
    kind: 'flux-helmrelease',
    id: `flux-helmrelease:${file}:${line}`,
    name,
    root: index.workspaceRoot,
    renderer: 'helm',
    definedIn: { file, line },
    ...(namespace ? { namespace } : {}),
    helm,
  };
  const chartSpec = valueAt(spec, 'chart', 'spec');
  const chartRefKind = stringAt(spec, 'chartRef', 'kind');
  const refusal = (message: string): RenderUnit => ({
    ...unit,
    unrenderable: { reason: 'refused', message, file, line },
  });
  if (chartRefKind) {
    const refName = stringAt(spec, 'chartRef', 'name') ?? '';
    const source = index.source(
      chartRefKind,
      stringAt(spec, 'chartRef', 'namespace') ?? ownNamespace,
      refName,
    );
    const url = stringAt(source, 'spec', 'url');
    if (chartRefKind !== 'OCIRepository' || !url) {
      return refusal(
        `The chart of HelmRelease ${name} comes from ${chartRefKind} ${refName}, which is not defined in the workspace, so it cannot be rendered offline.`,
      );
    }
    const tag = stringAt(source, 'spec', 'ref', 'tag');
    helm.remote = { repoUrl: url, chart: '', ...(tag ? { version: tag } : {}) };
    return unit;
  }
  const chart = stringAt(chartSpec, 'chart') ?? '';
  const sourceKind = stringAt(chartSpec, 'sourceRef', 'kind') ?? '';
  const sourceName = stringAt(chartSpec, 'sourceRef', 'name') ?? '';
  const sourceNamespace = stringAt(chartSpec, 'sourceRef', 'namespace') ?? ownNamespace;
  const valuesFiles = array(valueAt(chartSpec, 'valuesFiles')).filter(
    (item): item is string => typeof item === 'string',
  );
  if (sourceKind === 'HelmRepository') {
    const remote = remoteFromSource(
      index.source('HelmRepository', sourceNamespace, sourceName),
      chart,
      stringAt(chartSpec, 'version'),
    );
    if (!remote) {
      return refusal(
        `HelmRepository ${sourceName} of HelmRelease ${name} is not defined in the workspace, so its chart cannot be rendered: add the HelmRepository to the repo.`,
      );
    }
    helm.remote = remote;
    return unit;
  }
  const root = relativeRoot(index, chart);
  unit.root = root;
  helm.valueFiles = valuesFiles.map((valuesFile) => relativeRoot(index, valuesFile));
  if (!isInside(index.workspaceRoot, root)) return outsideRefusal(unit, chart);
  if (!index.isChart(root)) {
    return refusal(
      `The chart "${chart}" of HelmRelease ${name} (from ${sourceKind} ${sourceName}) is not a chart folder of this workspace, so it cannot be rendered offline: correct spec.chart.spec.chart or open the repository that holds it.`,
    );
  }
  return unit;
}

export function argoApplicationUnits(
  resource: YamlMap,
  file: string,
  line: number,
  index: RepoIndex,
): RenderUnit[] {
  const name = stringAt(resource, 'metadata', 'name') ?? '(unnamed)';
  const spec = valueAt(resource, 'spec');
  const namespace = stringAt(spec, 'destination', 'namespace');
  const single = valueAt(spec, 'source');
  const sources = isMapValue(single)
    ? [single]
    : array(valueAt(spec, 'sources')).filter(isMapValue);
  const units: RenderUnit[] = [];
  sources.forEach((source, position) => {
    const chart = stringAt(source, 'chart');
    const sourcePath = stringAt(source, 'path');
    if (!chart && sourcePath === undefined) return;
    const unitName = sources.length > 1 ? `${name} [${position}]` : name;
    const base = {
      kind: 'argocd-application' as const,
      id: `argocd-application:${file}:${line}:${position}`,
      name: unitName,
      definedIn: { file, line },
      ...(namespace ? { namespace } : {}),
    };
    if (chart) {
      const repoUrl = stringAt(source, 'repoURL') ?? '';
      const version = stringAt(source, 'targetRevision');
      const helm = argoHelmInputs(
        source,
        index.workspaceRoot,
        index.workspaceRoot,
        name,
        namespace,
      );
      helm.remote = {
        repoUrl: repoUrl.includes('://') ? repoUrl : `oci://${repoUrl}`,
        chart,
        ...(version ? { version } : {}),
      };
      units.push({ ...base, root: index.workspaceRoot, renderer: 'helm', helm });
      return;
    }
    const root = relativeRoot(index, sourcePath ?? '.');
    const isHelm = index.isChart(root) || isMapValue(valueAt(source, 'helm'));
    const unit: RenderUnit = isHelm
      ? {
          ...base,
          root,
          renderer: 'helm',
          helm: argoHelmInputs(source, root, index.workspaceRoot, name, namespace),
        }
      : {
          ...base,
          root,
          renderer: 'kustomize',
          kustomize: argoKustomizeInputs(source, valueAt(source, 'directory', 'recurse') === true),
        };
    if (!isInside(index.workspaceRoot, root)) {
      units.push(outsideRefusal(unit, sourcePath ?? '.'));
      return;
    }
    if (!index.exists(root)) {
      unit.unrenderable = {
        reason: 'failed',
        message: `source.path "${sourcePath ?? ''}" of Application ${name} is not a folder of this workspace: correct the path, or open the repository ${stringAt(source, 'repoURL') ?? ''}.`,
        file,
        line,
      };
    }
    units.push(unit);
  });
  return units;
}
