import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RenderCache, discoverRenderUnits, renderUnit } from '../../server/src/engine/render';
import type {
  RenderError,
  RenderOptions,
  RenderResult,
  RenderUnit,
} from '../../server/src/engine/render';
import {
  FLUX_EXAMPLE,
  PODINFO,
  hangingTool,
  isRunning,
  renderTools,
  tempWorkspace,
} from './support/renderSupport';
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

function failed(result: RenderResult): RenderError {
  if (result.ok) assert.fail(`expected a failure, got ${result.resources.length} resources`);
  assert.doesNotMatch(result.error.message, /\n|\s+at\s.*\(/, 'one line, no stack trace');
  return result.error;
}

function kustomizeUnit(root: string): RenderUnit {
  return {
    kind: 'kustomize',
    id: `kustomize:${root}`,
    name: path.basename(root),
    root,
    renderer: 'kustomize',
  };
}

async function workspaceWith(files: Record<string, string>): Promise<string> {
  const { root, workspace } = await tempWorkspace(files);
  temporary.push(root);
  return workspace;
}

const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n';

before(async () => {
  tools = await renderTools();
});

after(async () => {
  for (const dir of temporary) await fs.rm(dir, { recursive: true, force: true });
});

describe('render safety: refused before anything runs', () => {
  it('refuses a resource outside the workspace', async () => {
    const workspace = await workspaceWith({
      'outside.yaml': SERVICE,
      'workspace/app/kustomization.yaml': 'resources:\n  - ../../outside.yaml\n',
    });
    const error = failed(
      await renderUnit(kustomizeUnit(path.join(workspace, 'app')), options(workspace)),
    );
    assert.equal(error.reason, 'refused');
    assert.equal(error.file, path.join(workspace, 'app', 'kustomization.yaml'));
    assert.match(
      error.message,
      /The resource "\.\.\/\.\.\/outside\.yaml" in app\/kustomization\.yaml is outside the workspace/,
    );
  });

  it('refuses a symbolic link that leads outside the workspace', async () => {
    const workspace = await workspaceWith({
      'secret.yaml': SERVICE,
      'workspace/app/kustomization.yaml': 'resources:\n  - linked.yaml\n',
    });
    await fs.symlink(
      path.join(workspace, '..', 'secret.yaml'),
      path.join(workspace, 'app', 'linked.yaml'),
    );
    const error = failed(
      await renderUnit(kustomizeUnit(path.join(workspace, 'app')), options(workspace)),
    );
    assert.equal(error.reason, 'refused');
    assert.match(error.message, /outside the workspace/);
  });

  it('refuses an exec function in a kustomization', async () => {
    const workspace = await workspaceWith({
      'workspace/app/kustomization.yaml': [
        'resources:',
        '  - service.yaml',
        'transformers:',
        '  - |-',
        '    apiVersion: example.com/v1',
        '    kind: Hack',
        '    metadata:',
        '      name: hack',
        '      annotations:',
        '        config.kubernetes.io/function: |',
        '          exec:',
        '            path: ./hack.sh',
        '',
      ].join('\n'),
      'workspace/app/service.yaml': SERVICE,
    });
    const error = failed(
      await renderUnit(kustomizeUnit(path.join(workspace, 'app')), options(workspace)),
    );
    assert.equal(error.reason, 'refused');
    assert.match(
      error.message,
      /transformers entry in kustomization\.yaml runs an exec KRM function/,
    );
  });

  it('refuses a container function in a generator file', async () => {
    const workspace = await workspaceWith({
      'workspace/app/kustomization.yaml': 'generators:\n  - gen.yaml\n',
      'workspace/app/gen.yaml': [
        'apiVersion: example.com/v1',
        'kind: Gen',
        'metadata:',
        '  name: gen',
        '  annotations:',
        '    config.kubernetes.io/function: |',
        '      container:',
        '        image: example.com/gen:1',
        '',
      ].join('\n'),
    });
    const error = failed(
      await renderUnit(kustomizeUnit(path.join(workspace, 'app')), options(workspace)),
    );
    assert.equal(error.reason, 'refused');
    assert.match(error.message, /generators entry in gen\.yaml runs a container KRM function/);
  });

  it('does not render helmCharts, which would need --enable-helm', async () => {
    const workspace = await workspaceWith({
      'workspace/app/kustomization.yaml':
        'helmCharts:\n  - name: podinfo\n    repo: https://stefanprodan.github.io/podinfo\n',
    });
    const error = failed(
      await renderUnit(kustomizeUnit(path.join(workspace, 'app')), options(workspace)),
    );
    assert.equal(error.reason, 'notRendered');
    assert.match(error.message, /helmCharts, which needs kustomize --enable-helm/);
  });

  it('does not fetch a remote base while network rendering is off', async () => {
    for (const remote of [
      'github.com/stefanprodan/podinfo//kustomize?ref=6.14.1',
      'https://github.com/stefanprodan/podinfo//kustomize',
      'git::https://example.com/repo.git//base',
    ]) {
      const workspace = await workspaceWith({
        'workspace/app/kustomization.yaml': `resources:\n  - ${remote}\n`,
      });
      const error = failed(
        await renderUnit(kustomizeUnit(path.join(workspace, 'app')), options(workspace)),
      );
      // Not fetched is not wrong: the tool cannot know, so it is an information.
      assert.equal(error.reason, 'notRendered', remote);
      assert.match(
        error.message,
        /was not fetched because network rendering is off: turn on network rendering/,
      );
    }
  });

  it('refuses an Argo CD values file outside the workspace', async () => {
    const { root, workspace } = await tempWorkspace(
      {
        'outside-values.yaml': 'replicaCount: 9\n',
        'workspace/apps/podinfo.yaml': [
          'apiVersion: argoproj.io/v1alpha1',
          'kind: Application',
          'metadata:',
          '  name: podinfo',
          'spec:',
          '  source:',
          '    repoURL: https://example.com/repo.git',
          '    path: charts/podinfo',
          '    helm:',
          '      valueFiles:',
          '        - ../../../outside-values.yaml',
          '',
        ].join('\n'),
      },
      PODINFO,
    );
    temporary.push(root);
    const units = await discoverRenderUnits(workspace);
    const app = units.find((unit) => unit.kind === 'argocd-application');
    assert.ok(app);
    const error = failed(await renderUnit(app, options(workspace)));
    assert.equal(error.reason, 'refused');
    assert.match(
      error.message,
      /The values file ".*outside-values\.yaml" in apps\/podinfo\.yaml is outside the workspace/,
    );
  });

  it('refuses a HelmRelease whose chart is in a remote HelmRepository while network rendering is off', async () => {
    const units = await discoverRenderUnits(FLUX_EXAMPLE);
    const release = units.find(
      (unit) => unit.kind === 'flux-helmrelease' && unit.name === 'podinfo',
    );
    assert.ok(release);
    const error = failed(await renderUnit(release, options(FLUX_EXAMPLE)));
    assert.equal(error.reason, 'notRendered');
    assert.match(
      error.message,
      /^chart podinfo comes from https:\/\/stefanprodan\.github\.io\/podinfo and network rendering is off/,
    );
  });
});

describe('render limits and failures', () => {
  it('kills a render that hangs, with its whole process tree, at the time limit', async () => {
    const workspace = await workspaceWith({
      'workspace/app/kustomization.yaml': 'resources:\n  - service.yaml\n',
      'workspace/app/service.yaml': SERVICE,
    });
    const fake = await hangingTool(path.join(workspace, '..'));
    const started = Date.now();
    const result = await renderUnit(
      kustomizeUnit(path.join(workspace, 'app')),
      options(workspace, { binaries: { kustomize: fake.command }, timeoutMs: 1500 }),
    );
    const elapsed = Date.now() - started;
    const error = failed(result);
    assert.equal(error.reason, 'timeout');
    assert.match(error.message, /kustomize did not finish within 1.5 s and was stopped/);
    assert.ok(elapsed < 10_000, `stopped after ${elapsed} ms`);
    const pids = JSON.parse(await fs.readFile(fake.pidsFile, 'utf8')) as number[];
    assert.equal(pids.length, 2);
    for (const pid of pids) {
      // SIGKILL of the group is delivered at once; the kernel may need a moment to reap.
      const deadline = Date.now() + 5000;
      while (isRunning(pid) && Date.now() < deadline)
        await new Promise((resolve) => setImmediate(resolve));
      assert.equal(isRunning(pid), false, `process ${pid} was killed`);
    }
  });

  it('reports cancellation through the AbortSignal', async () => {
    const workspace = await workspaceWith({
      'workspace/app/kustomization.yaml': 'resources:\n  - service.yaml\n',
      'workspace/app/service.yaml': SERVICE,
    });
    const fake = await hangingTool(path.join(workspace, '..'));
    const controller = new AbortController();
    const pending = renderUnit(
      kustomizeUnit(path.join(workspace, 'app')),
      options(workspace, { binaries: { kustomize: fake.command }, signal: controller.signal }),
    );
    const watcher = (async (): Promise<void> => {
      for (;;) {
        if (
          await fs.stat(fake.pidsFile).then(
            () => true,
            () => false,
          )
        )
          return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await watcher;
    controller.abort();
    assert.equal(failed(await pending).reason, 'cancelled');
  });

  it('says how to install a binary that is missing', async () => {
    const workspace = await workspaceWith({
      'workspace/app/kustomization.yaml': 'resources: []\n',
    });
    const error = failed(
      await renderUnit(
        kustomizeUnit(path.join(workspace, 'app')),
        options(workspace, { binaries: { kustomize: path.join(workspace, 'no-kustomize') } }),
      ),
    );
    assert.equal(error.reason, 'binaryMissing');
    assert.match(
      error.message,
      /is not an executable file: correct gitopsWorkbench\.kustomizePath/,
    );
  });

  it('turns a kustomize error into one line naming the workspace file, never the temporary copy', async () => {
    const workspace = await workspaceWith({
      'workspace/app/kustomization.yaml': 'resources:\n  - service.yaml\n',
      'workspace/app/service.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: [oops\n',
    });
    const error = failed(
      await renderUnit(kustomizeUnit(path.join(workspace, 'app')), options(workspace)),
    );
    assert.equal(error.reason, 'failed');
    assert.match(
      error.message,
      /^kustomize exited with code 1 \(app\/service\.yaml:4\): .*MalformedYAMLError/,
    );
    assert.equal(error.file, path.join(workspace, 'app', 'service.yaml'));
    assert.equal(error.line, 4);
    assert.doesNotMatch(error.message, /gitops-workbench-render-/);
  });

  it('turns a helm template error into a message with the template file and line', async () => {
    const { root, workspace } = await tempWorkspace({
      'workspace/chart/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
      'workspace/chart/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.missing.key }}\n',
    });
    temporary.push(root);
    const [chart] = await discoverRenderUnits(workspace);
    assert.equal(chart?.kind, 'helm');
    const error = failed(await renderUnit(chart, options(workspace)));
    assert.equal(error.reason, 'failed');
    assert.equal(error.file, path.join(workspace, 'chart', 'templates', 'cm.yaml'));
    assert.equal(error.line, 6);
    assert.match(error.message, /^helm exited with code 1 \(chart\/templates\/cm\.yaml:6\)/);
  });
});
