/** The second half of the Flux render oracle's cases (see fluxOracleCases.ts). */
import { configMap, deployment, lines, service } from './fluxOracleSupport';
import type { FluxOracleCase } from './fluxOracleSupport';

export const moreFluxOracleCases: readonly FluxOracleCase[] = [
  {
    name: 'HelmRelease and configMapGenerator inside, with targetNamespace and namePrefix',
    files: {
      'apps/helm/kustomization.yaml': lines(
        'resources:',
        '  - release.yaml',
        '  - deploy.yaml',
        'configMapGenerator:',
        '  - name: values',
        '    literals:',
        '      - replicas=2',
        'configurations:',
        '  - kustomizeconfig.yaml',
      ),
      'apps/helm/kustomizeconfig.yaml': lines(
        'nameReference:',
        '  - kind: ConfigMap',
        '    version: v1',
        '    fieldSpecs:',
        '      - path: spec/valuesFrom/name',
        '        kind: HelmRelease',
      ),
      'apps/helm/release.yaml': lines(
        'apiVersion: helm.toolkit.fluxcd.io/v2',
        'kind: HelmRelease',
        'metadata:',
        '  name: podinfo',
        'spec:',
        '  interval: 5m',
        '  chart:',
        '    spec:',
        '      chart: podinfo',
        '      sourceRef:',
        '        kind: HelmRepository',
        '        name: podinfo',
        '  valuesFrom:',
        '    - kind: ConfigMap',
        '      name: values',
      ),
      'apps/helm/deploy.yaml':
        deployment('app') +
        lines(
          '      volumes:',
          '        - name: values',
          '          configMap:',
          '            name: values',
        ),
    },
    spec: { path: './apps/helm', targetNamespace: 'helm', namePrefix: 'x-' },
  },
  {
    name: 'patches with a labelSelector target (label from the folder commonLabels) and a kind-only target',
    files: {
      'apps/select/kustomization.yaml': lines(
        'commonLabels:',
        '  tier: web',
        'resources:',
        '  - deploy.yaml',
        '  - cm.yaml',
      ),
      'apps/select/deploy.yaml': deployment('web'),
      'apps/select/cm.yaml': configMap('settings'),
    },
    spec: {
      path: './apps/select',
      patches: [
        {
          target: { labelSelector: 'tier=web', kind: 'Deployment' },
          patch: lines('- op: replace', '  path: /spec/replicas', '  value: 5'),
        },
        {
          target: { kind: 'ConfigMap' },
          patch: lines(
            'apiVersion: v1',
            'kind: ConfigMap',
            'metadata:',
            '  name: any',
            'data:',
            '  patched: "yes"',
          ),
        },
      ],
    },
  },
  {
    name: 'a multi-document strategic merge patch',
    files: {
      'apps/multi/kustomization.yaml': lines('resources:', '  - a.yaml', '  - b.yaml'),
      'apps/multi/a.yaml': configMap('a'),
      'apps/multi/b.yaml': deployment('b'),
    },
    spec: {
      path: './apps/multi',
      targetNamespace: 'multi',
      patches: [
        {
          patch: [
            lines(
              'apiVersion: v1',
              'kind: ConfigMap',
              'metadata:',
              '  name: a',
              'data:',
              '  b: "2"',
            ),
            lines(
              'apiVersion: apps/v1',
              'kind: Deployment',
              'metadata:',
              '  name: b',
              'spec:',
              '  replicas: 4',
            ),
          ].join('---\n'),
        },
      ],
    },
  },
  {
    name: 'commonLabels in the folder with targetNamespace and commonMetadata',
    files: {
      'apps/labels/kustomization.yaml': lines(
        'commonLabels:',
        '  team: blue',
        'commonAnnotations:',
        '  owner: blue',
        'resources:',
        '  - deploy.yaml',
        '  - svc.yaml',
      ),
      'apps/labels/deploy.yaml': deployment('web'),
      'apps/labels/svc.yaml': service('web'),
    },
    spec: {
      path: './apps/labels',
      targetNamespace: 'labels',
      commonMetadata: {
        labels: { 'toolkit.fluxcd.io/tenant': 'blue' },
        annotations: { note: 'flux' },
      },
    },
  },
  {
    name: 'a nested base with its own namespace under an overlay, with targetNamespace',
    files: {
      'apps/overlay/kustomization.yaml': lines(
        'resources:',
        '  - ../../bases/app',
        'patches:',
        '  - path: replicas.yaml',
      ),
      'apps/overlay/replicas.yaml': lines(
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: app',
        '  namespace: base-ns',
        'spec:',
        '  replicas: 2',
      ),
      'bases/app/kustomization.yaml': lines(
        'namespace: base-ns',
        'resources:',
        '  - deploy.yaml',
        '  - binding.yaml',
      ),
      'bases/app/deploy.yaml': deployment('app'),
      'bases/app/binding.yaml': lines(
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: RoleBinding',
        'metadata:',
        '  name: app',
        'roleRef:',
        '  apiGroup: rbac.authorization.k8s.io',
        '  kind: ClusterRole',
        '  name: view',
        'subjects:',
        '  - kind: ServiceAccount',
        '    name: default',
        '    namespace: base-ns',
      ),
    },
    spec: { path: './apps/overlay', targetNamespace: 'target' },
  },
  {
    name: 'a patch by name of a resource named by the folder namePrefix',
    files: {
      'apps/named/kustomization.yaml': lines('namePrefix: team-', 'resources:', '  - cm.yaml'),
      'apps/named/cm.yaml': configMap('settings'),
    },
    spec: {
      path: './apps/named',
      patches: [
        {
          target: { kind: 'ConfigMap', name: 'settings' },
          patch: lines('- op: add', '  path: /data/patched', '  value: "by-name"'),
        },
      ],
    },
  },
  {
    name: 'an image digest over a folder newTag, in a kustomization.yml with patchesJson6902',
    files: {
      'apps/digest/kustomization.yml': lines(
        'resources:',
        '  - deploy.yaml',
        'images:',
        '  - name: nginx',
        '    newTag: "1.0"',
        'patchesJson6902:',
        '  - target: {group: apps, version: v1, kind: Deployment, name: web}',
        '    patch: |-',
        '      - op: replace',
        '        path: /spec/replicas',
        '        value: 2',
      ),
      'apps/digest/deploy.yaml': deployment('web'),
    },
    spec: {
      path: './apps/digest',
      targetNamespace: 'digest',
      images: [
        {
          name: 'nginx',
          digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
        },
      ],
      patches: [
        {
          target: { kind: 'Deployment' },
          patch: lines('- op: add', '  path: /metadata/labels/patched', '  value: "yes"'),
        },
      ],
    },
  },
];
