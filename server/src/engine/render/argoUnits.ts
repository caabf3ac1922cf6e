/** Pure conversions from Argo CD Applications to the render units their sources define. */
import * as path from 'node:path';
import { parse } from '../parse/boundedYaml';
import type { RepoIndex } from './repoIndex';
import { array, outsideRefusal, record, relativeRoot } from './repoIndex';
import type { HelmInputs, InputField, KustomizeInputs, RenderUnit } from './types';
import { isInside } from '../files/pathInside';
import { isMapValue, stringAt, valueAt } from './yamlDocs';
import type { YamlMap } from './yamlDocs';

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

/** Where an Argo CD source is in its Application: file, document line, `['spec', 'source']` or `['spec', 'sources', 1]`. */
export interface ArgoSourceAt {
  file: string;
  line: number;
  source: readonly (string | number)[];
}

/** The fields an Application's release name, namespace and remote chart are read from. */
export function argoHelmFields(
  source: unknown,
  at: ArgoSourceAt,
  remote: boolean,
): NonNullable<HelmInputs['fields']> {
  const field = (...rest: string[]): InputField => ({
    file: at.file,
    line: at.line,
    path: [...at.source, ...rest],
  });
  return {
    releaseName: stringAt(source, 'helm', 'releaseName')
      ? field('helm', 'releaseName')
      : { file: at.file, line: at.line, path: ['metadata', 'name'] },
    namespace: { file: at.file, line: at.line, path: ['spec', 'destination', 'namespace'] },
    ...(remote
      ? { chart: field('chart'), version: field('targetRevision'), repoUrl: field('repoURL') }
      : {}),
  };
}

/** Helm inputs of an Argo CD source: valueFiles (chart-relative, `$ref/` = repo root), values, valuesObject, parameters. */
export function argoHelmInputs(
  source: unknown,
  root: string,
  workspaceRoot: string,
  appName: string,
  namespace: string | undefined,
  at?: ArgoSourceAt,
): HelmInputs {
  const helm = valueAt(source, 'helm');
  let values: YamlMap | undefined;
  const valuesText = stringAt(helm, 'values');
  if (valuesText) {
    try {
      const parsed = parse(valuesText);
      if (isMapValue(parsed)) values = parsed;
    } catch {
      values = undefined;
    }
  }
  // Argo CD passes valuesObject instead of values when it is set: values is then ignored.
  const valuesObject = valueAt(helm, 'valuesObject');
  if (isMapValue(valuesObject)) values = valuesObject;
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
    releaseName: stringAt(helm, 'releaseName') || appName,
    ...(namespace ? { namespace } : {}),
    valueFiles,
    ...(values ? { values } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(at
      ? { fields: argoHelmFields(source, at, typeof stringAt(source, 'chart') === 'string') }
      : {}),
  };
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
    const at: ArgoSourceAt = {
      file,
      line,
      source: isMapValue(single) ? ['spec', 'source'] : ['spec', 'sources', position],
    };
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
        at,
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
    const repoUrl = stringAt(source, 'repoURL');
    const origin = index.originOf(repoUrl);
    const isHelm = index.isChart(root) || isMapValue(valueAt(source, 'helm'));
    const unit: RenderUnit = isHelm
      ? {
          ...base,
          root,
          renderer: 'helm',
          helm: argoHelmInputs(source, root, index.workspaceRoot, name, namespace, at),
        }
      : {
          ...base,
          root,
          renderer: 'kustomize',
          kustomize: argoKustomizeInputs(source, valueAt(source, 'directory', 'recurse') === true),
        };
    if (origin === 'elsewhere') {
      units.push({
        ...unit,
        unrenderable: {
          reason: 'notRendered',
          message: `its source ${repoUrl ?? ''} is another repository, not this workspace.`,
          file,
          line,
        },
      });
      return;
    }
    if (!isInside(index.workspaceRoot, root)) {
      units.push(outsideRefusal(unit, sourcePath ?? '.'));
      return;
    }
    if (!index.exists(root)) {
      unit.unrenderable =
        origin === 'workspace'
          ? {
              reason: 'failed',
              message: `source.path "${sourcePath ?? ''}" of Application ${name} is not a folder of this workspace: correct the path.`,
              file,
              line,
              field: [...at.source, 'path'],
            }
          : {
              reason: 'notRendered',
              message: `source.path "${sourcePath ?? ''}" is not a folder of this workspace, and its repoURL ${repoUrl ?? ''} may be another repository: open that repository to render it.`,
              file,
              line,
              field: [...at.source, 'path'],
            };
    }
    units.push(unit);
  });
  return units;
}
