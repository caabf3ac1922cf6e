import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { WorkspaceResources, crossResourceChecks } from '../../server/src/engine/crossref';
import type { CrossResourceOptions, UnitResource } from '../../server/src/engine/crossref';

/** A podinfo-like unit, rendered into namespace `podinfo`: nothing is wrong with it. */
const PODINFO = `apiVersion: v1
kind: Namespace
metadata: {name: podinfo}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: podinfo}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: podinfo-config}
data: {PODINFO_UI_MESSAGE: hello}
---
apiVersion: v1
kind: Secret
metadata: {name: podinfo-token}
stringData: {token: s3cr3t}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: podinfo}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: podinfo}}
  template:
    metadata: {labels: {app.kubernetes.io/name: podinfo, app.kubernetes.io/version: 6.7.1}}
    spec:
      serviceAccountName: podinfo
      containers:
        - name: podinfod
          image: ghcr.io/stefanprodan/podinfo:6.7.1
          ports:
            - {name: http, containerPort: 9898}
            - {name: http-metrics, containerPort: 9797}
            - {name: grpc, containerPort: 9999}
          envFrom:
            - configMapRef: {name: podinfo-config}
          env:
            - name: PODINFO_TOKEN
              valueFrom: {secretKeyRef: {name: podinfo-token, key: token}}
            - name: PODINFO_EXTRA
              valueFrom: {configMapKeyRef: {name: podinfo-extra, key: extra, optional: true}}
          volumeMounts:
            - {name: data, mountPath: /data}
            - {name: config, mountPath: /config}
      volumes:
        - name: data
          emptyDir: {}
        - name: config
          configMap: {name: podinfo-config}
---
apiVersion: v1
kind: Service
metadata: {name: podinfo}
spec:
  type: ClusterIP
  selector: {app.kubernetes.io/name: podinfo}
  ports:
    - {name: http, port: 9898, targetPort: http}
    - {name: grpc, port: 9999, targetPort: grpc}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: podinfo}
spec:
  ingressClassName: nginx
  rules:
    - host: podinfo.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: podinfo
                port: {number: 9898}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: podinfo}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  minReplicas: 2
  maxReplicas: 4
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 99}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: podinfo}
spec:
  minAvailable: 1
  selector:
    matchLabels: {app.kubernetes.io/name: podinfo}
`;

/** Resource ids are indexes in the unit; the Deployment is 4, the Service 5, and so on. */
const ID = { deployment: '4', service: '5', ingress: '6', autoscaler: '7', budget: '8' };

const OPTIONS: CrossResourceOptions = { defaultNamespace: 'podinfo' };

function unit(text: string): UnitResource[] {
  return parseAllDocuments(text).map((document, i) => {
    const object = document.toJS() as Record<string, unknown>;
    const metadata = object['metadata'] as { name: string; namespace?: string };
    return {
      object,
      id: String(i),
      ref: {
        apiVersion: String(object['apiVersion']),
        kind: String(object['kind']),
        name: metadata.name,
        ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
      },
    };
  });
}

/** The podinfo unit with one piece of text replaced (which must be there), plus extra documents. */
function podinfoWith(from: string, to: string, extra = ''): UnitResource[] {
  assert.ok(PODINFO.includes(from), `the unit contains ${from}`);
  return unit(PODINFO.replace(from, to) + extra);
}

function check(
  resources: UnitResource[],
  options: CrossResourceOptions = OPTIONS,
): ReturnType<typeof crossResourceChecks> {
  return crossResourceChecks(resources, options);
}

/** The engine names no setting: each face adds its own (test/unit/configHints.test.ts). */
const EXTERNAL_HINT = 'among the external resources.';

