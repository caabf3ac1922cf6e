/**
 * A Flux or Argo CD unit re-read from its defining resource through the unsaved buffers, so
 * edits to inline values, patches and options show in the next render without a new discovery.
 * Chart sources and referenced files stay as discovery resolved them.
 */
import type { SourceReader } from './sourceReader';
import type { RenderUnit } from './types';
import { argoHelmInputs, argoKustomizeInputs } from './argoUnits';
import { fluxKustomizeInputs, fluxValuesFrom } from './fluxUnits';
import { fluxPostRenderers } from './helmPostRender';
import { isMapValue, resourceDocs, stringAt, valueAt } from './yamlDocs';

export async function refreshedUnit(
  unit: RenderUnit,
  reader: SourceReader,
  workspaceRoot: string,
): Promise<RenderUnit> {
  const definedIn = unit.definedIn;
  if (!definedIn || unit.unrenderable || reader.overlay(definedIn.file) === undefined) return unit;
  const docs = resourceDocs(await reader.readText(definedIn.file));
  const wantedName =
    unit.kind === 'argocd-application' ? unit.name.replace(/ \[\d+\]$/, '') : unit.name;
  const doc =
    docs.find(
      (candidate) =>
        candidate.line === definedIn.line &&
        stringAt(candidate.value, 'metadata', 'name') === wantedName,
    ) ?? docs.find((candidate) => stringAt(candidate.value, 'metadata', 'name') === wantedName);
  if (!doc) return unit;
  const spec = valueAt(doc.value, 'spec');
  if (unit.kind === 'flux-kustomization') {
    const known = new Map(
      (unit.kustomize?.postBuild?.substituteFrom ?? []).map((reference) => [
        `${reference.kind}/${reference.name}`,
        reference.file,
      ]),
    );
    return {
      ...unit,
      kustomize: fluxKustomizeInputs(spec, unit.namespace, {
        configFile: (kind, _namespace, name) => known.get(`${kind}/${name}`),
      }),
    };
  }
  if (unit.kind === 'flux-helmrelease' && unit.helm) {
    const known = new Map(
      (unit.helm.valuesFrom ?? []).map((reference) => [
        `${reference.kind}/${reference.name}`,
        reference.file,
      ]),
    );
    const values = valueAt(spec, 'values');
    const { values: _old, ...rest } = unit.helm;
    return {
      ...unit,
      helm: {
        ...rest,
        ...(isMapValue(values) ? { values } : {}),
        valuesFrom: fluxValuesFrom(spec, stringAt(doc.value, 'metadata', 'namespace'), {
          configFile: (kind, _namespace, name) => known.get(`${kind}/${name}`),
        }),
        postRenderers: fluxPostRenderers(spec),
      },
    };
  }
  if (unit.kind === 'argocd-application') {
    const position = Number(/:(\d+)$/.exec(unit.id)?.[1] ?? 0);
    const single = valueAt(spec, 'source');
    const sources = isMapValue(single)
      ? [single]
      : ((valueAt(spec, 'sources') as unknown[] | undefined) ?? []);
    const source = sources[position];
    if (!isMapValue(source)) return unit;
    if (unit.renderer === 'helm' && unit.helm) {
      const helm = argoHelmInputs(source, unit.root, workspaceRoot, wantedName, unit.namespace, {
        file: definedIn.file,
        line: doc.line,
        source: isMapValue(single) ? ['spec', 'source'] : ['spec', 'sources', position],
      });
      return {
        ...unit,
        helm: { ...helm, ...(unit.helm.remote ? { remote: unit.helm.remote } : {}) },
      };
    }
    if (unit.renderer === 'kustomize') {
      return {
        ...unit,
        kustomize: argoKustomizeInputs(source, valueAt(source, 'directory', 'recurse') === true),
      };
    }
  }
  return unit;
}
