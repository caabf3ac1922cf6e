import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { RenderCache, discoverRenderUnits, renderUnit } from '../../server/src/engine/render';
import type { RenderOptions, RenderResult, RenderUnit } from '../../server/src/engine/render';
import { toolCacheDir } from '../../scripts/harness/toolchain';
import {
  FLUX_EXAMPLE,
  PODINFO,
  renderTools,
  runDirect,
  withoutRandomNames,
} from './support/renderSupport';
import type { Tools } from './support/renderSupport';

let tools: Tools;

function options(workspaceRoot: string, extra: Partial<RenderOptions> = {}): RenderOptions {
  return {
    workspaceRoot,
    overlays: new Map(),
    binaries: { helm: tools.helm, kustomize: tools.kustomize },
    allowNetwork: false,
    cache: new RenderCache(),
    ...extra,
  };
}

function ok(result: RenderResult): Extract<RenderResult, { ok: true }> {
  if (!result.ok) assert.fail(`render failed: ${result.error.reason}: ${result.error.message}`);
  return result;
}

function unitOf(units: RenderUnit[], kind: RenderUnit['kind'], name: string): RenderUnit {
  const unit = units.find((candidate) => candidate.kind === kind && candidate.name === name);
  assert.ok(
    unit,
    `no ${kind} unit named ${name} in ${units.map((u) => `${u.kind}:${u.name}`).join(', ')}`,
  );
  return unit;
}

function summary(units: RenderUnit[], root: string): string[] {
  return units.map((unit) => {
    const where = unit.definedIn
      ? ` @${path.relative(root, unit.definedIn.file)}:${unit.definedIn.line}`
      : '';
    return `${unit.kind} ${unit.name} -> ${path.relative(root, unit.root) || '.'}${where}`;
  });
}

before(async () => {
  tools = await renderTools();
});

describe('discoverRenderUnits', () => {
  it('finds kustomizations, the chart, Flux and Argo CD units and plain folders in podinfo', async () => {
    const units = await discoverRenderUnits(PODINFO);
    assert.deepEqual(summary(units, PODINFO), [
      'kustomize kustomize -> kustomize',
      'helm podinfo -> charts/podinfo',
      'flux-kustomization podinfo -> kustomize @gitops/podinfo-kustomization.yaml:2',
      'flux-helmrelease podinfo -> charts/podinfo @gitops/podinfo-release.yaml:2',
      'argocd-application podinfo-helm -> charts/podinfo @gitops/argocd-applications.yaml:2',
      'argocd-application podinfo-kustomize -> kustomize @gitops/argocd-applications.yaml:26',
      'plain gitops -> gitops',
    ]);
    const release = unitOf(units, 'flux-helmrelease', 'podinfo');
    assert.equal(
      release.helm?.valuesFrom?.[0]?.file,
      path.join(PODINFO, 'gitops', 'podinfo-values.yaml'),
    );
  });

  it('follows Flux ExternalArtifact paths through the ArtifactGenerator in the flux2 example', async () => {
    const units = await discoverRenderUnits(FLUX_EXAMPLE);
    const flux = summary(
      units.filter((unit) => unit.kind === 'flux-kustomization'),
      FLUX_EXAMPLE,
    );
    assert.deepEqual(flux, [
      'flux-kustomization apps -> apps/production @clusters/production/apps.yaml:2',
      'flux-kustomization apps -> apps/staging @clusters/staging/apps.yaml:2',
      'flux-kustomization infra-configs -> infrastructure/configs @clusters/production/infrastructure.yaml:18',
      'flux-kustomization infra-configs -> infrastructure/configs @clusters/staging/infrastructure.yaml:18',
      'flux-kustomization infra-controllers -> infrastructure/controllers @clusters/production/infrastructure.yaml:2',
      'flux-kustomization infra-controllers -> infrastructure/controllers @clusters/staging/infrastructure.yaml:2',
    ]);
    const kustomizations = units
      .filter((unit) => unit.kind === 'kustomize')
      .map((unit) => unit.name);
    assert.deepEqual(kustomizations, [
      'apps/base/podinfo',
      'apps/production',
      'apps/staging',
      'clusters/production/flux-system',
      'clusters/staging/flux-system',
      'infrastructure/configs',
      'infrastructure/controllers',
    ]);
    // The staging patch file is a partial HelmRelease, not a unit of its own.
    const releases = units.filter((unit) => unit.kind === 'flux-helmrelease');
    assert.deepEqual(
      releases.map((unit) => path.relative(FLUX_EXAMPLE, unit.definedIn?.file ?? '')),
      [
        'apps/base/podinfo/release.yaml',
        'infrastructure/controllers/cert-manager.yaml',
        'infrastructure/controllers/envoy-gateway.yaml',
      ],
    );
  });
});

