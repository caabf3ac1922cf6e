/**
 * What the workspace does not hold is not rendered from it, and that is no mistake of the repo:
 * Flux sources that are other repositories or artifacts, Argo CD Applications of another
 * repository, remote charts with network rendering off, library charts, chart dependencies that
 * are not vendored (a warning naming the fix; local ones built in the render's private copy).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliText } from '../../server/src/cli/flagHints';
import { editorText } from '../../server/src/editorHints';
import { renderFailureFinding } from '../../server/src/engine/check/renderedFindings';
import { RenderCache, discoverRenderUnits, renderUnit } from '../../server/src/engine/render';
import type { RenderOptions, RenderResult, RenderUnit } from '../../server/src/engine/render';
import { renderTools, tempWorkspace } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

let tools: Tools;
const temporary: string[] = [];

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

async function workspaceWith(files: Record<string, string>, remote?: string): Promise<string> {
  const { root, workspace } = await tempWorkspace(files);
  temporary.push(root);
  const git = (...args: string[]): void => {
    const run = spawnSync('git', args, { cwd: workspace, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  };
  git('init', '--quiet');
  if (remote) git('remote', 'add', 'origin', remote);
  return workspace;
}

function unitNamed(units: RenderUnit[], name: string): RenderUnit {
  const unit = units.find((candidate) => candidate.name === name);
  assert.ok(unit, `a unit named ${name} among ${units.map((u) => u.name).join(', ')}`);
  return unit;
}

/** The finding a failed render becomes, as `check` and the editor show it. */
function finding(unit: RenderUnit, result: RenderResult): ReturnType<typeof renderFailureFinding> {
  if (result.ok) assert.fail(`${unit.name} rendered ${result.resources.length} resources`);
  return renderFailureFinding(unit, result.error);
}

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n';

function fluxKustomization(
  name: string,
  sourceKind: string,
  sourceName: string,
  specPath: string,
): string {
  return [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    `  name: ${name}`,
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    '  prune: true',
    `  path: ${specPath}`,
    '  sourceRef:',
    `    kind: ${sourceKind}`,
    `    name: ${sourceName}`,
    '',
  ].join('\n');
}

const GIT_SOURCES = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/example/fleet
  ref: {branch: main}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/stefanprodan/podinfo
  ref: {tag: 6.7.1}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: manifests
  namespace: flux-system
spec:
  interval: 1m
  url: oci://ghcr.io/example/manifests
  ref: {tag: latest}
