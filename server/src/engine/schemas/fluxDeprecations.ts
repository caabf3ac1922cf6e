/**
 * Flux API versions that were deprecated or removed, per Flux release, from the changelogs of
 * the Flux controllers (the "APIs were removed" entries) and `flux migrate`. The bundled CRDs
 * (tools/crds) are those of Flux 2.9: helm-controller 1.6, kustomize-controller and
 * source-controller of the same release; notification-controller and the image automation
 * controllers from their main branches of mid-2026 (tools/crds/SOURCE.md has the commits).
 */
export const BUNDLED_FLUX_VERSION = '2.9';

export interface FluxApiDeprecation {
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** Flux minor version ("2.3") that deprecated it. */
  readonly deprecatedIn: string;
  /** Flux minor version whose CRDs no longer serve it. */
  readonly removedIn: string;
  /** The version that replaces it, in the same group. */
  readonly replacement: string;
  /**
   * Fields of the old version that the replacement no longer has, as paths with `[]` for list
   * items, and what to use instead. Without any of them, rewriting apiVersion is the migration.
   */
  readonly removedFields: Readonly<Record<string, string>>;
}

const KUSTOMIZATION_FIELDS = {
  'spec.patchesStrategicMerge': 'spec.patches',
  'spec.patchesJson6902': 'spec.patches',
  'spec.validation': 'nothing (server-side validation is always on)',
};
const HELMRELEASE_FIELDS = {
  'spec.chart.spec.valuesFile': 'spec.chart.spec.valuesFiles',
  'spec.postRenderers[].kustomize.patchesStrategicMerge': 'spec.postRenderers[].kustomize.patches',
  'spec.postRenderers[].kustomize.patchesJson6902': 'spec.postRenderers[].kustomize.patches',
};
const ACCESS_FROM = { 'spec.accessFrom': 'nothing (cross-namespace access is not limited by it)' };

export const FLUX_API_DEPRECATIONS: readonly FluxApiDeprecation[] = [
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
    kinds: ['Kustomization'],
    deprecatedIn: '0.28',
    removedIn: '2.7',
    replacement: 'kustomize.toolkit.fluxcd.io/v1',
    removedFields: KUSTOMIZATION_FIELDS,
  },
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
    kinds: ['Kustomization'],
    deprecatedIn: '2.0',
    removedIn: '2.8',
    replacement: 'kustomize.toolkit.fluxcd.io/v1',
    removedFields: KUSTOMIZATION_FIELDS,
  },
  {
    apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
    kinds: ['HelmRelease'],
    deprecatedIn: '2.2',
    removedIn: '2.7',
    replacement: 'helm.toolkit.fluxcd.io/v2',
    removedFields: HELMRELEASE_FIELDS,
  },
  {
    apiVersion: 'helm.toolkit.fluxcd.io/v2beta2',
    kinds: ['HelmRelease'],
    deprecatedIn: '2.3',
    removedIn: '2.8',
    replacement: 'helm.toolkit.fluxcd.io/v2',
    removedFields: HELMRELEASE_FIELDS,
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
    kinds: ['GitRepository'],
    deprecatedIn: '0.28',
    removedIn: '2.7',
    replacement: 'source.toolkit.fluxcd.io/v1',
    removedFields: { ...ACCESS_FROM, 'spec.gitImplementation': 'nothing (go-git is the only one)' },
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
    kinds: ['HelmChart'],
    deprecatedIn: '0.28',
    removedIn: '2.7',
    replacement: 'source.toolkit.fluxcd.io/v1',
    removedFields: { ...ACCESS_FROM, 'spec.valuesFile': 'spec.valuesFiles' },
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
    kinds: ['Bucket'],
    deprecatedIn: '0.28',
    removedIn: '2.7',
    replacement: 'source.toolkit.fluxcd.io/v1',
    removedFields: ACCESS_FROM,
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
    kinds: ['HelmRepository'],
    deprecatedIn: '0.28',
    removedIn: '2.7',
    replacement: 'source.toolkit.fluxcd.io/v1',
    removedFields: {},
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
    kinds: ['GitRepository'],
    deprecatedIn: '2.0',
    removedIn: '2.8',
    replacement: 'source.toolkit.fluxcd.io/v1',
    removedFields: { ...ACCESS_FROM, 'spec.gitImplementation': 'nothing (go-git is the only one)' },
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
    kinds: ['HelmChart'],
    deprecatedIn: '2.3',
    removedIn: '2.8',
    replacement: 'source.toolkit.fluxcd.io/v1',
    removedFields: { ...ACCESS_FROM, 'spec.valuesFile': 'spec.valuesFiles' },
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
    kinds: ['Bucket'],
    deprecatedIn: '2.3',
    removedIn: '2.8',
    replacement: 'source.toolkit.fluxcd.io/v1',
    removedFields: ACCESS_FROM,
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
    kinds: ['HelmRepository'],
    deprecatedIn: '2.3',
    removedIn: '2.8',
    replacement: 'source.toolkit.fluxcd.io/v1',
    removedFields: {},
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
    kinds: ['OCIRepository'],
    deprecatedIn: '2.6',
    removedIn: '2.8',
    replacement: 'source.toolkit.fluxcd.io/v1',
    removedFields: {},
  },
  {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta1',
    kinds: ['Alert', 'Provider'],
    deprecatedIn: '0.38',
    removedIn: '2.7',
    replacement: 'notification.toolkit.fluxcd.io/v1beta3',
    removedFields: {},
  },
  {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta2',
    kinds: ['Alert', 'Provider'],
    deprecatedIn: '2.2',
    removedIn: '2.9',
    replacement: 'notification.toolkit.fluxcd.io/v1beta3',
    removedFields: {},
  },
  {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta1',
    kinds: ['Receiver'],
    deprecatedIn: '0.38',
    removedIn: '2.7',
    replacement: 'notification.toolkit.fluxcd.io/v1',
    removedFields: {},
  },
  {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta2',
    kinds: ['Receiver'],
    deprecatedIn: '2.0',
    removedIn: '2.9',
    replacement: 'notification.toolkit.fluxcd.io/v1',
    removedFields: {},
  },
  {
    apiVersion: 'image.toolkit.fluxcd.io/v1beta1',
    kinds: ['ImageRepository', 'ImagePolicy'],
    deprecatedIn: '0.40',
    removedIn: '2.7',
    replacement: 'image.toolkit.fluxcd.io/v1',
    removedFields: {},
  },
  {
    apiVersion: 'image.toolkit.fluxcd.io/v1beta1',
    kinds: ['ImageUpdateAutomation'],
    deprecatedIn: '2.3',
    removedIn: '2.7',
    replacement: 'image.toolkit.fluxcd.io/v1',
    removedFields: {},
  },
  {
    apiVersion: 'image.toolkit.fluxcd.io/v1beta2',
    kinds: ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'],
    deprecatedIn: '2.7',
    removedIn: '2.9',
    replacement: 'image.toolkit.fluxcd.io/v1',
    removedFields: {},
  },
];

export function findFluxDeprecation(
  apiVersion: string,
  kind: string,
): FluxApiDeprecation | undefined {
  return FLUX_API_DEPRECATIONS.find(
    (entry) => entry.apiVersion === apiVersion && entry.kinds.includes(kind),
  );
}