describe('renderUnit with the real kustomize and helm', () => {
  it('renders podinfo/kustomize exactly as `kustomize build` does, then from the cache', async () => {
    const units = await discoverRenderUnits(PODINFO);
    const unit = unitOf(units, 'kustomize', 'kustomize');
    const opts = options(PODINFO);
    const cold = ok(await renderUnit(unit, opts));
    const expected = await runDirect(
      tools.kustomize,
      ['build', path.join(PODINFO, 'kustomize')],
      PODINFO,
    );
    assert.equal(cold.yaml, expected);
    assert.equal(cold.fromCache, false);
    assert.deepEqual(
      cold.resources.map((resource) => `${resource.kind}/${resource.name}`),
      ['Service/podinfo', 'Deployment/podinfo', 'HorizontalPodAutoscaler/podinfo'],
    );
    const cached = ok(await renderUnit(unit, opts));
    assert.equal(cached.fromCache, true);
    assert.equal(cached.yaml, expected);
    console.log(`podinfo kustomize: cold ${cold.ms} ms, cached ${cached.ms} ms`);
  });

  it('renders the podinfo chart exactly as `helm template` does, then from the cache', async () => {
    const units = await discoverRenderUnits(PODINFO);
    const unit = unitOf(units, 'helm', 'podinfo');
    const opts = options(PODINFO);
    const cold = ok(await renderUnit(unit, opts));
    const chart = path.join(PODINFO, 'charts', 'podinfo');
    const expected = await runDirect(tools.helm, ['template', 'podinfo', chart], PODINFO);
    assert.equal(withoutRandomNames(cold.yaml), withoutRandomNames(expected));
    const cached = ok(await renderUnit(unit, opts));
    assert.equal(cached.fromCache, true);
    console.log(`podinfo chart: cold ${cold.ms} ms, cached ${cached.ms} ms`);
    const deployment = cold.resources.find((resource) => resource.kind === 'Deployment');
    assert.equal(deployment?.origin?.file, path.join(chart, 'templates', 'deployment.yaml'));
    assert.equal(deployment?.origin?.via, 'podinfo/templates/deployment.yaml');
    assert.deepEqual(
      deployment?.origin?.values?.find((value) => value.key === 'replicaCount'),
      { key: 'replicaCount', file: path.join(chart, 'values.yaml'), line: 3 },
    );
  });

  it('maps kustomize resources to their file and line, and a patched resource to the patch file', async () => {
    const units = await discoverRenderUnits(FLUX_EXAMPLE);
    const staging = unitOf(units, 'kustomize', 'apps/staging');
    const result = ok(await renderUnit(staging, options(FLUX_EXAMPLE)));
    const expected = await runDirect(
      tools.kustomize,
      ['build', path.join(FLUX_EXAMPLE, 'apps', 'staging')],
      FLUX_EXAMPLE,
    );
    assert.equal(result.yaml, expected);
    const release = result.resources.find((resource) => resource.kind === 'HelmRelease');
    assert.deepEqual(release?.origin, {
      file: path.join(FLUX_EXAMPLE, 'apps', 'base', 'podinfo', 'release.yaml'),
      line: 1,
      via: path.join(FLUX_EXAMPLE, 'apps', 'staging', 'podinfo-values.yaml'),
    });
    assert.match(release?.text ?? '', /podinfo\.staging/);
    const namespace = result.resources.find((resource) => resource.kind === 'Namespace');
    assert.deepEqual(namespace?.origin, {
      file: path.join(FLUX_EXAMPLE, 'apps', 'base', 'podinfo', 'namespace.yaml'),
      line: 1,
    });
    assert.doesNotMatch(result.yaml, /config\.kubernetes\.io\/origin/);
  });

  it('renders a Flux Kustomization behind an ArtifactGenerator, with its inline patch', async () => {
    const units = await discoverRenderUnits(FLUX_EXAMPLE);
    const configs = units.find(
      (unit) =>
        unit.kind === 'flux-kustomization' &&
        unit.name === 'infra-configs' &&
        unit.definedIn?.file.includes('staging'),
    );
    assert.ok(configs);
    const result = ok(await renderUnit(configs, options(FLUX_EXAMPLE)));
    const issuer = result.resources.find((resource) => resource.kind === 'ClusterIssuer');
    assert.match(issuer?.text ?? '', /acme-staging-v02/);
    assert.equal(
      issuer?.origin?.file,
      path.join(FLUX_EXAMPLE, 'infrastructure', 'configs', 'cluster-issuers.yaml'),
    );
    assert.equal(issuer?.origin?.via, configs.definedIn?.file);
  });

  it('renders a Flux HelmRelease with a chart in the repo and valuesFrom a ConfigMap in the repo', async () => {
    const units = await discoverRenderUnits(PODINFO);
    const release = unitOf(units, 'flux-helmrelease', 'podinfo');
    const result = ok(await renderUnit(release, options(PODINFO)));
    const deployment = result.resources.find((resource) => resource.kind === 'Deployment');
    assert.equal(deployment?.namespace, 'apps');
    assert.match(deployment?.text ?? '', /replicas: 3/);
    assert.match(deployment?.text ?? '', /from the ConfigMap/);
    assert.match(deployment?.text ?? '', /#34577c/);
    const values = new Map(
      deployment?.origin?.values?.map((value) => [
        value.key,
        `${path.relative(PODINFO, value.file)}:${value.line}`,
      ]),
    );
    assert.equal(
      values.get('replicaCount'),
      'gitops/podinfo-values.yaml:9',
      'set in the valuesFrom ConfigMap',
    );
    assert.equal(values.get('ui.message'), 'gitops/podinfo-values.yaml:11');
    assert.equal(
      values.get('ui.color'),
      'gitops/podinfo-release.yaml:21',
      'set inline in the HelmRelease',
    );
    assert.equal(values.get('image.tag'), 'charts/podinfo/values.yaml:11', "the chart's default");
    // spec.postRenderers: a JSON patch and an image override applied to helm's output.
    assert.match(deployment?.text ?? '', /post-rendered: "true"/);
    assert.match(deployment?.text ?? '', /image: ghcr\.io\/stefanprodan\/podinfo:6\.0\.1/);
    assert.equal(
      deployment?.origin?.file,
      path.join(PODINFO, 'charts', 'podinfo', 'templates', 'deployment.yaml'),
    );
    assert.equal(deployment?.origin?.via, path.join(PODINFO, 'gitops', 'podinfo-release.yaml'));
    const service = result.resources.find((resource) => resource.kind === 'Service');
    assert.equal(
      service?.origin?.via,
      'podinfo/templates/service.yaml',
      'untouched by the post-renderer',
    );
  });

  it('renders Argo CD Applications: Helm valueFiles, valuesObject and parameters; Kustomize namePrefix and images', async () => {
    const units = await discoverRenderUnits(PODINFO);
    const helm = ok(
      await renderUnit(unitOf(units, 'argocd-application', 'podinfo-helm'), options(PODINFO)),
    );
    const deployment = helm.resources.find(
      (resource) => resource.kind === 'Deployment' && resource.name === 'podinfo-helm',
    );
    assert.match(deployment?.text ?? '', /from Argo CD/);
    const hpa = helm.resources.find((resource) => resource.kind === 'HorizontalPodAutoscaler');
    assert.match(hpa?.text ?? '', /maxReplicas: 7/);
    assert.ok(
      helm.resources.some((resource) => resource.name === 'podinfo-helm-redis'),
      'values-prod.yaml turns redis on',
    );
    const kustomize = ok(
      await renderUnit(unitOf(units, 'argocd-application', 'podinfo-kustomize'), options(PODINFO)),
    );
    const prefixed = kustomize.resources.find((resource) => resource.kind === 'Deployment');
    assert.equal(prefixed?.name, 'argo-podinfo');
    assert.match(prefixed?.text ?? '', /image: ghcr\.io\/stefanprodan\/podinfo:6\.0\.0/);
    assert.equal(prefixed?.origin?.file, path.join(PODINFO, 'kustomize', 'deployment.yaml'));
  });

  it('renders unsaved buffers without touching the disk, and renders again when they change', async () => {
    const units = await discoverRenderUnits(PODINFO);
    const unit = unitOf(units, 'kustomize', 'kustomize');
    const file = path.join(PODINFO, 'kustomize', 'service.yaml');
    const saved = await fs.readFile(file, 'utf8');
    const before = await fs.stat(file);
    const cache = new RenderCache();
    const plain = ok(await renderUnit(unit, options(PODINFO, { cache })));
    const overlays = new Map([[file, saved.replace('type: ClusterIP', 'type: NodePort')]]);
    const edited = ok(await renderUnit(unit, options(PODINFO, { cache, overlays })));
    assert.equal(edited.fromCache, false);
    assert.match(edited.yaml, /type: NodePort/);
    assert.doesNotMatch(plain.yaml, /type: NodePort/);
    assert.equal(await fs.readFile(file, 'utf8'), saved);
    assert.equal((await fs.stat(file)).mtimeMs, before.mtimeMs);
    const again = ok(await renderUnit(unit, options(PODINFO, { cache, overlays })));
    assert.equal(again.fromCache, true);

    const release = unitOf(units, 'flux-helmrelease', 'podinfo');
    const releaseFile = path.join(PODINFO, 'gitops', 'podinfo-release.yaml');
    const releaseText = (await fs.readFile(releaseFile, 'utf8')).replace('#34577c', '#ff0000');
    const typed = ok(
      await renderUnit(
        release,
        options(PODINFO, { overlays: new Map([[releaseFile, releaseText]]) }),
      ),
    );
    assert.match(typed.yaml, /#ff0000/);
  });

  it('finds kustomize in the tool cache folder the caller names', async () => {
    const units = await discoverRenderUnits(PODINFO);
    const unit = unitOf(units, 'kustomize', 'kustomize');
    const withPathKustomize = (process.env.PATH ?? '')
      .split(path.delimiter)
      .some((dir) => dir && tools.kustomize.startsWith(dir));
    const result = ok(
      await renderUnit(unit, options(PODINFO, { binaries: { cacheDir: toolCacheDir() } })),
    );
    assert.equal(
      result.resources.length,
      3,
      withPathKustomize ? 'kustomize from PATH' : 'kustomize from the cache',
    );
  });
});