`;

before(async () => {
  tools = await renderTools();
});

after(async () => {
  for (const dir of temporary) await fs.rm(dir, { recursive: true, force: true });
});

describe('Flux Kustomizations whose source is not this repository', () => {
  it("are an information naming the source; this repository's own still render", async () => {
    const workspace = await workspaceWith(
      {
        'workspace/clusters/sources.yaml': GIT_SOURCES,
        'workspace/clusters/apps.yaml': [
          fluxKustomization('apps', 'GitRepository', 'flux-system', './apps'),
          fluxKustomization('podinfo', 'GitRepository', 'podinfo', './kustomize'),
          fluxKustomization('from-oci', 'OCIRepository', 'manifests', './'),
          fluxKustomization('from-bucket', 'Bucket', 'archive', './deploy'),
        ].join('---\n'),
        'workspace/apps/settings.yaml': CONFIGMAP,
      },
      'git@github.com:example/fleet.git',
    );
    const units = await discoverRenderUnits(workspace);
    const apps = await renderUnit(unitNamed(units, 'apps'), options(workspace));
    assert.ok(apps.ok, 'the Kustomization of this repository (its git remote) renders');

    const podinfo = finding(
      unitNamed(units, 'podinfo'),
      await renderUnit(unitNamed(units, 'podinfo'), options(workspace)),
    );
    assert.equal(podinfo.severity, 'info');
    assert.equal(podinfo.code, 'not-rendered');
    assert.equal(
      podinfo.message,
      'Flux Kustomization podinfo was not rendered: its source GitRepository podinfo is another repository (https://github.com/stefanprodan/podinfo), not this workspace.',
    );
    for (const [name, source] of [
      ['from-oci', 'OCIRepository manifests (oci://ghcr.io/example/manifests)'],
      ['from-bucket', 'Bucket archive'],
    ] as const) {
      const unit = unitNamed(units, name);
      const shown = finding(unit, await renderUnit(unit, options(workspace)));
      assert.equal(shown.severity, 'info', name);
      assert.match(
        shown.message,
        new RegExp(
          `its source is ${source.replace(/[()/.]/g, '\\$&')}, an artifact built outside this workspace`,
        ),
      );
    }
  });

  it('keep a wrong path of this repository an error', async () => {
    const workspace = await workspaceWith(
      {
        'workspace/clusters/sources.yaml': GIT_SOURCES,
        'workspace/clusters/apps.yaml': fluxKustomization(
          'apps',
          'GitRepository',
          'flux-system',
          './aps',
        ),
      },
      'https://github.com/example/fleet',
    );
    const unit = unitNamed(await discoverRenderUnits(workspace), 'apps');
    const shown = finding(unit, await renderUnit(unit, options(workspace)));
    assert.equal(shown.severity, 'error');
    assert.match(
      shown.message,
      /spec\.path "\.\/aps" of Flux Kustomization apps is not a folder of this workspace/,
    );
  });
});

describe('Argo CD Applications and charts that are not in the workspace', () => {
  it('an Application of another repository is an information', async () => {
    const workspace = await workspaceWith(
      {
        'workspace/apps/guestbook.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: guestbook, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://github.com/argoproj/argocd-example-apps.git
    path: guestbook
  destination: {server: https://kubernetes.default.svc, namespace: guestbook}
`,
      },
      'https://github.com/example/platform.git',
    );
    const unit = unitNamed(await discoverRenderUnits(workspace), 'guestbook');
    const shown = finding(unit, await renderUnit(unit, options(workspace)));
    assert.equal(shown.severity, 'info');
    assert.equal(
      shown.message,
      'Argo CD Application guestbook was not rendered: its source https://github.com/argoproj/argocd-example-apps.git is another repository, not this workspace.',
    );
  });

  it("an Application's wrong path of this repository is an error on its path line", async () => {
    const workspace = await workspaceWith(
      {
        'workspace/apps/guestbook/configmap.yaml': CONFIGMAP,
        'workspace/argocd/guestbook.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: guestbook, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://github.com/example/platform.git
    path: apps/gestbook
  destination: {server: https://kubernetes.default.svc, namespace: guestbook}
`,
      },
      'https://github.com/example/platform.git',
    );
    const unit = unitNamed(await discoverRenderUnits(workspace), 'guestbook');
    const result = await renderUnit(unit, options(workspace));
    if (result.ok) assert.fail('the missing folder rendered');
    const shown = renderFailureFinding(unit, result.error, (file) => readFileSync(file, 'utf8'));
    assert.equal(shown.severity, 'error');
    assert.match(
      shown.message,
      /source\.path "apps\/gestbook" of Application guestbook is not a folder/,
    );
    assert.equal(shown.range.start.line + 1, 8, 'the path line');
  });

  it('a HelmRelease whose chart is in an OCI registry is an information naming the chart', async () => {
    const workspace = await workspaceWith({
      'workspace/apps/podinfo.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: podinfo, namespace: flux-system}
spec:
  interval: 10m
  url: oci://ghcr.io/stefanprodan/charts/podinfo
  ref: {semver: '>=6.0.0'}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: flux-system}
spec:
  interval: 10m
  chartRef: {kind: OCIRepository, name: podinfo}
`,
    });
    const unit = unitNamed(await discoverRenderUnits(workspace), 'podinfo');
    const shown = finding(unit, await renderUnit(unit, options(workspace)));
    assert.equal(shown.severity, 'info');
    assert.equal(
      shown.message,
      'Flux HelmRelease podinfo was not rendered: chart podinfo comes from oci://ghcr.io/stefanprodan/charts/podinfo and network rendering is off: turn it on to render it.',
    );
    // The engine names no setting or flag; each face adds its own.
    assert.equal(shown.hint, 'allowNetwork');
    assert.match(
      editorText(shown.message, shown.hint),
      /turn it on to render it \(gitopsWorkbench\.render\.allowNetwork\)\.$/,
    );
    assert.match(
      cliText(shown.message, shown.hint),
      /turn it on to render it \(--allow-network\)\.$/,
    );
  });
});

