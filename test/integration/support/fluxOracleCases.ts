/**
 * The cases of test/integration/fluxRenderOracle.test.ts: a repository (relative path -> text) and
 * the spec of one Flux Kustomization over it. Each is rendered by the workbench and by Flux's own
 * generator (tools/fluxbuild), and the two outputs must be the same resources.
 */

export interface FluxOracleCase {
  name: string;
  files: Record<string, string>;
  /** The Flux Kustomization's spec (sourceRef, interval and prune are added). */
  spec: Record<string, unknown>;
}

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

const configMap = (name: string, extra = ''): string =>
  lines(
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}${extra}`,
    'data:',
    '  a: "1"',
  );

const deployment = (name: string, image = 'nginx:1.25'): string =>
  lines(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app: ${name}`,
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    '        - name: main',
    `          image: ${image}`,
  );

const service = (name: string): string =>
  lines(
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  selector:',
    `    app: ${name}`,
    '  ports:',
    '    - port: 80',
  );

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
