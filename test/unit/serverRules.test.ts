import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { crdsInText, validateManifestText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { bundledRegistry } from './support/schemas';

/*
 * Rules of the API server's Go validation (k8s.io/kubernetes pkg/apis/*\/validation) that the
 * differential oracle (`npm run oracle`) found missing or wrong. Each rejection quotes the
 * words of kube-apiserver's own message; each acceptance is a case it accepts.
 */

let registry: SchemaRegistry;

function findingsOf(
  text: string,
  severity: 'error' | 'warning' = 'error',
  partial = false,
): string[] {
  return validateManifestText(text, { schemas: registry, ...(partial ? { partial } : {}) })
    .findings.filter((finding) => finding.severity === severity)
    .map((finding) => finding.message);
}

function pod(spec: string, name = 'p'): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

const CONTAINER = '  containers:\n    - name: a\n      image: x\n';

function divisorPod(resource: string, divisor: string): string {
  return pod(
    `${CONTAINER}      env:\n        - name: A\n          valueFrom:\n            resourceFieldRef:\n              resource: ${resource}\n              divisor: ${divisor}\n`,
  );
}

function workload(kind: string, spec: string, template = ''): string {
  return `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: w\nspec:\n${spec}  selector:\n    matchLabels:\n      app: w\n  template:\n    metadata:\n      labels:\n        app: w\n${template}    spec:\n      containers:\n        - name: a\n          image: x\n`;
}

function job(spec: string, name = 'report'): string {
  return `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\nspec:\n${spec}  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: a\n          image: x\n`;
}

function autoscaler(spec: string): string {
  return `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: shop\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: shop\n  maxReplicas: 5\n${spec}`;
}

function ingress(spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n${spec}`;
}

describe('API server rules the oracle found', () => {
  before(async () => {
    registry = await bundledRegistry();
  });

  it('compares a resourceFieldRef divisor as the text the API server keeps, not by value', () => {
    // ParseQuantity keeps "+1" and 1024 as written, and canonicalizes "1000m" and "1024Ki".
    for (const [resource, divisor] of [
      ['limits.cpu', '"+1"'],
      ['requests.memory', '1024'],
      ['limits.memory', '"01"'],
    ] as const) {
      const [message, ...rest] = findingsOf(divisorPod(resource, divisor));
      assert.equal(rest.length, 0);
      assert.match(
        message ?? '',
        /^spec\.containers\[0\]\.env\[0\]\.valueFrom\.resourceFieldRef\.divisor: Invalid value .*: .* supports the divisors 1/,
      );
    }
    for (const [resource, divisor] of [
      ['limits.cpu', '1000m'],
      ['limits.cpu', '"1.000"'],
      ['requests.memory', '1024Ki'],
      ['requests.memory', '1000k'],
    ] as const) {
      assert.deepEqual(findingsOf(divisorPod(resource, divisor)), [], `${resource} ${divisor}`);
    }
  });

  it('accepts a sysctl without a value, wherever the pod spec sits', () => {
    assert.deepEqual(
      findingsOf(
        pod(
          `  securityContext:\n    sysctls:\n      - name: net.ipv4.tcp_syncookies\n${CONTAINER}`,
        ),
      ),
      [],
    );
  });

  it('checks revisionHistoryLimit of a DaemonSet but not of a StatefulSet, as the server does', () => {
    assert.deepEqual(
      findingsOf(workload('StatefulSet', '  serviceName: w\n  revisionHistoryLimit: -1\n')),
      [],
    );
    assert.deepEqual(findingsOf(workload('DaemonSet', '  revisionHistoryLimit: -1\n')), [
      'spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0.',
    ]);
  });

  it('refuses shareProcessNamespace together with hostPID', () => {
    assert.deepEqual(
      findingsOf(pod(`  hostPID: true\n  shareProcessNamespace: true\n${CONTAINER}`)),
      [
        'spec.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled.',
      ],
    );
  });

  it('checks the annotation keys of a pod template', () => {
    const [message, ...rest] = findingsOf(
      workload('Deployment', '', '      annotations:\n        bad key: x\n'),
    );
    assert.equal(rest.length, 0);
    assert.match(
      message ?? '',
      /^spec\.template\.metadata\.annotations\.bad key: Invalid annotation key "bad key": it must .*alphanumeric/,
    );
  });

  it('takes a Job deadline of 0 and refuses a negative one', () => {
    assert.deepEqual(findingsOf(job('  activeDeadlineSeconds: 0\n')), []);
    assert.deepEqual(findingsOf(job('  activeDeadlineSeconds: -1\n')), [
      'spec.activeDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0.',
    ]);
  });

  it('limits a Job name to a label value, and an Indexed Job name to a host name with its index', () => {
    const [long] = findingsOf(job('', 'j'.repeat(64)));
    assert.match(long ?? '', /^metadata\.name: Invalid value "j{64}": a Job name is a label value/);
    const [indexed] = findingsOf(
      job('  completionMode: Indexed\n  completions: 10\n', 'a'.repeat(62)),
    );
    assert.match(indexed ?? '', /must be a DNS label/);
    assert.deepEqual(
      findingsOf(job('  completionMode: Indexed\n  completions: 10\n', 'a'.repeat(61))),
      [],
    );
  });

  it('needs the resource name of an HPA resource metric', () => {
    assert.deepEqual(
      findingsOf(
        autoscaler(
          '  metrics:\n    - type: Resource\n      resource:\n        name: ""\n        target:\n          type: Utilization\n          averageUtilization: 80\n',
        ),
      ),
      ['spec.metrics[0].resource.name: Required value: must specify a resource name.'],
    );
  });

  it('warns about minReplicas 0 (the HPAScaleToZero gate may be on) instead of refusing it', () => {
    const text = autoscaler(
      '  minReplicas: 0\n  metrics:\n    - type: External\n      external:\n        metric: {name: queue_depth}\n        target: {type: Value, value: "10"}\n',
    );
    assert.deepEqual(findingsOf(text), []);
    const [warning] = findingsOf(text, 'warning');
    assert.match(
      warning ?? '',
      /^spec\.minReplicas: minReplicas 0 needs the HPAScaleToZero feature gate/,
    );
  });

  it('refuses minReplicas 0 without an Object or External metric, gate or not', () => {
    // The API server (podinfo copy with minReplicas 0): "spec.metrics: Forbidden: must specify
    // at least one Object or External metric to support scaling to zero replicas".
    const resourceOnly = autoscaler(
      '  minReplicas: 0\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: Utilization, averageUtilization: 80}\n',
    );
    assert.deepEqual(findingsOf(resourceOnly), [
      'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas: a Resource or Pods metric has no pods to read at zero.',
    ]);
    assert.match(
      findingsOf(autoscaler('  minReplicas: 0\n'))[0] ?? '',
      /^spec\.minReplicas: Forbidden: must specify at least one Object or External metric/,
    );
  });

  it('refuses a recursiveReadOnly value outside its enum', () => {
    const [message] = findingsOf(
      pod(
        `  volumes:\n    - name: v\n      emptyDir: {}\n${CONTAINER}      volumeMounts:\n        - name: v\n          mountPath: /v\n          readOnly: true\n          recursiveReadOnly: Sometimes\n`,
      ),
    );
    assert.equal(
      message,
      'spec.containers[0].volumeMounts[0].recursiveReadOnly: Unsupported value "Sometimes": use "Disabled", "Enabled" or "IfPossible".',
    );
  });

  it('refuses a container resource claim the pod does not declare', () => {
    const [message] = findingsOf(
      pod(`${CONTAINER}      resources:\n        claims:\n          - name: gpu\n`),
    );
    assert.match(
      message ?? '',
      /^spec\.containers\[0\]\.resources\.claims\[0\]\.name: Not found: "gpu"/,
    );
  });

  it('takes an IP address as an Ingress TLS host but not as a rule host', () => {
    assert.deepEqual(
      findingsOf(
        ingress(
          '  defaultBackend:\n    service:\n      name: s\n      port:\n        number: 80\n  tls:\n    - hosts:\n        - 10.0.0.1\n',
        ),
      ),
      [],
    );
    const [message] = findingsOf(
      ingress(
        '  rules:\n    - host: 10.0.0.1\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: s\n                port:\n                  number: 80\n',
      ),
    );
    assert.match(message ?? '', /must be a DNS name, not an IP address/);
  });

  it('checks the API group of an Ingress resource backend', () => {
    const [message] = findingsOf(
      ingress(
        '  defaultBackend:\n    resource:\n      apiGroup: Bad_Group\n      kind: Bucket\n      name: assets\n',
      ),
    );
    assert.match(
      message ?? '',
      /^spec\.defaultBackend\.resource\.apiGroup: Invalid value "Bad_Group"/,
    );
  });

  it('refuses a negative emptyDir size limit', () => {
    assert.deepEqual(
      findingsOf(
        pod(`  volumes:\n    - name: v\n      emptyDir:\n        sizeLimit: "-1"\n${CONTAINER}`),
      ),
      [
        'spec.volumes[0].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity: a size is not negative.',
      ],
    );
  });

  it('takes an empty PVC retention policy value (defaulted to Retain)', () => {
    assert.deepEqual(
      findingsOf(
        workload(
          'StatefulSet',
          '  serviceName: w\n  persistentVolumeClaimRetentionPolicy:\n    whenScaled: ""\n',
        ),
      ),
      [],
    );
  });

  it('takes a Job pod failure policy without rules', () => {
    assert.deepEqual(findingsOf(job('  podFailurePolicy: {}\n')), []);
  });

  it('only warns about a stop signal outside the enum: the field is dropped unless its alpha gate is on', () => {
    const text = pod(`${CONTAINER}      lifecycle:\n        stopSignal: sigabrt\n`);
    assert.deepEqual(findingsOf(text), []);
    const [warning] = findingsOf(text, 'warning');
    assert.match(
      warning ?? '',
      /^Unsupported value "sigabrt" for spec\.containers\[0\]\.lifecycle\.stopSignal: .* ContainerStopSignals feature gate/,
    );
  });

  it('needs the name of an envFrom source (server: "envFrom[0].configMapRef.name: Required value")', () => {
    for (const key of ['configMapRef', 'secretRef']) {
      assert.deepEqual(
        findingsOf(
          pod(`${CONTAINER}      envFrom:\n        - ${key}:\n            optional: true\n`),
        ),
        [
          `spec.containers[0].envFrom[0].${key}: name is required: name the ConfigMap or Secret to read.`,
        ],
      );
    }
  });

  it("needs a ClusterRoleBinding's ServiceAccount namespace unless kustomize's namespace: sets it", () => {
    const binding =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nsubjects:\n  - kind: ServiceAccount\n    name: job\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: r\n';
    assert.deepEqual(findingsOf(binding), [
      "subjects[0]: namespace is required: a ClusterRoleBinding must name the ServiceAccount's namespace.",
    ]);
    const underNamespace = validateManifestText(binding, {
      schemas: registry,
      context: { namespaceSetByKustomize: true },
    }).findings;
    assert.deepEqual(underNamespace, []);
  });

  it('judges rules between fields on the patched result, not on a patch', () => {
    const patch =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  selector:\n    matchLabels:\n      app: other\n  minReadySeconds: 30\n  progressDeadlineSeconds: 10\n';
    assert.deepEqual(findingsOf(patch, 'error', true), []);
    assert.ok(findingsOf(patch).some((message) => /progressDeadlineSeconds/.test(message)));
  });
});

describe('CRD value validations', () => {
  const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets, singular: gadget, listKind: GadgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              oneOf:
                - required: [url]
                - required: [path]
              properties:
                url: {type: string}
                path: {type: string}
                address: {type: string, format: ipv4}
`;

  before(async () => {
    registry = await bundledRegistry();
    registry.setWorkspaceCrds('gadget-crd.yaml', crdsInText(CRD));
  });

  const gadget = (spec: string): string =>
    `apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n${spec}`;

  it('checks oneOf on the value, but not on a patch or a Flux variable', () => {
    assert.deepEqual(findingsOf(gadget('  url: https://example.com\n')), []);
    assert.deepEqual(findingsOf(gadget('  url: a\n  path: b\n')), [
      'spec: must validate one and only one schema (oneOf): 2 match.',
    ]);
    assert.deepEqual(findingsOf(gadget('  address: 10.0.0.1\n'), 'error', true), []);
  });

  it('checks the formats the API server checks', () => {
    assert.deepEqual(findingsOf(gadget('  url: a\n  address: 10.0.0.1\n')), []);
    const [message] = findingsOf(gadget('  url: a\n  address: 10.0.0.300\n'));
    assert.match(message ?? '', /must be an IPv4 address \(format ipv4\)/);
  });
});

