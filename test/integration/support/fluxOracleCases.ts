/**
 * The cases of test/integration/fluxRenderOracle.test.ts: a repository (relative path -> text) and
 * the spec of one Flux Kustomization over it. Each is rendered by the workbench and by Flux's own
 * generator (tools/fluxbuild), and the two outputs must be the same resources. Namespaces,
 * names, images, components and cluster-scoped kinds here; generators, patches, metadata and
 * nested bases in fluxOracleMoreCases.ts.
 */
import { moreFluxOracleCases } from './fluxOracleMoreCases';
import { configMap, deployment, lines, service } from './fluxOracleSupport';
import type { FluxOracleCase } from './fluxOracleSupport';

export type { FluxOracleCase } from './fluxOracleSupport';

export const fluxOracleCases: readonly FluxOracleCase[] = [
  {
    name: 'kustomization.yaml setting its own namespace, with targetNamespace',
    files: {
      'apps/web/kustomization.yaml': lines(
        'namespace: own',
        'resources:',
        '  - deploy.yaml',
        '  - svc.yaml',
      ),
      'apps/web/deploy.yaml': deployment('web'),
      'apps/web/svc.yaml': service('web'),
    },
    spec: { path: './apps/web', targetNamespace: 'target' },
  },
  {
    name: 'folder without kustomization.yaml (generated), nested folders and a sub-kustomization',
    files: {
      'apps/gen/one.yaml': configMap('one'),
      'apps/gen/nested/two.yaml': `${configMap('two')}---\n${configMap('three')}`,
      'apps/gen/base/kustomization.yaml': lines('namePrefix: base-', 'resources:', '  - four.yaml'),
      'apps/gen/base/four.yaml': configMap('four'),
      'apps/gen/base/unlisted.yaml': configMap('unlisted'),
      'apps/gen/README.md': '# not YAML\n',
    },
    spec: { path: './apps/gen', targetNamespace: 'gen', namePrefix: 'dev-' },
  },
  {
    name: 'namePrefix over a folder namePrefix, a patch targeting the unprefixed name',
    files: {
      'apps/prefix/kustomization.yaml': lines(
        'namePrefix: inner-',
        'resources:',
        '  - deploy.yaml',
      ),
      'apps/prefix/deploy.yaml': deployment('app'),
    },
    spec: {
      path: './apps/prefix',
      namePrefix: 'flux-',
      patches: [
        {
          target: { kind: 'Deployment', name: 'app' },
          patch: lines('- op: replace', '  path: /spec/replicas', '  value: 3'),
        },
      ],
    },
  },
  {
    name: 'nameSuffix over a folder nameSuffix, a ConfigMap reference renamed with it',
    files: {
      'apps/suffix/kustomization.yaml': lines(
        'nameSuffix: -inner',
        'resources:',
        '  - deploy.yaml',
        '  - cm.yaml',
      ),
      'apps/suffix/cm.yaml': configMap('settings'),
      'apps/suffix/deploy.yaml':
        deployment('app') +
        lines(
          '          envFrom:',
          '            - configMapRef:',
          '                name: settings',
        ),
    },
    spec: { path: './apps/suffix', nameSuffix: '-flux' },
  },
  {
    name: 'images merged with the folder images',
    files: {
      'apps/images/kustomization.yaml': lines(
        'resources:',
        '  - deploy.yaml',
        '  - other.yaml',
        'images:',
        '  - name: nginx',
        '    newTag: "1.0"',
      ),
      'apps/images/deploy.yaml': deployment('web'),
      'apps/images/other.yaml': deployment('other', 'busybox:1.36'),
    },
    spec: {
      path: './apps/images',
      images: [
        { name: 'nginx', newName: 'registry.example/nginx' },
        { name: 'busybox', newTag: '1.37' },
      ],
    },
  },
  {
    name: 'components added to the folder kustomization',
    files: {
      'apps/comp/kustomization.yaml': lines('resources:', '  - deploy.yaml'),
      'apps/comp/deploy.yaml': deployment('web'),
      'components/monitoring/kustomization.yaml': lines(
        'apiVersion: kustomize.config.k8s.io/v1alpha1',
        'kind: Component',
        'resources:',
        '  - monitor.yaml',
        'patches:',
        '  - target:',
        '      kind: Deployment',
        '    patch: |-',
        '      - op: add',
        '        path: /metadata/annotations',
        '        value:',
        '          monitored: "true"',
      ),
      'components/monitoring/monitor.yaml': configMap('monitor'),
    },
    spec: {
      path: './apps/comp',
      targetNamespace: 'comp',
      components: ['../../components/monitoring'],
    },
  },
  {
    name: 'cluster-scoped kinds (ClusterRole, Namespace, CRD, ClusterRoleBinding) with targetNamespace',
    files: {
      'apps/cluster/kustomization.yaml': lines(
        'namespace: own',
        'resources:',
        '  - cluster.yaml',
        '  - sa.yaml',
      ),
      'apps/cluster/cluster.yaml': [
        lines('apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: own'),
        lines(
          'apiVersion: rbac.authorization.k8s.io/v1',
          'kind: ClusterRole',
          'metadata:',
          '  name: reader',
          'rules:',
          '  - apiGroups: [""]',
          '    resources: ["pods"]',
          '    verbs: ["get"]',
        ),
        lines(
          'apiVersion: rbac.authorization.k8s.io/v1',
          'kind: ClusterRoleBinding',
          'metadata:',
          '  name: reader',
          'roleRef:',
          '  apiGroup: rbac.authorization.k8s.io',
          '  kind: ClusterRole',
          '  name: reader',
          'subjects:',
          '  - kind: ServiceAccount',
          '    name: robot',
          '    namespace: own',
        ),
        lines(
          'apiVersion: apiextensions.k8s.io/v1',
          'kind: CustomResourceDefinition',
          'metadata:',
          '  name: widgets.example.com',
          'spec:',
          '  group: example.com',
          '  names:',
          '    kind: Widget',
          '    plural: widgets',
          '  scope: Namespaced',
          '  versions:',
          '    - name: v1',
          '      served: true',
          '      storage: true',
          '      schema:',
          '        openAPIV3Schema:',
          '          type: object',
        ),
      ].join('---\n'),
      'apps/cluster/sa.yaml': lines(
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata:',
        '  name: robot',
      ),
    },
    spec: { path: './apps/cluster', targetNamespace: 'target' },
  },
  ...moreFluxOracleCases,
];