describe('cross-resource checks', () => {
  it('finds nothing in a valid unit, in its namespace or in the default one', () => {
    assert.deepEqual(check(unit(PODINFO)), []);
    assert.deepEqual(check(unit(PODINFO), {}), []);
  });

  it('matches the labels controllers add to each pod: a Service of one StatefulSet pod selects it', () => {
    // argo-cd's manifests/ha: a Service per redis-ha pod, by statefulset.kubernetes.io/pod-name.
    const resources = (podName: string, jobName: string): UnitResource[] =>
      unit(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis-ha-server}
spec:
  replicas: 3
  serviceName: redis-ha
  selector: {matchLabels: {app: redis-ha}}
  template:
    metadata: {labels: {app: redis-ha}}
    spec: {containers: [{name: redis, image: redis:7}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    metadata: {labels: {app: migrate}}
    spec: {restartPolicy: Never, containers: [{name: migrate, image: migrate:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: redis-ha-announce-0}
spec:
  selector: {app: redis-ha, statefulset.kubernetes.io/pod-name: ${podName}}
  ports: [{port: 6379}]
---
apiVersion: v1
kind: Service
metadata: {name: migrate}
spec:
  selector: {batch.kubernetes.io/job-name: ${jobName}}
  ports: [{port: 80}]
`);
    assert.deepEqual(check(resources('redis-ha-server-0', 'migrate')), []);
    assert.deepEqual(
      check(resources('redis-ha-server-x', 'migrat')).map(({ code, severity }) => [code, severity]),
      [
        ['service-selects-nothing', 'warning'],
        ['service-selects-nothing', 'info'],
      ],
    );
  });

  it('reports a Service whose selector selects no workload', () => {
    const resources = podinfoWith(
      'selector: {app.kubernetes.io/name: podinfo}\n  ports',
      'selector: {app.kubernetes.io/name: podinfo-web}\n  ports',
    );
    assert.deepEqual(check(resources), [
      {
        resourceId: ID.service,
        path: ['spec', 'selector'],
        severity: 'warning',
        code: 'service-selects-nothing',
        message:
          'Service selector app.kubernetes.io/name=podinfo-web matches the pod labels of no ' +
          'workload in namespace "podinfo" of this unit, so the Service gets no endpoints from it. ' +
          'Make the selector match a pod template\'s labels (Deployment "podinfo" has pod labels ' +
          'app.kubernetes.io/name=podinfo, app.kubernetes.io/version=6.7.1).',
      },
    ]);
  });

  it('counts the pods of CronJobs, Pods and Argo Rollouts, not of a custom Deployment kind', () => {
    const workloads = (selector: string): UnitResource[] =>
      unit(`apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: '@daily'
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec: {restartPolicy: Never, containers: [{name: report, image: report:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, labels: {app: debug}}
spec: {containers: [{name: shell, image: busybox}]}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web:1, ports: [{name: http, containerPort: 80}]}]}
---
apiVersion: example.com/v1
kind: Deployment
metadata: {name: custom}
spec:
  template:
    metadata: {labels: {app: custom}}
    spec: {containers: [{name: custom, image: custom:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: target}
spec:
  selector: {app: ${selector}}
  ports: [{port: 80, targetPort: http}]
`);
    assert.deepEqual(check(workloads('web')), []);
    for (const selector of ['report', 'debug']) {
      assert.deepEqual(
        check(workloads(selector)).map(({ path, code }) => ({ path, code })),
        [{ path: ['spec', 'ports', 0, 'targetPort'], code: 'service-target-port-missing' }],
      );
    }
    assert.deepEqual(
      check(workloads('custom')).map(({ code }) => code),
      ['service-selects-nothing'],
    );
  });

  it('reports a named targetPort that no selected container port has', () => {
    const resources = podinfoWith('targetPort: grpc}', 'targetPort: grpc-api}');
    assert.deepEqual(check(resources), [
      {
        resourceId: ID.service,
        path: ['spec', 'ports', 1, 'targetPort'],
        severity: 'warning',
        code: 'service-target-port-missing',
        message:
          'targetPort "grpc-api" is not the name of a container port of the pods this Service ' +
          'selects (Deployment "podinfo"), so traffic to it goes nowhere. Use one of the named ' +
          'ports "http", "http-metrics", "grpc" or a port number.',
      },
    ]);
  });

  it('warns about a missing ConfigMap whose name is near one the namespace has', () => {
    const resources = podinfoWith(
      'configMapRef: {name: podinfo-config}',
      'configMapRef: {name: podinfo-confg}',
    );
    assert.deepEqual(check(resources), [
      {
        resourceId: ID.deployment,
        path: ['spec', 'template', 'spec', 'containers', 0, 'envFrom', 0, 'configMapRef', 'name'],
        severity: 'warning',
        code: 'missing-configmap',
        message:
          'ConfigMap "podinfo-confg" (envFrom of container "podinfod") is not defined in ' +
          'namespace "podinfo" of this unit: did you mean "podinfo-config"? Fix the name, or, if ' +
          `"podinfo-confg" is created outside this unit, list it under "ConfigMap" ${EXTERNAL_HINT}`,
        hint: 'externalResources',
      },
    ]);
  });

  it('knows the ConfigMap kube-root-ca.crt, which the cluster publishes in every namespace', () => {
    // opentelemetry-operator's target allocator mounts it; kube-controller-manager makes it.
    const resources = podinfoWith(
      'configMapRef: {name: podinfo-config}',
      'configMapRef: {name: kube-root-ca.crt}',
    );
    assert.deepEqual(check(resources), []);
  });

  it('reports a missing ConfigMap where the unit keeps other ConfigMaps, unless it is marked external', () => {
    const resources = podinfoWith(
      'configMapRef: {name: podinfo-config}',
      'configMapRef: {name: podinfo-settings}',
    );
    assert.deepEqual(check(resources), [
      {
        resourceId: ID.deployment,
        path: ['spec', 'template', 'spec', 'containers', 0, 'envFrom', 0, 'configMapRef', 'name'],
        severity: 'warning',
        code: 'missing-configmap',
        message:
          'ConfigMap "podinfo-settings" (envFrom of container "podinfod") is not defined in ' +
          'namespace "podinfo" of this unit; it may still exist in the cluster. Fix the name or ' +
          'add the ConfigMap to the unit, or, if it is created outside this unit, list ' +
          `"podinfo-settings" under "ConfigMap" ${EXTERNAL_HINT}`,
        hint: 'externalResources',
      },
    ]);
    assert.deepEqual(
      check(resources, { ...OPTIONS, external: { ConfigMap: ['podinfo-settings'] } }),
      [],
    );
    assert.deepEqual(
      check(resources, { ...OPTIONS, external: { ConfigMap: ['podinfo/podinfo-settings'] } }),
      [],
    );
    assert.equal(
      check(resources, { ...OPTIONS, external: { ConfigMap: ['other/podinfo-settings'] } }).length,
      1,
    );
    for (const pattern of ['podinfo-*', '*', 'podinfo/*']) {
      assert.deepEqual(check(resources, { ...OPTIONS, external: { ConfigMap: [pattern] } }), []);
    }
    assert.equal(check(resources, { ...OPTIONS, external: { Secret: ['*'] } }).length, 1);
  });

  it('takes a name that differs by a whole word for another resource, not a typo', () => {
    // onedr0p/home-ops: cloudflare-tunnel-id-secret is made outside the repository, next to the
    // cloudflare-tunnel-secret an ExternalSecret makes.
    const resources = podinfoWith('{name: podinfo-token, key', '{name: podinfo-id-token, key');
    assert.deepEqual(
      check(resources).map(({ severity, code }) => [severity, code]),
      [['warning', 'missing-secret']],
      'the unit keeps Secrets in the namespace: still a warning, but without "did you mean"',
    );
    assert.doesNotMatch(check(resources)[0]?.message ?? '', /did you mean/);
  });

  it('says as information a reference to a kind the unit keeps none of in the namespace', () => {
    // An HTTPRoute-only unit pointing at a Service a cluster add-on makes: nothing is wrong here.
    const route = unit(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: hubble, namespace: kube-system}
spec:
  rules:
    - backendRefs: [{name: hubble-ui, port: 80}]
`);
    assert.deepEqual(
      check(route).map(({ severity, code, message }) => [severity, code, message]),
      [
        [
          'info',
          'route-backend-missing',
          'Service "hubble-ui" (backend of HTTPRoute "hubble") is not defined in namespace ' +
            '"kube-system" of this unit or workspace; it may be created outside the repository. ' +
            'If not, add the Service; if so, list "hubble-ui" under "Service" among the ' +
            'external resources.',
        ],
      ],
    );
  });

  it('finds a reference in another unit of the workspace, and names a custom resource that may create it', () => {
    const resources = podinfoWith(
      'configMapRef: {name: podinfo-config}',
      'configMapRef: {name: podinfo-settings}',
    );
    const other = new WorkspaceResources([
      {
        resources: unit(
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: podinfo-settings, namespace: podinfo}\n',
        ),
      },
    ]);
    assert.deepEqual(check(resources, { ...OPTIONS, workspace: other }), []);
    const operator = new WorkspaceResources([
      {
        resources: unit(
          'apiVersion: example.io/v1\nkind: AppConfig\nmetadata: {name: settings, namespace: podinfo}\n',
        ),
      },
    ]);
    assert.deepEqual(
      check(resources, { ...OPTIONS, workspace: operator }).map(({ severity, message }) => [
        severity,
        message,
      ]),
      [
        [
          'info',
          'ConfigMap "podinfo-settings" (envFrom of container "podinfod") is not defined in ' +
            'namespace "podinfo" of this unit or workspace; a controller may create it from ' +
            'AppConfig "settings" (example.io), which is not seen here.',
        ],
      ],
    );
  });

  it('reports a missing Secret of a secretKeyRef but not an optional reference', () => {
    const resources = podinfoWith('{name: podinfo-token, key', '{name: podinfo-secret, key');
    const findings = check(resources);
    assert.deepEqual(
      findings.map(({ path, code }) => ({ path, code })),
      [
        {
          path: [
            'spec',
            'template',
            'spec',
            'containers',
            0,
            'env',
            0,
            'valueFrom',
            'secretKeyRef',
            'name',
          ],
          code: 'missing-secret',
        },
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /^Secret "podinfo-secret" \(env PODINFO_TOKEN of container "podinfod"\)/,
    );
  });

  it('reports an env var reading a key the ConfigMap or Secret of the unit does not hold', () => {
    const resources = podinfoWith(
      '{name: podinfo-token, key: token}',
      '{name: podinfo-token, key: api-token}',
    );
    assert.deepEqual(check(resources), [
      {
        resourceId: ID.deployment,
        path: [
          'spec',
          'template',
          'spec',
          'containers',
          0,
          'env',
          0,
          'valueFrom',
          'secretKeyRef',
          'key',
        ],
        severity: 'warning',
        code: 'missing-secret-key',
        message:
          'Secret "podinfo-token" has no key "api-token" (env PODINFO_TOKEN of container ' +
          '"podinfod"), so the container would not start. Use one of its keys ("token") or add ' +
          'the key.',
      },
    ]);
  });

  it('follows volumes, projected sources and imagePullSecrets', () => {
    const resources = podinfoWith(
      `        - name: config
          configMap: {name: podinfo-config}`,
      `        - name: config
          configMap: {name: podinfo-cfg}
        - name: tls
          secret: {secretName: podinfo-tls}
        - name: bundle
          projected:
            sources:
              - configMap: {name: podinfo-config}
              - secret: {name: podinfo-extra}
              - secret: {name: podinfo-maybe, optional: true}
      imagePullSecrets: [{name: registry-creds}]`,
    );
    const podSpec = ['spec', 'template', 'spec'];
    assert.deepEqual(
      check(resources).map(({ resourceId, path, code }) => ({ resourceId, path, code })),
      [
        {
          resourceId: ID.deployment,
          path: [...podSpec, 'volumes', 1, 'configMap', 'name'],
          code: 'missing-configmap',
        },
        {
          resourceId: ID.deployment,
          path: [...podSpec, 'volumes', 2, 'secret', 'secretName'],
          code: 'missing-secret',
        },
        {
          resourceId: ID.deployment,
          path: [...podSpec, 'volumes', 3, 'projected', 'sources', 1, 'secret', 'name'],
          code: 'missing-secret',
        },
        {
          resourceId: ID.deployment,
          path: [...podSpec, 'imagePullSecrets', 0, 'name'],
          code: 'missing-secret',
        },
      ],
    );
    const external = {
      ConfigMap: ['podinfo-cfg'],
      Secret: ['podinfo-tls', 'podinfo-extra', 'registry-creds'],
    };
    assert.deepEqual(check(resources, { ...OPTIONS, external }), []);
  });

  it('counts Secrets that a SealedSecret, ExternalSecret or Certificate creates', () => {
    const producers = `---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: sealed}
spec:
  template: {metadata: {name: registry-creds}}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: podinfo-api}
spec: {target: {name: podinfo-api-key}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: podinfo}
spec: {secretName: podinfo-tls}
`;
    const resources = podinfoWith(
      `      volumes:
        - name: data`,
      `      imagePullSecrets: [{name: registry-creds}, {name: podinfo-api-key}]
      volumes:
        - name: tls
          secret: {secretName: podinfo-tls}
        - name: data`,
      producers,
    );
    assert.deepEqual(check(resources), []);
    const withoutProducers = podinfoWith(
      `      volumes:
        - name: data`,
      `      imagePullSecrets: [{name: registry-creds}, {name: podinfo-api-key}]
      volumes:
        - name: tls
          secret: {secretName: podinfo-tls}
        - name: data`,
    );
    assert.deepEqual(
      check(withoutProducers).map(({ code }) => code),
      ['missing-secret', 'missing-secret', 'missing-secret'],
    );
  });

  it('reports a missing PVC but not the claims of a StatefulSet volumeClaimTemplate', () => {
    const statefulSet = `---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: cache}
spec:
  serviceName: cache
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers: [{name: redis, image: redis:7}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;
    const resources = podinfoWith(
      '          emptyDir: {}',
      '          persistentVolumeClaim: {claimName: data-cache-0}\n' +
        '        - name: uploads\n' +
        '          persistentVolumeClaim: {claimName: uploads}',
      statefulSet,
    );
    assert.deepEqual(check(resources), [
      {
        resourceId: ID.deployment,
        path: ['spec', 'template', 'spec', 'volumes', 1, 'persistentVolumeClaim', 'claimName'],
        severity: 'info',
        code: 'missing-pvc',
        message:
          'PersistentVolumeClaim "uploads" (volume "uploads") is not defined in namespace ' +
          '"podinfo" of this unit or workspace; it may be created outside the repository. If ' +
          'not, add the PersistentVolumeClaim; if so, list "uploads" under ' +
          '"PersistentVolumeClaim" among the external resources.',
        hint: 'externalResources',
      },
    ]);
  });

  it('reports a missing ServiceAccount; "default" is always there', () => {
    const missing = podinfoWith('serviceAccountName: podinfo', 'serviceAccountName: podinfo-sa');
    assert.deepEqual(
      check(missing).map(({ resourceId, path, code }) => ({ resourceId, path, code })),
      [
        {
          resourceId: ID.deployment,
          path: ['spec', 'template', 'spec', 'serviceAccountName'],
          code: 'missing-serviceaccount',
        },
      ],
    );
    assert.deepEqual(
      check(podinfoWith('serviceAccountName: podinfo', 'serviceAccountName: default')),
      [],
    );
    assert.deepEqual(
      check(missing, { ...OPTIONS, external: { ServiceAccount: ['podinfo-sa'] } }),
      [],
    );
  });

  it('reports Flux valuesFrom and substituteFrom sources that are missing', () => {
    const resources = unit(`apiVersion: v1
kind: ConfigMap
metadata: {name: podinfo-values, namespace: flux-system}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: flux-system}
spec:
  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
  valuesFrom:
    - {kind: ConfigMap, name: podinfo-values}
    - {kind: Secret, name: podinfo-secret-values}
    - {kind: Secret, name: podinfo-maybe, optional: true}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  path: ./apps
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substituteFrom:
      - {kind: ConfigMap, name: cluster-vars}
`);
    const findings = check(resources);
    assert.deepEqual(
      findings.map(({ resourceId, path, code }) => ({ resourceId, path, code })),
      [
        { resourceId: '1', path: ['spec', 'valuesFrom', 1, 'name'], code: 'missing-secret' },
        {
          resourceId: '1',
          path: ['spec', 'chart', 'spec', 'sourceRef', 'name'],
          code: 'missing-reference',
        },
        {
          resourceId: '2',
          path: ['spec', 'postBuild', 'substituteFrom', 0, 'name'],
          code: 'missing-configmap',
        },
      ],
    );
    assert.equal(findings[1]?.severity, 'info', 'no HelmRepository is defined here at all');
    assert.match(
      findings[2]?.message ?? '',
      /^ConfigMap "cluster-vars" \(postBuild.substituteFrom\) is not defined in namespace "flux-system"/,
    );
  });

  it('reports Flux dependencies and sources that are not defined (bjw-s/home-ops mistakes)', () => {
    // Flux waits for ever for a missing dependency, and fails on a missing source. The source
    // flux-system (bootstrap, FluxInstance) and objects of that name elsewhere (a namespace set
    // where they are deployed) are not reported.
    const resources = unit(`apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: home-ops-kubernetes, namespace: flux-system}
spec: {url: https://example.com/home-ops.git, interval: 1h}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: bjw-s, namespace: flux-system}
spec: {url: https://bjw-s-labs.github.io/helm-charts, interval: 1h}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: atuin, namespace: flux-system}
spec:
  path: ./apps/atuin
  sourceRef: {kind: GitRepository, name: home-ops-kubernetess}
  dependsOn:
    - name: does-not-exist
    - name: controller
    - name: atuin
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: controller}
spec:
  path: ./apps/controller
  sourceRef: {kind: GitRepository, name: flux-system}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: atuin, namespace: flux-system}
spec:
  chart: {spec: {chart: app-template, sourceRef: {kind: HelmRepository, name: bjw-sx}}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: made, namespace: flux-system}
spec:
  chartRef: {kind: ExternalArtifact, name: generated-chart}
  dependsOn:
    - name: \${UNKNOWN_APP}-db
`);
    const findings = check(resources);
    assert.deepEqual(
      findings.map(({ resourceId, path, severity }) => ({ resourceId, path, severity })),
      [
        { resourceId: '2', path: ['spec', 'dependsOn', 0, 'name'], severity: 'warning' },
        { resourceId: '2', path: ['spec', 'sourceRef', 'name'], severity: 'warning' },
        {
          resourceId: '4',
          path: ['spec', 'chart', 'spec', 'sourceRef', 'name'],
          severity: 'warning',
        },
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /^Kustomization "does-not-exist" \(dependsOn\) is not defined in namespace "flux-system"/,
    );
    assert.match(findings[1]?.message ?? '', /did you mean "home-ops-kubernetes"\?/);
    assert.match(findings[2]?.message ?? '', /did you mean "bjw-s"\?/);
  });

  it('reports Ingress backends naming a missing Service or a port it does not expose', () => {
    const missing = podinfoWith(
      'name: podinfo\n                port',
      'name: podinfo-web\n                port',
    );
    assert.deepEqual(
      check(missing).map(({ resourceId, path, code }) => ({ resourceId, path, code })),
      [
        {
          resourceId: ID.ingress,
          path: ['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'name'],
          code: 'ingress-backend-missing',
        },
      ],
    );
    assert.deepEqual(check(missing, { ...OPTIONS, external: { Service: ['podinfo-web'] } }), []);

    assert.deepEqual(check(podinfoWith('port: {number: 9898}', 'port: {number: 80}')), [
      {
        resourceId: ID.ingress,
        path: ['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'port', 'number'],
        severity: 'warning',
        code: 'ingress-backend-port-missing',
        message:
          'Service "podinfo" exposes no port 80, so Ingress "podinfo" cannot reach it. Use one of ' +
          'its ports: 9898, 9999, "http", "grpc".',
      },
    ]);
    assert.deepEqual(check(podinfoWith('port: {number: 9898}', 'port: {name: http}')), []);
    assert.deepEqual(
      check(podinfoWith('port: {number: 9898}', 'port: {name: web}')).map(({ path }) => path),
      [['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'port', 'name']],
    );
  });

  it('checks the default backend of an Ingress too', () => {
    const resources = podinfoWith(
      '  ingressClassName: nginx',
      '  ingressClassName: nginx\n  defaultBackend: {service: {name: fallback, port: {number: 80}}}',
    );
    assert.deepEqual(
      check(resources).map(({ path, code }) => ({ path, code })),
      [{ path: ['spec', 'defaultBackend', 'service', 'name'], code: 'ingress-backend-missing' }],
    );
  });

  it('reports HTTPRoute backendRefs naming a missing Service or port', () => {
    const route = `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: podinfo}
spec:
  parentRefs: [{name: public, namespace: gateway}]
  rules:
    - backendRefs:
        - {name: podinfo, port: 9898}
        - {name: podinfo, port: 8080}
        - {name: podinfo-canary, port: 9898}
        - {group: example.com, kind: Bucket, name: assets}
    - backendRefs:
        - {name: podinfo}
`;
    const findings = check(unit(PODINFO + route));
    assert.deepEqual(
      findings.map(({ resourceId, path, code }) => ({ resourceId, path, code })),
      [
        {
          resourceId: '9',
          path: ['spec', 'rules', 0, 'backendRefs', 1, 'port'],
          code: 'route-backend-port-missing',
        },
        {
          resourceId: '9',
          path: ['spec', 'rules', 0, 'backendRefs', 2, 'name'],
          code: 'route-backend-missing',
        },
        {
          resourceId: '9',
          path: ['spec', 'rules', 1, 'backendRefs', 0],
          code: 'route-backend-port-missing',
        },
      ],
    );
    assert.equal(
      findings[2]?.message,
      'The backend Service "podinfo" of HTTPRoute "podinfo" has no port: set port to one the ' +
        'Service exposes (9898, 9999, "http", "grpc").',
    );
    assert.equal(
      findings[0]?.message,
      'Service "podinfo" exposes no port 8080, so HTTPRoute "podinfo" cannot reach it. Use one of ' +
        'its ports: 9898, 9999, "http", "grpc".',
    );
  });

  it('reports an HPA whose scale target is not in the unit', () => {
    const resources = podinfoWith(
      'kind: Deployment, name: podinfo}',
      'kind: Deployment, name: podinfoo}',
    );
    assert.deepEqual(check(resources), [
      {
        resourceId: ID.autoscaler,
        path: ['spec', 'scaleTargetRef', 'name'],
        severity: 'warning',
        code: 'hpa-target-missing',
        message:
          'Deployment "podinfoo" (scaleTargetRef of HorizontalPodAutoscaler "podinfo") is not ' +
          'defined in namespace "podinfo" of this unit: did you mean "podinfo"? Fix the name, or, ' +
          `if "podinfoo" is created outside this unit, list it under "Deployment" ${EXTERNAL_HINT}`,
        hint: 'externalResources',
      },
    ]);
    const wrongGroup = podinfoWith(
      'apiVersion: apps/v1, kind: Deployment',
      'apiVersion: example.com/v1, kind: Deployment',
    );
    assert.deepEqual(
      check(wrongGroup).map(({ severity, code }) => [severity, code]),
      [['warning', 'hpa-target-missing']],
    );
  });

  it('warns on spec.replicas of a workload that an autoscaler scales, with the usual fix', () => {
    const resources = podinfoWith(
      'spec:\n  selector: {matchLabels: {app.kubernetes.io/name: podinfo}}',
      'spec:\n  replicas: 3\n  selector: {matchLabels: {app.kubernetes.io/name: podinfo}}',
    );
    assert.deepEqual(check(resources), [
      {
        resourceId: ID.deployment,
        path: ['spec', 'replicas'],
        severity: 'warning',
        code: 'hpa-replicas-conflict',
        message:
          'HorizontalPodAutoscaler "podinfo" scales Deployment "podinfo" (2 to 4 replicas), and ' +
          'Git also sets its spec.replicas to 3: each sync puts 3 back, the autoscaler scales it ' +
          'again, and the app shows OutOfSync whenever it has scaled. Remove spec.replicas from ' +
          'Git and let the autoscaler own the count.',
      },
    ]);
    assert.deepEqual(check(unit(PODINFO)), [], 'no finding when Git leaves the count alone');
  });

  it('reports a PodDisruptionBudget that nearly selects a workload of the unit', () => {
    const resources = podinfoWith(
      'matchLabels: {app.kubernetes.io/name: podinfo}\n',
      'matchLabels: {app.kubernetes.io/name: podinfo-api}\n',
    );
    assert.deepEqual(check(resources), [
      {
        resourceId: ID.budget,
        path: ['spec', 'selector'],
        severity: 'warning',
        code: 'pdb-selects-nothing',
        message:
          'PodDisruptionBudget "podinfo" selects (app.kubernetes.io/name=podinfo-api) the pods of ' +
          'no workload in namespace "podinfo" of this unit, so it protects nothing here. Make ' +
          'spec.selector match the pod template labels of the workload it should protect ' +
          '(Deployment "podinfo" has pod labels app.kubernetes.io/name=podinfo, ' +
          'app.kubernetes.io/version=6.7.1).',
      },
    ]);
  });

  it('says only as information that a selector matches nothing it can see', () => {
    // No workload of the unit shares a label key: the pods may come from another unit.
    const elsewhere = podinfoWith(
      'matchLabels: {app.kubernetes.io/name: podinfo}\n',
      'matchLabels: {app: podinfo}\n',
    );
    assert.deepEqual(
      check(elsewhere).map(({ severity, code, message }) => [severity, code, message]),
      [
        [
          'info',
          'pdb-selects-nothing',
          'PodDisruptionBudget "podinfo" selects (app=podinfo) the pods of no workload in ' +
            'namespace "podinfo" of this unit; its pods may be created outside this unit, which ' +
            'is not seen here.',
        ],
      ],
    );
    // A Prometheus resource: the operator makes the pods the Service and the budget select.
    const operator = podinfoWith(
      'matchLabels: {app.kubernetes.io/name: podinfo}\n',
      'matchLabels: {app.kubernetes.io/name: prometheus}\n',
      `---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s}
spec: {replicas: 2}
---
apiVersion: v1
kind: Service
metadata: {name: prometheus-k8s}
spec:
  selector: {app.kubernetes.io/name: prometheus, prometheus: k8s}
  ports: [{name: web, port: 9090, targetPort: web}]
`,
    );
    assert.deepEqual(
      check(operator).map(({ severity, code, message }) => [severity, code, message]),
      [
        [
          'info',
          'pdb-selects-nothing',
          'PodDisruptionBudget "podinfo" selects (app.kubernetes.io/name=prometheus) the pods of ' +
            'no workload in namespace "podinfo" of this unit; its pods may come from Prometheus ' +
            '"k8s" (monitoring.coreos.com), which an operator turns into pods not seen here.',
        ],
        [
          'info',
          'service-selects-nothing',
          'Service selector app.kubernetes.io/name=prometheus, prometheus=k8s matches the pod ' +
            'labels of no workload in namespace "podinfo" of this unit; its pods may come from ' +
            'Prometheus "k8s" (monitoring.coreos.com), which an operator turns into pods not seen here.',
        ],
      ],
    );
  });

  it('does not take a certificate, an external secret or a ServiceMonitor for a maker of pods', () => {
    // opentelemetry-operator's openshift overlay: a Service selecting a Deployment moved to
    // another namespace was an information "its pods may come from Certificate ...".
    const configOnly = podinfoWith(
      'selector: {app.kubernetes.io/name: podinfo}\n  ports',
      'selector: {app.kubernetes.io/name: podinfo-web}\n  ports',
      `---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: serving-cert}
spec: {secretName: serving-cert, issuerRef: {name: selfsigned}, dnsNames: [podinfo]}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: token}
spec: {secretStoreRef: {name: vault, kind: ClusterSecretStore}, data: []}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: podinfo}
spec: {selector: {matchLabels: {app: podinfo}}, endpoints: [{port: http}]}
`,
    );
    assert.deepEqual(
      check(configOnly).map(({ severity, code }) => [severity, code]),
      [['warning', 'service-selects-nothing']],
    );
  });

  it('reports the second of two resources with the same group, kind, namespace and name', () => {
    const duplicates = `---
apiVersion: v1
kind: ConfigMap
metadata: {name: podinfo-config, namespace: podinfo}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: podinfo-config, namespace: other}
---
apiVersion: v1
kind: Namespace
metadata: {name: podinfo, namespace: podinfo}
---
apiVersion: example.com/v1
kind: ConfigMap
metadata: {name: podinfo-config}
`;
    assert.deepEqual(check(unit(PODINFO + duplicates)), [
      {
        resourceId: '9',
        path: ['metadata', 'name'],
        severity: 'error',
        code: 'duplicate-resource',
        message:
          'Another ConfigMap named "podinfo-config" in namespace "podinfo" comes earlier in this ' +
          'unit: applying the unit keeps only one of them. Rename or remove one of the two.',
      },
      {
        resourceId: '11',
        path: ['metadata', 'name'],
        severity: 'error',
        code: 'duplicate-resource',
        message:
          'Another Namespace named "podinfo" comes earlier in this unit: applying the unit keeps ' +
          'only one of them. Rename or remove one of the two.',
      },
    ]);
  });

  it('never throws, whatever shape a field of the unit has', () => {
    const resources = unit(PODINFO);
    const paths = resources.flatMap((resource, r) =>
      fieldPaths(resource.object).map((path) => ({ r, path })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        ({ r, path }, value) => {
          const mutated = resources.map((resource, i) =>
            i === r
              ? {
                  ...resource,
                  object: replaced(resource.object, path, value) as Record<string, unknown>,
                }
              : resource,
          );
          assert.ok(Array.isArray(crossResourceChecks(mutated, OPTIONS)));
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** Every path to a field or item in a parsed object. */
function fieldPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => [[...prefix, i], ...fieldPaths(item, [...prefix, i])]);
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...fieldPaths(item, [...prefix, key]),
    ]);
  }
  return [];
}

/** A deep copy of `value` with the field at `path` set to `replacement`. */
function replaced(
  value: unknown,
  path: readonly (string | number)[],
  replacement: unknown,
): unknown {
  const [head, ...rest] = path;
  if (head === undefined) {
    return replacement;
  }
  if (Array.isArray(value)) {
    return (value as unknown[]).map((item, i) =>
      i === head ? replaced(item, rest, replacement) : item,
    );
  }
  const object = value as Record<string, unknown>;
  return { ...object, [head]: replaced(object[head], rest, replacement) };
}