describe('YAML scalars as Kubernetes reads them (go-yaml v2), checked against kube-apiserver', () => {
  before(async () => {
    registry = await bundledRegistry();
  });

  const configMap = (value: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: ${value}\n`;

  it('reads sexagesimal-looking values, "e1", "." and ".e1" as strings', () => {
    for (const value of ['1:30', '190:20:30.15', 'e1', '.', '-.', '.e1', '._5']) {
      assert.deepEqual(findingsOf(configMap(value)), [], value);
    }
  });

  it('reads what Go parses as a number as one, so a string field refuses it', () => {
    for (const [value, number] of [
      ['0b101', '5'],
      ['017', '15'],
      ['0o17', '15'],
      ['+_1', '1'],
      ['1_000', '1000'],
      ['.5e3', '500'],
    ] as const) {
      assert.deepEqual(
        findingsOf(configMap(value)),
        [`Wrong type for data.a: expected a string, found the number ${number}.`],
        value,
      );
    }
  });
});

describe('long values in findings', () => {
  before(async () => {
    registry = await bundledRegistry();
  });

  it('quotes a 30,000-character value cut short, with the count of what was left out', () => {
    const long = 'x'.repeat(30_000);
    const messages = findingsOf(
      pod(`  containers:\n    - name: a\n      image: x\n      imagePullPolicy: ${long}\n`),
    );
    const message = messages.find((text) => text.includes('imagePullPolicy'));
    assert.ok(message, `a finding on imagePullPolicy among: ${messages.join(' | ')}`);
    assert.ok(message.length < 400, message);
    assert.match(message, /"x{79}… \(29922 more characters\)/);
  });
});