describe('Helm charts', () => {
  const chart = (name: string, extra = ''): string =>
    `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n${extra}`;
  const template = (name: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-${name}\ndata:\n  a: {{ include "common.value" . | quote }}\n`;

  it('a library chart is not a unit; a chart using it through a local dependency is built in a private copy', async () => {
    const workspace = await workspaceWith({
      'workspace/charts/common/Chart.yaml': chart('common', 'type: library\n'),
      'workspace/charts/common/templates/_helpers.tpl':
        '{{- define "common.value" -}}shared{{- end -}}\n',
      'workspace/charts/app/Chart.yaml': chart(
        'app',
        'dependencies:\n  - name: common\n    version: 1.0.0\n    repository: file://../common\n',
      ),
      'workspace/charts/app/templates/configmap.yaml': template('settings'),
    });
    const units = await discoverRenderUnits(workspace);
    assert.deepEqual(
      units.filter((unit) => unit.renderer === 'helm').map((unit) => unit.name),
      ['app'],
      'the library chart is not rendered on its own',
    );
    const result = await renderUnit(unitNamed(units, 'app'), options(workspace));
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.match(result.yaml, /name: app-settings\ndata:\n {2}a: "shared"/);
    await assert.rejects(
      fs.stat(path.join(workspace, 'charts', 'app', 'charts')),
      "the dependency was built in the render's copy, never in the user's tree",
    );
  });

  it('a chart whose remote dependencies are not vendored is a warning that names the fix', async () => {
    const workspace = await workspaceWith({
      'workspace/charts/app/Chart.yaml': chart(
        'app',
        'dependencies:\n  - name: redis\n    version: 20.0.0\n    repository: https://charts.bitnami.com/bitnami\n',
      ),
      'workspace/charts/app/templates/configmap.yaml': CONFIGMAP,
    });
    const unit = unitNamed(await discoverRenderUnits(workspace), 'app');
    const shown = finding(unit, await renderUnit(unit, options(workspace)));
    assert.equal(shown.severity, 'warning');
    assert.equal(shown.code, 'chart-dependencies-missing');
    assert.equal(
      shown.message,
      'chart app was not rendered: the dependencies redis (https://charts.bitnami.com/bitnami) of chart app are not in its charts/ folder and network rendering is off: run "helm dependency build" in the chart folder, or turn on network rendering to fetch them for the render.',
    );
    assert.equal(path.basename(shown.file), 'Chart.yaml');
  });

  it('a chart with its dependency vendored as an archive renders offline', async () => {
    const source = await workspaceWith({
      'workspace/redis/Chart.yaml': chart('redis'),
      'workspace/redis/templates/cm.yaml': CONFIGMAP.replace(
        'settings',
        '{{ .Release.Name }}-redis',
      ),
    });
    const packaged = spawnSync(
      tools.helm,
      ['package', path.join(source, 'redis'), '--destination', source],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: source },
      },
    );
    assert.equal(packaged.status, 0, packaged.stderr);
    const workspace = await workspaceWith({
      'workspace/charts/app/Chart.yaml': chart(
        'app',
        'dependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n',
      ),
      'workspace/charts/app/templates/configmap.yaml': CONFIGMAP,
    });
    await fs.mkdir(path.join(workspace, 'charts', 'app', 'charts'));
    await fs.copyFile(
      path.join(source, 'redis-1.0.0.tgz'),
      path.join(workspace, 'charts', 'app', 'charts', 'redis-1.0.0.tgz'),
    );
    const result = await renderUnit(
      unitNamed(await discoverRenderUnits(workspace), 'app'),
      options(workspace),
    );
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.match(result.yaml, /name: app-redis/);
  });
});

describe('Flux variables and values the workspace cannot read', () => {
  it('renders with the variables of a missing substituteFrom source left as written', async () => {
    const workspace = await workspaceWith({
      'workspace/clusters/apps.yaml': fluxKustomization(
        'apps',
        'GitRepository',
        'flux-system',
        './apps',
      ).replace(
        '  sourceRef:',
        '  postBuild:\n    substitute: {APP: web}\n    substituteFrom:\n      - kind: Secret\n        name: cluster-secrets\n  sourceRef:',
      ),
      'workspace/apps/settings.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}-settings\ndata:\n  domain: ${SECRET_DOMAIN}\n  region: ${REGION:=eu}\n',
    });
    const unit = unitNamed(await discoverRenderUnits(workspace), 'apps');
    const result = await renderUnit(unit, options(workspace));
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    // Known variables are substituted; the others may be set in the Secret, which is not here.
    assert.match(result.yaml, /name: web-settings/);
    assert.match(result.yaml, /domain: \$\{SECRET_DOMAIN\}/);
    assert.match(result.yaml, /region: \$\{REGION:=eu\}/);
  });

  it('does not render a HelmRelease whose values come from a SOPS-encrypted Secret', async () => {
    const workspace = await workspaceWith({
      'workspace/charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
      'workspace/charts/app/templates/cm.yaml': CONFIGMAP,
      'workspace/apps/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: app, namespace: flux-system}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/app
      sourceRef: {kind: GitRepository, name: flux-system}
  valuesFrom:
    - kind: Secret
      name: app-values
---
apiVersion: v1
kind: Secret
metadata: {name: app-values, namespace: flux-system}
stringData:
  values.yaml: ENC[AES256_GCM,data:cmVwbGljYXM6IDI=,iv:aQ==,tag:dA==,type:str]
sops:
  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
  version: 3.8.1
`,
    });
    const unit = (await discoverRenderUnits(workspace)).find(
      (candidate) => candidate.kind === 'flux-helmrelease',
    );
    assert.ok(unit);
    const shown = finding(unit, await renderUnit(unit, options(workspace)));
    assert.equal(shown.severity, 'info');
    assert.equal(
      shown.message,
      'Flux HelmRelease app was not rendered: its values come from Secret app-values (valuesFrom), whose values are SOPS-encrypted; nothing is decrypted here.',
    );
  });
});
