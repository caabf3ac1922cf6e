// Where a rendered finding of a kustomization lands in its sources. One caused by a Flux
// Kustomization's spec.patches is placed on the patch line that sets the field, not on every
// resource the patch changed (billimek/k8s-gitops: one wrong value in a patch of every
// HelmRelease was 71 errors on 71 files that were right); one in a list a patch reordered, on the
// item of the same name.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { fieldInFluxPatches, fieldInPatchText } from '../../server/src/engine/check/fluxPatchPlace';
import { renderedFindings } from '../../server/src/engine/check/renderedFindings';
import type { RenderedResource, RenderUnit } from '../../server/src/engine/render/types';
import type { SchemaRegistry } from '../../server/src/engine/schemas/schemaRegistry';
import { bundledRegistry } from './support/schemas';

const CLUSTER = `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://example.com/repo.git
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./kubernetes
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  patches:
    - patch: |-
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: _
        spec:
          upgrade:
            crds: Bogus
          maxHistory: 3
      target:
        group: helm.toolkit.fluxcd.io
        kind: HelmRelease
    - patch: |
        - op: add
          path: /spec/template/spec/priorityClassName
          value: critical
        - op: replace
          path: /spec/template/metadata
          value:
            labels:
              tier: "front end"
      target:
        kind: Deployment
        name: web-.*
`;
// 1-based: the Flux Kustomization's document starts on line 11.
const KUSTOMIZATION_LINE = 11;

const at = (line: number, character: number, endCharacter: number) => ({
  start: { line, character },
  end: { line, character: endCharacter },
});

describe("a field a Flux Kustomization's patch sets", () => {
  const release = { kind: 'HelmRelease', name: 'cert-manager' };

  it('is found in a strategic merge patch, on the value or on the key', () => {
    const crds = ['spec', 'upgrade', 'crds'];
    assert.deepEqual(
      fieldInFluxPatches(CLUSTER, KUSTOMIZATION_LINE, release, crds, 'value'),
      at(30, 18, 23),
    );
    assert.deepEqual(
      fieldInFluxPatches(CLUSTER, KUSTOMIZATION_LINE, release, crds, 'key'),
      at(30, 12, 16),
    );
  });

  it('is found in a JSON 6902 operation, inside the object it writes too', () => {
    const web = { kind: 'Deployment', name: 'web-frontend' };
    const priority = ['spec', 'template', 'spec', 'priorityClassName'];
    assert.deepEqual(
      fieldInFluxPatches(CLUSTER, KUSTOMIZATION_LINE, web, priority, 'value'),
      at(38, 17, 25),
    );
    const tier = ['spec', 'template', 'metadata', 'labels', 'tier'];
    assert.deepEqual(
      fieldInFluxPatches(CLUSTER, KUSTOMIZATION_LINE, web, tier, 'value'),
      at(43, 20, 31),
    );
  });

  it('is not claimed for a resource no patch targets, nor for a field no patch writes', () => {
    const other = { kind: 'Deployment', name: 'api' };
    const priority = ['spec', 'template', 'spec', 'priorityClassName'];
    assert.equal(
      fieldInFluxPatches(CLUSTER, KUSTOMIZATION_LINE, other, priority, 'value'),
      undefined,
    );
    assert.equal(
      fieldInFluxPatches(CLUSTER, KUSTOMIZATION_LINE, release, ['spec', 'interval'], 'value'),
      undefined,
    );
    assert.equal(
      fieldInFluxPatches(CLUSTER, 2, release, ['spec', 'upgrade', 'crds'], 'value'),
      undefined,
    );
  });
});

describe('a rendered finding caused by the patch', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });
  const CLUSTER_FILE = path.resolve('/repo/setup/cluster.yaml');
  const RELEASE_FILE = path.resolve('/repo/kubernetes/cert-manager/release.yaml');
  const RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cert-manager
  namespace: cert-manager
spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: cert-manager
  upgrade:
    crds: CreateReplace
