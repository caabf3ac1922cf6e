/**
 * The mutations of the validation oracle. Each replaces `from` with `to` in a valid base
 * manifest of test/fixtures/oracle; `⟦` in `to` marks the line our finding must be on when the
 * API server rejects the result. Some mutations are valid on purpose: we must accept them too.
 */
export interface Mutation {
  readonly id: string;
  readonly base: string;
  /** Replacements applied in order: [from, to]. */
  readonly edits: ReadonlyArray<readonly [string, string]>;
}

const m = (
  id: string,
  base: string,
  from: string,
  to: string,
  ...more: Array<[string, string]>
): Mutation => ({
  id,
  base,
  edits: [[from, to], ...more],
});

export const MUTATIONS: readonly Mutation[] = [
  // Wrong types
  m('replicas-string', 'deployment', 'replicas: 2', '⟦replicas: two'),
  m('replicas-quoted-number', 'deployment', 'replicas: 2', '⟦replicas: "2"'),
  m('replicas-float', 'deployment', 'replicas: 2', '⟦replicas: 2.5'),
  m('replicas-list', 'deployment', 'replicas: 2', '⟦replicas: [2]'),
  m('container-port-string', 'deployment', 'containerPort: 9898', '⟦containerPort: "9898"'),
  m('env-value-number', 'deployment', 'value: "#34577c"', '⟦value: 42'),
  m('env-value-yaml11-boolean', 'deployment', 'value: "#34577c"', '⟦value: yes'),
  m(
    'label-value-number',
    'deployment',
    'app.kubernetes.io/name: podinfo',
    '⟦app.kubernetes.io/name: 1.0',
  ),
  m('annotation-value-bool', 'configmap', 'example.com/owner: team-a', '⟦example.com/owner: true'),
  m('configmap-data-number', 'configmap', 'PODINFO_UI_MESSAGE: "hello"', '⟦PODINFO_UI_MESSAGE: 12'),
  m(
    'command-not-list',
    'deployment',
    'command:\n            - ./podinfo\n            - --port=9898',
    '⟦command: ./podinfo',
  ),
  m(
    'containers-map',
    'job',
    'containers:\n        - name: migrate\n          image: busybox:1.36\n          args: ["echo", "done"]',
    '⟦containers:\n          name: migrate',
  ),
  m('backoff-limit-bool', 'job', 'backoffLimit: 2', '⟦backoffLimit: true'),
  m('service-port-string', 'service', 'port: 9898', '⟦port: http'),
  m('hpa-min-string', 'hpa', 'minReplicas: 2', '⟦minReplicas: "2"'),
  m('flux-prune-string', 'flux-kustomization', 'prune: true', '⟦prune: "yes"'),
  m('argo-prune-string', 'argo-application', 'prune: true', '⟦prune: "true"'),
  // Unknown fields (strict field validation)
  m('unknown-spec-field', 'deployment', 'minReadySeconds: 3', '⟦minReadySecond: 3'),
  m(
    'unknown-container-field',
    'deployment',
    'imagePullPolicy: IfNotPresent',
    'imagePullPolicy: IfNotPresent\n          ⟦imagePullSecret: x',
  ),
  m(
    'unknown-metadata-field',
    'configmap',
    'name: podinfo-config',
    'name: podinfo-config\n  ⟦label: x',
  ),
  m('unknown-top-level-field', 'secret', 'type: Opaque', 'type: Opaque\n⟦spec: {}'),
  m('unknown-probe-field', 'deployment', 'initialDelaySeconds: 5', '⟦initialDelay: 5'),
  m('unknown-service-field', 'service', 'type: ClusterIP', 'type: ClusterIP\n  ⟦clusterIp: None'),
  m('unknown-flux-field', 'flux-kustomization', 'timeout: 5m', '⟦timeOut: 5m'),
  m('unknown-argo-field', 'argo-application', 'targetRevision: HEAD', '⟦targetRev: HEAD'),
  m(
    'unknown-helmrelease-field',
    'flux-helmrelease',
    'interval: 50m',
    'interval: 50m\n  ⟦intervall: 5m',
  ),
  m(
    'helmrelease-values-free-form',
    'flux-helmrelease',
    'replicaCount: 2',
    'replicaCount: 2\n    anything: {goes: [here]}',
  ),
  // Missing required fields
  m(
    'missing-selector',
    'deployment',
    '  selector:\n    matchLabels:\n      app: podinfo\n  template',
    '  template',
  ),
  m('missing-image', 'job', '          image: busybox:1.36\n', ''),
  m('missing-container-name', 'cronjob', '- name: backup\n              image', '- image'),
  m('missing-job-restart-policy', 'job', '      restartPolicy: Never\n', ''),
  m(
    'missing-flux-sourceref',
    'flux-kustomization',
    '  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
    '',
  ),
  m(
    'missing-argo-destination',
    'argo-application',
    '  destination:\n    server: https://kubernetes.default.svc\n    namespace: guestbook\n',
    '',
  ),
  m('missing-ingress-pathtype', 'ingress', '            pathType: Prefix\n', ''),
  m('missing-role-verbs', 'role', '    verbs: ["get", "list", "watch"]\n', ''),
  m('missing-gitrepo-url', 'flux-gitrepository', '  url: https://example.com/acme/fleet.git\n', ''),
  // Selectors
  m(
    'selector-mismatch',
    'deployment',
    '      labels:\n        app: podinfo\n    spec',
    '      ⟦labels:\n        app: web\n    spec',
  ),
  m(
    'statefulset-selector-mismatch',
    'statefulset',
    '      labels:\n        app: cache',
    '      ⟦labels:\n        app: redis',
  ),
  m(
    'selector-extra-label',
    'deployment',
    'matchLabels:\n      app: podinfo',
    'matchLabels:\n      app: podinfo\n      tier: web',
    // The API server blames the template's labels, so that is where the finding must be.
    [
      '      labels:\n        app: podinfo\n    spec',
      '      ⟦labels:\n        app: podinfo\n    spec',
    ],
  ),
  m(
    'selector-expression-ok',
    'deployment',
    'matchLabels:\n      app: podinfo',
    'matchExpressions:\n      - {key: app, operator: In, values: [podinfo, web]}',
  ),
  // Names
  m('name-uppercase', 'configmap', 'name: podinfo-config', '⟦name: Podinfo-Config'),
  m('name-underscore', 'deployment', 'name: podinfo\n  labels', '⟦name: podinfo_v2\n  labels'),
  m('service-name-dot', 'service', 'name: podinfo', '⟦name: podinfo.web'),
  m('configmap-name-dot-ok', 'configmap', 'name: podinfo-config', 'name: podinfo.config'),
  m('container-name-uppercase', 'job', '- name: migrate', '- ⟦name: Migrate'),
  m(
    'label-key-bad',
    'deployment',
    'app.kubernetes.io/name: podinfo',
    '⟦app.kubernetes.io/-name: podinfo',
  ),
  m(
    'label-value-too-long',
    'configmap',
    'name: podinfo-config',
    `name: podinfo-config\n  labels:\n    ⟦team: ${'a'.repeat(64)}`,
  ),
  m('port-name-too-long', 'deployment', '- name: grpc', '- ⟦name: grpc-port-is-too-long'),
  m(
    'configmap-key-bad',
    'configmap',
    'PODINFO_UI_MESSAGE: "hello"',
    '⟦PODINFO UI MESSAGE: "hello"',
  ),
  m('role-name-colon-ok', 'role', 'name: reader', 'name: system:reader'),
  // Duplicates (list-map keys)
  m(
    'duplicate-container-name',
    'job',
    'args: ["echo", "done"]',
    'args: ["echo", "done"]\n        - ⟦name: migrate\n          image: busybox:1.36',
  ),
  m(
    'duplicate-container-port',
    'deployment',
    '- name: grpc\n              containerPort: 9999',
    '- name: grpc\n              ⟦containerPort: 9898',
  ),
  m(
    'duplicate-env-name',
    'deployment',
    'value: "#34577c"',
    'value: "#34577c"\n            - ⟦name: PODINFO_UI_COLOR\n              value: red',
  ),
  m(
    'duplicate-volume',
    'deployment',
    '          emptyDir: {}',
    '          emptyDir: {}\n        - ⟦name: data\n          emptyDir: {}',
  ),
  m(
    'duplicate-yaml-key',
    'configmap',
    'PODINFO_UI_MESSAGE: "hello"',
    'PODINFO_UI_MESSAGE: "hello"\n  ⟦PODINFO_UI_MESSAGE: "again"',
  ),
  m(
    'duplicate-service-port',
    'service',
    '- name: grpc\n      port: 9999',
    '- name: grpc\n      ⟦port: 9898',
  ),
  // Quantities
  m('quantity-bad-suffix', 'deployment', 'memory: 512Mi', '⟦memory: 512MB'),
  m('quantity-words', 'pvc', 'storage: 5Gi', '⟦storage: five gigs'),
  m('quantity-number-ok', 'deployment', 'cpu: 2000m', 'cpu: 2'),
  m('quantity-decimal-ok', 'deployment', 'cpu: 100m', 'cpu: 0.1'),
  m('requests-above-limits', 'deployment', 'memory: 64Mi', '⟦memory: 1Gi'),
  // Quantities: resource.ParseQuantity's grammar, its corners both ways
  m('quantity-exponent-fraction', 'deployment', 'cpu: 100m', '⟦cpu: 1e2.5'),
  m('quantity-exponent-empty', 'deployment', 'cpu: 100m', '⟦cpu: 1e'),
  m('quantity-exponent-then-suffix', 'deployment', 'cpu: 100m', '⟦cpu: 1e-1m'),
  m('quantity-exponent-overflow', 'deployment', 'cpu: 100m', '⟦cpu: "1e9223372036854775808"'),
  m('quantity-lowercase-binary', 'deployment', 'memory: 64Mi', '⟦memory: 64mi'),
  m('quantity-uppercase-kilo', 'deployment', 'memory: 64Mi', '⟦memory: 64K'),
  m('quantity-i-alone', 'deployment', 'memory: 64Mi', '⟦memory: 64i'),
  m('quantity-space-inside', 'deployment', 'memory: 64Mi', '⟦memory: 64 Mi'),
  m('quantity-tab-after', 'deployment', 'memory: 64Mi', '⟦memory: "64Mi\t"'),
  m('quantity-no-digits-exa', 'deployment', 'memory: 512Mi', '⟦memory: Ei'),
  m('quantity-no-digits-tiny', 'deployment', 'cpu: 100m', '⟦cpu: ".e-10"'),
  m('quantity-exponent-string-ok', 'deployment', 'cpu: 100m', 'cpu: "1E-1"'),
  m('quantity-plus-sign-ok', 'deployment', 'cpu: 100m', 'cpu: "+100m"'),
  m('quantity-leading-point-ok', 'deployment', 'cpu: 100m', 'cpu: ".1"'),
  m('quantity-trailing-point-ok', 'deployment', 'memory: 64Mi', 'memory: "64.Mi"'),
  m('quantity-spaces-trimmed-ok', 'deployment', 'memory: 64Mi', 'memory: " 64Mi "'),
  m('quantity-exa-binary-ok', 'deployment', 'memory: 512Mi', 'memory: 1Ei'),
  m('quantity-binary-capped-ok', 'deployment', 'memory: 512Mi', 'memory: 9Ei'),
  m('quantity-no-digits-zero-ok', 'deployment', 'cpu: 100m', 'cpu: "."'),
  m('quantity-exponent-truncated-ok', 'deployment', 'cpu: 100m', 'cpu: "1e4294967296"'),
  m('quantity-nano-rounding-ok', 'deployment', 'cpu: 100m', 'cpu: 0.0000000001'),
  m('requests-equal-limits-ok', 'deployment', 'cpu: 100m', 'cpu: "2"'),
  m('requests-above-limits-by-1n', 'deployment', 'cpu: 100m', '⟦cpu: 2000000001n'),
  // int-or-string, enums, ranges
  m('maxsurge-bad-string', 'deployment', 'maxSurge: 25%', '⟦maxSurge: lots'),
  m('targetport-name-ok', 'service', 'targetPort: 9999', 'targetPort: grpc'),
  m('targetport-out-of-range', 'service', 'targetPort: 9999', '⟦targetPort: 70000'),
  m('container-port-zero', 'deployment', 'containerPort: 9898', '⟦containerPort: 0'),
  m('container-port-too-big', 'statefulset', 'containerPort: 6379', '⟦containerPort: 65536'),
  // Not here: a nodePort outside 30000-32767. The API server rejects it only when it allocates
  // the port, which a dry run skips, so the oracle cannot judge it; a unit test covers our check.
  m('nodeport-ok', 'service', 'type: ClusterIP', 'type: NodePort', [
    'targetPort: http',
    'targetPort: http\n      nodePort: 30080',
  ]),
  m(
    'pull-policy-enum',
    'deployment',
    'imagePullPolicy: IfNotPresent',
    '⟦imagePullPolicy: Sometimes',
  ),
  m('service-type-enum', 'service', 'type: ClusterIP', '⟦type: Internal'),
  m(
    'restart-policy-deployment',
    'deployment',
    '      containers:\n        - name: podinfod',
    '      ⟦restartPolicy: Never\n      containers:\n        - name: podinfod',
  ),
  m('restart-policy-job-always', 'job', 'restartPolicy: Never', '⟦restartPolicy: Always'),
  m('replicas-negative', 'deployment', 'replicas: 2', '⟦replicas: -1'),
  m('hpa-min-zero', 'hpa', 'minReplicas: 2', '⟦minReplicas: 0'),
  m('flux-interval-pattern', 'flux-kustomization', 'interval: 10m', '⟦interval: ten minutes'),
  m('flux-sourceref-kind-enum', 'flux-kustomization', 'kind: GitRepository', '⟦kind: GitRepo'),
  m('concurrency-policy-enum', 'cronjob', 'concurrencyPolicy: Forbid', '⟦concurrencyPolicy: Never'),
  // Volume mounts
  m(
    'volume-mount-unknown',
    'deployment',
    '- name: data\n              mountPath: /data',
    '- ⟦name: cache\n              mountPath: /data',
  ),
  // Removed and current API versions
  m(
    'removed-extensions-deployment',
    'deployment',
    'apiVersion: apps/v1',
    '⟦apiVersion: extensions/v1beta1',
  ),
  m('removed-cronjob-v1beta1', 'cronjob', 'apiVersion: batch/v1', '⟦apiVersion: batch/v1beta1'),
  m('removed-hpa-v2beta2', 'hpa', 'apiVersion: autoscaling/v2', '⟦apiVersion: autoscaling/v2beta2'),
  m('removed-pdb-v1beta1', 'pdb', 'apiVersion: policy/v1', '⟦apiVersion: policy/v1beta1'),
  m(
    'removed-ingress-v1beta1',
    'ingress',
    'apiVersion: networking.k8s.io/v1',
    '⟦apiVersion: networking.k8s.io/v1beta1',
  ),
  m('unknown-kind-in-group', 'deployment', 'kind: Deployment', '⟦kind: Deploymnet'),
  // Values that YAML or Kubernetes read differently than one might think
  m('null-field-ok', 'deployment', 'revisionHistoryLimit: 5', 'revisionHistoryLimit:'),
  m(
    'empty-resources-ok',
    'job',
    'args: ["echo", "done"]',
    'args: ["echo", "done"]\n          resources: {}',
  ),
  m(
    'secret-data-ok',
    'secret',
    'stringData:\n  token: oracle-not-a-secret',
    'data:\n  token: b3JhY2xl',
  ),
  m(
    'annotation-quoted-number-ok',
    'deployment',
    'prometheus.io/scrape: "true"',
    'prometheus.io/port: "9797"',
  ),
];
