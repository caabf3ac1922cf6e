/** Pure conversions from Flux Kustomizations and HelmReleases to the render units they define. */
import { fluxPostRenderers } from './helmPostRender';
import type { RepoIndex } from './repoIndex';
import { array, outsideRefusal, record, relativeRoot } from './repoIndex';
import { fluxReleaseName } from './helmNames';
import type { FieldPath } from '../parse/locate';
import type {
  FluxPostBuild,
  HelmInputs,
  InputField,
  KustomizeInputs,
  RemoteChart,
  RenderUnit,
  ValuesReference,
} from './types';
import { isInside } from '../files/pathInside';
import { isMapValue, stringAt, valueAt } from './yamlDocs';
import type { YamlMap } from './yamlDocs';

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
  const options: KustomizeInputs = { generateIfMissing: 'flux', applyAs: 'flux' };
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
  // Merged into each object's metadata after the build, as kustomize-controller does: not
  // kustomize's commonLabels, which would also change selectors and pod templates.
  const labels = record(valueAt(spec, 'commonMetadata', 'labels'));
  const annotations = record(valueAt(spec, 'commonMetadata', 'annotations'));
  if (labels || annotations) {
    options.commonMetadata = {
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    };
  }
  return options;
}

/** Argo CD's `image=new:tag` / `image:tag` / `image@digest` strings as kustomize `images`. */
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
  const notHere = (message: string, field?: FieldPath): RenderUnit => ({
    ...unit,
    unrenderable: { reason: 'notRendered', message, file, line, ...(field ? { field } : {}) },
  });
  const from = `${sourceKind ?? 'source'} ${sourceName}`;
  if (sourceKind === 'ExternalArtifact') {
    return index.exists(root)
      ? unit
      : notHere(
          `its source ExternalArtifact ${sourceName} is produced in the cluster, and spec.path "${specPath}" maps to no folder of this workspace.`,
        );
  }
  if (sourceKind !== 'GitRepository') {
    // OCIRepository and Bucket artifacts are built elsewhere: their layout is not this tree's.
    const url = stringAt(
      index.source(
        sourceKind ?? '',
        stringAt(spec, 'sourceRef', 'namespace') ?? namespace,
        sourceName,
      ),
      'spec',
      'url',
    );
    return notHere(
      `its source is ${from}${url ? ` (${url})` : ''}, an artifact built outside this workspace, so spec.path "${specPath}" is not read from here.`,
    );
  }
  const source = index.source(
    'GitRepository',
    stringAt(spec, 'sourceRef', 'namespace') ?? namespace,
    sourceName,
  );
  const url = stringAt(source, 'spec', 'url');
  const origin = index.originOf(url);
  if (origin === 'elsewhere') {
    return notHere(`its source ${from} is another repository (${url ?? ''}), not this workspace.`);
  }
  if (!index.exists(root)) {
    if (origin === 'workspace' || (sourceName === 'flux-system' && source !== undefined)) {
      unit.unrenderable = {
        reason: 'failed',
        message: `spec.path "${specPath}" of Flux Kustomization ${name} is not a folder of this workspace (source ${from}): correct the path.`,
        file,
        line,
        field: ['spec', 'path'],
      };
      return unit;
    }
    return notHere(
      `spec.path "${specPath}" is not a folder of this workspace, and its source ${from}${url ? ` (${url})` : ' (not defined here)'} may be another repository: open that repository to render it.`,
      ['spec', 'path'],
    );
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

/** Where helm-controller takes the release name and namespace of a HelmRelease from. */
function releaseFields(
  spec: unknown,
  name: string,
  file: string,
  line: number,
): Pick<NonNullable<HelmInputs['fields']>, 'releaseName' | 'namespace'> {
  const targetNamespace = stringAt(spec, 'targetNamespace');
  const releaseName = stringAt(spec, 'releaseName');
  const written = releaseName || (targetNamespace ? `${targetNamespace}-${name}` : name);
  const shortened = fluxReleaseName(name, targetNamespace, releaseName) !== written;
  const field: InputField = releaseName
    ? { file, line, path: ['spec', 'releaseName'] }
    : targetNamespace
      ? { file, line, path: ['metadata', 'name'], label: 'spec.targetNamespace-metadata.name' }
      : { file, line, path: ['metadata', 'name'] };
  const namespace: InputField = {
    file,
    line,
    path: targetNamespace ? ['spec', 'targetNamespace'] : ['metadata', 'namespace'],
  };
  return { releaseName: shortened ? { ...field, written } : field, namespace };
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
    releaseName: fluxReleaseName(name, targetNamespace, stringAt(spec, 'releaseName')),
    ...(namespace ? { namespace } : {}),
    valueFiles: [],
    ...(isMapValue(values) ? { values } : {}),
    valuesFrom: fluxValuesFrom(spec, ownNamespace, index),
    fields: releaseFields(spec, name, file, line),
  };
  const postRenderers = fluxPostRenderers(spec);
  if (postRenderers.length) helm.postRenderers = postRenderers;
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
  const notHere = (message: string): RenderUnit => ({
    ...unit,
    unrenderable: { reason: 'notRendered', message, file, line },
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
      return notHere(
        `its chart comes from ${chartRefKind} ${refName}${source ? '' : ', which is not defined in this workspace'}, so it is not read from here.`,
      );
    }
    const tag = stringAt(source, 'spec', 'ref', 'tag');
    helm.remote = { repoUrl: url, chart: '', ...(tag ? { version: tag } : {}) };
    const at = index.sourceLocation(
      chartRefKind,
      stringAt(spec, 'chartRef', 'namespace') ?? ownNamespace,
      refName,
    );
    if (at) {
      helm.fields = {
        ...helm.fields,
        repoUrl: { ...at, path: ['spec', 'url'] },
        version: { ...at, path: ['spec', 'ref', 'tag'] },
      };
    }
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
      return notHere(
        `chart ${chart} comes from HelmRepository ${sourceName}, which is not defined in this workspace, so its URL is not known here.`,
      );
    }
    helm.remote = remote;
    const at = index.sourceLocation('HelmRepository', sourceNamespace, sourceName);
    helm.fields = {
      ...helm.fields,
      chart: { file, line, path: ['spec', 'chart', 'spec', 'chart'] },
      version: { file, line, path: ['spec', 'chart', 'spec', 'version'] },
      ...(at ? { repoUrl: { ...at, path: ['spec', 'url'] } } : {}),
    };
    return unit;
  }
  const root = relativeRoot(index, chart);
  unit.root = root;
  helm.valueFiles = valuesFiles.map((valuesFile) => relativeRoot(index, valuesFile));
  if (!isInside(index.workspaceRoot, root)) return outsideRefusal(unit, chart);
  const from = `${sourceKind} ${sourceName}`;
  if (sourceKind !== 'GitRepository') {
    return notHere(`chart ${chart} comes from ${from}, an artifact built outside this workspace.`);
  }
  const source = index.source('GitRepository', sourceNamespace, sourceName);
  const url = stringAt(source, 'spec', 'url');
  const origin = index.originOf(url);
  if (origin === 'elsewhere') {
    return notHere(`chart ${chart} comes from ${from}, another repository (${url ?? ''}).`);
  }
  if (!index.isChart(root)) {
    if (origin === 'workspace' || (sourceName === 'flux-system' && source !== undefined)) {
      return {
        ...unit,
        unrenderable: {
          reason: 'failed',
          message: `The chart "${chart}" of HelmRelease ${name} (from ${from}) is not a chart folder of this workspace: correct spec.chart.spec.chart.`,
          file,
          line,
        },
      };
    }
    return notHere(
      `chart "${chart}" is not a chart folder of this workspace, and its source ${from}${url ? ` (${url})` : ' (not defined here)'} may be another repository.`,
    );
  }
  return unit;
}
