import { list, record, text } from '../validate/ruleContext';
import { missingDataKey } from './dataKeys';
import { missingReference } from './messages';
import type { Reference } from './messages';
import { podReferences } from './podReferences';
import type { IndexedResource, ResourceIndex } from './resourceIndex';
import type { CrossResourceFinding } from './types';

/** Finding codes by referenced kind. */
const MISSING_CODES: Readonly<Record<string, string>> = {
  ConfigMap: 'missing-configmap',
  Secret: 'missing-secret',
  PersistentVolumeClaim: 'missing-pvc',
  ServiceAccount: 'missing-serviceaccount',
};

/**
 * ConfigMaps, Secrets, PersistentVolumeClaims and ServiceAccounts named by pod specs, Flux
 * HelmRelease `valuesFrom` and Flux Kustomization `postBuild.substituteFrom` exist in the unit,
 * in the same namespace, or are marked external; env vars read keys those ConfigMaps and Secrets
 * hold.
 */
export function referenceChecks(index: ResourceIndex): CrossResourceFinding[] {
  const findings: CrossResourceFinding[] = [];
  for (const entry of index.entries) {
    const references = [
      ...(entry.pods ? podReferences(entry.pods, entry.namespace) : []),
      ...fluxReferences(entry),
      ...fluxObjectReferences(entry),
    ];
    for (const reference of references) {
      if (reference.kind === 'PersistentVolumeClaim' && claimFromTemplate(index, reference)) {
        continue;
      }
      if (inEveryNamespace(reference)) {
        continue;
      }
      const code = MISSING_CODES[reference.kind] ?? 'missing-reference';
      const finding =
        missingReference(index, entry.resource, reference, code) ??
        missingDataKey(index, entry.resource, reference);
      if (finding) {
        findings.push(finding);
      }
    }
  }
  return findings;
}

/**
 * What the cluster itself publishes in every namespace: kube-controller-manager's ConfigMap
 * `kube-root-ca.crt` (the API server's CA, which projected service account volumes read).
 */
function inEveryNamespace(reference: Reference): boolean {
  return reference.kind === 'ConfigMap' && reference.name === 'kube-root-ca.crt';
}

/** The ConfigMaps and Secrets a Flux HelmRelease or Kustomization reads values or variables from. */
function fluxReferences(entry: IndexedResource): Reference[] {
  const spec = record(entry.resource.object['spec']);
  let sources: unknown[] = [];
  let path: (string | number)[] = [];
  let via = '';
  if (entry.kind === 'HelmRelease' && entry.group === 'helm.toolkit.fluxcd.io') {
    sources = list(spec?.['valuesFrom']);
    path = ['spec', 'valuesFrom'];
    via = 'valuesFrom';
  } else if (entry.kind === 'Kustomization' && entry.group === 'kustomize.toolkit.fluxcd.io') {
    sources = list(record(spec?.['postBuild'])?.['substituteFrom']);
    path = ['spec', 'postBuild', 'substituteFrom'];
    via = 'postBuild.substituteFrom';
  }
  const references: Reference[] = [];
  sources.forEach((item, i) => {
    const source = record(item);
    const kind = text(source?.['kind']);
    const name = text(source?.['name']);
    if (source?.['optional'] !== true && name && (kind === 'ConfigMap' || kind === 'Secret')) {
      const namePath = [...path, i, 'name'];
      references.push({ kind, group: '', name, namespace: entry.namespace, path: namePath, via });
    }
  });
  return references;
}

const FLUX_SOURCES = 'source.toolkit.fluxcd.io';
const FLUX_KINDS: Readonly<Record<string, string>> = {
  Kustomization: 'kustomize.toolkit.fluxcd.io',
  HelmRelease: 'helm.toolkit.fluxcd.io',
};
/**
 * The source kinds a reference is checked for, and their groups. A HelmChart (helm-controller
 * makes one per HelmRelease) and an ExternalArtifact (an ArtifactGenerator makes it) are made by
 * controllers, not written: they are not checked.
 */
const SOURCE_KINDS: Readonly<Record<string, string>> = {
  GitRepository: FLUX_SOURCES,
  OCIRepository: FLUX_SOURCES,
  Bucket: FLUX_SOURCES,
  HelmRepository: FLUX_SOURCES,
};

/** A name still holding a Flux variable this workspace could not substitute. */
const unresolved = (name: string): boolean => name.includes('${');

/**
 * The Flux objects a Kustomization or HelmRelease names: the objects it `dependsOn` (of its own
 * kind) and its source (`sourceRef`, `chart.spec.sourceRef`, `chartRef`). Flux waits for a
 * missing dependency for ever, and fails on a missing source. The source `flux-system` is left
 * out: `flux bootstrap` or a FluxInstance may create it outside the repository.
 */
function fluxObjectReferences(entry: IndexedResource): Reference[] {
  const group = FLUX_KINDS[entry.kind];
  if (group === undefined || entry.group !== group) return [];
  const spec = record(entry.resource.object['spec']);
  const references: Reference[] = [];
  list(spec?.['dependsOn']).forEach((item, i) => {
    const dependency = record(item);
    const name = text(dependency?.['name']);
    if (!name || unresolved(name)) return;
    references.push({
      kind: entry.kind,
      group,
      name,
      namespace: text(dependency?.['namespace']) ?? entry.namespace,
      path: ['spec', 'dependsOn', i, 'name'],
      via: 'dependsOn',
      controllersMayCreate: false,
    });
  });
  const sources: Array<[unknown, (string | number)[], string]> =
    entry.kind === 'Kustomization'
      ? [[spec?.['sourceRef'], ['spec', 'sourceRef'], 'sourceRef']]
      : [
          [
            record(record(spec?.['chart'])?.['spec'])?.['sourceRef'],
            ['spec', 'chart', 'spec', 'sourceRef'],
            'chart.spec.sourceRef',
          ],
          [spec?.['chartRef'], ['spec', 'chartRef'], 'chartRef'],
        ];
  for (const [value, path, via] of sources) {
    const source = record(value);
    const kind = text(source?.['kind']);
    const name = text(source?.['name']);
    const sourceGroup = kind ? SOURCE_KINDS[kind] : undefined;
    if (!kind || !name || !sourceGroup || name === 'flux-system' || unresolved(name)) continue;
    references.push({
      kind,
      group: sourceGroup,
      name,
      namespace: text(source?.['namespace']) ?? entry.namespace,
      path: [...path, 'name'],
      via,
      controllersMayCreate: false,
    });
  }
  return references;
}

/** Whether a claim name is one a StatefulSet of the namespace creates: `<template>-<set>-<n>`. */
function claimFromTemplate(index: ResourceIndex, reference: Reference): boolean {
  return index.ofKind('StatefulSet', reference.namespace, 'apps').some((set) =>
    list(record(set.resource.object['spec'])?.['volumeClaimTemplates']).some((template) => {
      const templateName = text(record(record(template)?.['metadata'])?.['name']);
      const prefix = `${templateName ?? ''}-${set.name}-`;
      return (
        templateName !== undefined &&
        reference.name.startsWith(prefix) &&
        /^\d+$/.test(reference.name.slice(prefix.length))
      );
    }),
  );
}