`;
  const unit: RenderUnit = {
    kind: 'flux-kustomization',
    id: 'flux-kustomization:cluster-apps',
    name: 'cluster-apps',
    root: path.resolve('/repo/kubernetes'),
    renderer: 'kustomize',
    definedIn: { file: CLUSTER_FILE, line: KUSTOMIZATION_LINE },
  };
  const rendered = (text: string): RenderedResource => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'cert-manager',
    namespace: 'cert-manager',
    text,
    origin: { file: RELEASE_FILE, line: 1, via: CLUSTER_FILE },
  });
  const read = (file: string): string | undefined =>
    file === CLUSTER_FILE ? CLUSTER : file === RELEASE_FILE ? RELEASE : undefined;
  /** The schema findings: the releases' OCIRepository is outside this unit (an information). */
  const schemaFindings = (resources: RenderedResource[]) =>
    renderedFindings(unit, resources, registry, read).filter(
      (finding) => finding.code !== 'missing-reference',
    );

  it('is placed on the patch line, not on the release that wrote a right value there', () => {
    const text = `${RELEASE.replace('crds: CreateReplace', 'crds: Bogus')}  maxHistory: 3\n`;
    const findings = schemaFindings([rendered(text)]);
    assert.deepEqual(
      findings.map((f) => [f.code, f.file, f.range.start.line, f.range.start.character]),
      [['invalid-enum', CLUSTER_FILE, 30, 18]],
    );
  });

  it('is one finding for every release the patch changed, saying how many', () => {
    const text = `${RELEASE.replace('crds: CreateReplace', 'crds: Bogus')}  maxHistory: 3\n`;
    const other = (name: string): RenderedResource => ({
      ...rendered(text.replaceAll('cert-manager', name)),
      name,
      namespace: name,
    });
    const findings = schemaFindings([rendered(text), other('traefik'), other('longhorn')]);
    assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
    assert.match(
      findings[0]?.message ?? '',
      /\(rendered HelmRelease cert-manager\/cert-manager and 2 more resources of /,
    );
  });

  it("leaves a field the resource lacks on the resource: the patch's parent key did not cause it", () => {
    const text = `${RELEASE.replace('  chartRef:\n    kind: OCIRepository\n    name: cert-manager\n', '')}  maxHistory: 3\n`;
    const findings = renderedFindings(unit, [rendered(text)], registry, read);
    assert.ok(findings.length > 0, 'the missing chart is reported');
    assert.ok(
      findings.every((f) => f.file === RELEASE_FILE),
      JSON.stringify(findings.map((f) => [f.code, f.file, f.range.start.line])),
    );
  });
});

describe('a rendered finding in a list a patch reordered', () => {
  it('is placed on the item of the same name in the source, not the same index', async () => {
    // opentelemetry-operator's config/default: after kustomize the containers were
    // [manager, extra], the source file had [extra, manager], and the finding on the extra
    // container's port landed on the manager's valid port.
    const container = (name: string, port: number): string =>
      `        - name: ${name}\n          image: ${name}:1\n          ports:\n            - containerPort: ${port}\n`;
    const source = head + container('extra', 99999) + container('manager', 8443);
    const text = head + container('manager', 8443) + container('extra', 99999);
    // No parsed object kept with it (kustomize's output with origins): its text is read.
    const findings = await managerFindings(source, text);
    const port = findings.find((f) => /containerPort/.test(f.message));
    assert.ok(port, JSON.stringify(findings.map((f) => f.message)));
    // Line 16 (0-based 15) is the extra container's `- containerPort: 99999`.
    assert.equal(port.file, SOURCE);
    assert.equal(source.split('\n')[port.range.start.line]?.trim(), '- containerPort: 99999');
  });
});

describe("a kustomization's JSON 6902 patch file", () => {
  it('places a field of an item it appends (`/-`) on the item it adds', () => {
    const patch =
      '- op: add\n  path: "/spec/template/spec/containers/0/args"\n  value: [--v=2]\n- op: add\n  path: "/spec/template/spec/containers/0/env/-"\n  value:\n    name: METRICS_ADDR\n    valu: ":8443"\n';
    const deployment = { kind: 'Deployment', name: 'manager' };
    const key = fieldInPatchText(
      patch,
      deployment,
      ['spec', 'template', 'spec', 'containers', 0, 'env', 4, 'valu'],
      'key',
    );
    assert.deepEqual(key, { start: { line: 7, character: 4 }, end: { line: 7, character: 8 } });
    const none = fieldInPatchText(
      patch,
      deployment,
      ['spec', 'template', 'spec', 'containers', 1, 'env', 4, 'valu'],
      'key',
    );
    assert.equal(none, undefined, 'another container');
  });
});

describe('a rendered finding is not pinned on a source that does not write it', () => {
  const FLUX = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  patches:
    - patch: |
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          template:
            spec:
              containers:
                - name: sidecar
                  ports:
                    - containerPort: 8080
      target:
        kind: Deployment
        name: app
    - patch: |
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
        spec:
          replicas: 2
    - patch: |
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: any
        spec:
          minReadySeconds: 5
      target:
        labelSelector: tier=web
`;
  const rendered = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'app', ports: [{ containerPort: 70000 }] },
            { name: 'sidecar', ports: [{ containerPort: 8080 }] },
          ],
        },
      },
    },
  };

  it("matches the containers of a patch by name: the first rendered one is not the patch's first", () => {
    const app = { kind: 'Deployment', name: 'app', object: rendered };
    const port = ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'];
    assert.equal(fieldInFluxPatches(FLUX, 1, app, port, 'value'), undefined);
    const sidecar = ['spec', 'template', 'spec', 'containers', 1, 'ports', 0, 'containerPort'];
    assert.equal(fieldInFluxPatches(FLUX, 1, app, sidecar, 'value')?.start.line, 20);
  });

  it('takes a patch without target only for the resource it names, and no label-selector target', () => {
    const web = { kind: 'Deployment', name: 'web' };
    assert.equal(fieldInFluxPatches(FLUX, 1, web, ['spec', 'replicas'], 'value'), undefined);
    const api = { kind: 'Deployment', name: 'api' };
    assert.equal(fieldInFluxPatches(FLUX, 1, api, ['spec', 'replicas'], 'value')?.start.line, 30);
    assert.equal(fieldInFluxPatches(FLUX, 1, web, ['spec', 'minReadySeconds'], 'value'), undefined);
  });

  it('does not put a finding on an item a patch added onto the source item at its index', async () => {
    // kubebuilder: a patch without target adds kube-rbac-proxy before the manager.
    const source = `${head}        - name: manager\n          image: manager:1\n          ports:\n            - containerPort: 8443\n`;
    const text = `${head}        - name: kube-rbac-proxy\n          image: proxy:1\n          ports:\n            - containerPort: 99999\n        - name: manager\n          image: manager:1\n          ports:\n            - containerPort: 8443\n`;
    const findings = await managerFindings(source, text);
    const port = findings.find((f) => /containerPort/.test(f.message));
    assert.ok(port, JSON.stringify(findings.map((f) => f.message)));
    assert.notEqual(
      source.split('\n')[port.range.start.line]?.trim(),
      '- containerPort: 8443',
      "not on the manager's valid port",
    );
    assert.match(
      port.message,
      /field spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort/,
    );
  });
});

const SOURCE = path.resolve('/repo/config/manager/manager.yaml');

/** The head of a kubebuilder manager Deployment, up to its containers. */
const head =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: manager\nspec:\n  selector:\n    matchLabels: {app: m}\n  template:\n    metadata:\n      labels: {app: m}\n    spec:\n      containers:\n';

/** The rendered findings of a kustomize unit that renders `text` from `source` (manager.yaml). */
async function managerFindings(
  source: string,
  text: string,
): Promise<ReturnType<typeof renderedFindings>> {
  const unit: RenderUnit = {
    kind: 'kustomize',
    id: 'kustomize:config/default',
    name: 'config/default',
    root: path.resolve('/repo/config/default'),
    renderer: 'kustomize',
  };
  return renderedFindings(
    unit,
    [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'manager',
        text,
        origin: { file: SOURCE, line: 1 },
      },
    ],
    await bundledRegistry(),
    (file) => (file === SOURCE ? source : undefined),
  );
}
