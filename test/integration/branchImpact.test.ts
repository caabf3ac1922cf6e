import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'node:test';
import { schemaBundleDir } from '../../server/src/bundleDir';
import { SchemaCatalog } from '../../server/src/engine';
import { branchImpact } from '../../server/src/engine/git/branchImpact';
import type { BranchImpactOptions } from '../../server/src/engine/git/branchImpact';
import { GitError } from '../../server/src/engine/git/types';
import { renderUnit, unitInputKey } from '../../server/src/engine/render/renderUnit';
import type { RenderOptions } from '../../server/src/engine/render/renderUnit';
import type { SchemaRegistry } from '../../server/src/engine/schemas/schemaRegistry';
import type { TempRepo } from './support/gitRepos';
import { deployment, impactRepo, overlay } from './support/impactRepo';
import { renderTools } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

let tools: Tools;
let registry: SchemaRegistry;
const repos: TempRepo[] = [];
function repo(): TempRepo {
  const made = impactRepo();
  repos.push(made);
  return made;
}
afterEach(() => {
  for (const made of repos.splice(0)) made.dispose();
});

/** The real renderer, counting the units rendered in each snapshot. */
function counting(): { options: Pick<BranchImpactOptions, 'render'>; renders: string[] } {
  const renders: string[] = [];
  return {
    renders,
    options: {
      render: (unit, workspaceRoot, options) => {
        renders.push(`${unit.kind} ${unit.name}`);
        return renderUnit(unit, {
          workspaceRoot,
          overlays: new Map(),
          binaries: tools,
          allowNetwork: false,
          ...options,
        });
      },
    },
  };
}

describe('branch impact (real git, kustomize and helm)', () => {
  before(async () => {
    tools = await renderTools();
    const catalog = new SchemaCatalog(schemaBundleDir());
    registry = await catalog.registry((await catalog.defaultVersion()) ?? '');
  });

  it('renders at the head only the app whose overlay the branch changed', async () => {
    const r = repo();
    r.commit('Scale staging', { 'overlays/staging/kustomization.yaml': overlay('staging', 5) });
    const { options, renders } = counting();

    const impact = await branchImpact(r.root, options);

    assert.equal(impact.base.ref, 'origin/main');
    assert.equal(impact.base.how, 'mergeBase');
    assert.equal(impact.base.sha, r.git('rev-parse', 'main').trim());
    assert.deepEqual(impact.changedFiles, ['overlays/staging/kustomization.yaml']);
    assert.equal(impact.renders.head, 1, `head renders: ${renders.join(', ')}`);
    assert.equal(renders.length, impact.renders.units + 1, 'every unit once at the base');
    assert.deepEqual(
      impact.apps.map((app) => [app.clusters, app.app, app.definedIn]),
      [[['staging'], 'podinfo-staging', 'clusters/staging/apps.yaml']],
    );
    const [resource] = impact.apps[0]?.resources ?? [];
    assert.equal(resource?.id, 'apps/Deployment/staging/podinfo');
    assert.deepEqual(resource?.changedPaths, ['spec.replicas']);
    assert.match(resource?.baseText ?? '', /replicas: 2/);
    assert.match(resource?.headText ?? '', /replicas: 5/);
  });

  it('renders neither side of a unit whose inputs are the same at both commits', async () => {
    const r = repo();
    r.commit('Scale staging', { 'overlays/staging/kustomization.yaml': overlay('staging', 5) });
    const { options, renders } = counting();
    const renderOptions = (root: string): RenderOptions => ({
      workspaceRoot: root,
      overlays: new Map(),
      binaries: tools,
      allowNetwork: false,
    });

    const impact = await branchImpact(r.root, {
      ...options,
      inputKey: (unit, root, _signal, onRead) =>
        unitInputKey(unit, { ...renderOptions(root), ...(onRead ? { onRead } : {}) }),
    });

    assert.deepEqual(
      renders,
      ['flux-kustomization podinfo-staging', 'flux-kustomization podinfo-staging'],
      'only the Flux Kustomization deploying the staging overlay, once at each commit',
    );
    assert.deepEqual(impact.renders, { units: impact.renders.units, base: 1, head: 1 });
    assert.ok(impact.renders.units >= 4, 'the other units were indexed, not rendered');
    assert.deepEqual(
      impact.apps.map((app) => [app.clusters, app.app]),
      [[['staging'], 'podinfo-staging']],
    );
    assert.deepEqual(
      impact.apps[0]?.resources.map((resource) => resource.changedPaths),
      [['spec.replicas']],
    );
  });

  it('lists every app of each cluster that renders a changed shared base', async () => {
    const r = repo();
    r.commit('New podinfo', {
      'bases/podinfo/deployment.yaml': deployment('ghcr.io/stefanprodan/podinfo:6.6.0'),
    });
    const { options } = counting();

    // With the input hashes too: the base the apps read changed, so they render.
    const impact = await branchImpact(r.root, {
      ...options,
      inputKey: (unit, root, _signal, onRead) =>
        unitInputKey(unit, {
          workspaceRoot: root,
          overlays: new Map(),
          binaries: tools,
          allowNetwork: false,
          ...(onRead ? { onRead } : {}),
        }),
    });

    assert.deepEqual(
      impact.apps.map((app) => [app.clusters.join(','), app.app]),
      [
        ['production', 'podinfo-production'],
        ['staging', 'podinfo-staging'],
      ],
      'the shared base itself is shown through the apps that render it',
    );
    for (const app of impact.apps) {
      assert.deepEqual(
        app.resources.map((resource) => resource.changedPaths),
        [['spec.template.spec.containers[0].image']],
      );
    }
    assert.equal(impact.renders.head, 2, 'the two apps whose overlays read the base');
  });

  it('reports the values change of a HelmRelease, and nothing for a README change', async () => {
    const r = repo();
    const web = r.git('show', 'HEAD:clusters/staging/web.yaml');
    r.commit('Greet', { 'clusters/staging/web.yaml': web.replace('hello staging', 'hi') });
    const impact = await branchImpact(r.root, counting().options);
    assert.deepEqual(
      impact.apps.map((app) => [app.kind, app.app, app.clusters.join(',')]),
      [
        ['plain', 'clusters/staging', 'staging'],
        ['flux-helmrelease', 'web', 'staging'],
      ],
      'the HelmRelease as the cluster folder holds it, and what it renders',
    );
    assert.match(impact.apps[1]?.resources[0]?.diff ?? '', /\+ {2}greeting: hi/);

    const quiet = repo();
    quiet.commit('Docs', { 'README.md': '# fleet, documented\n' });
    const { options, renders } = counting();
    const none = await branchImpact(quiet.root, options);
    assert.deepEqual(none.apps, []);
    assert.equal(none.renders.head, 0);
    assert.ok(renders.length > 0, 'the base was rendered to know what each app reads');
  });

  it('reports an API the branch starts to use that the cluster no longer serves', async () => {
    const r = repo();
    r.commit('Old PDB', {
      'bases/podinfo/pdb.yaml':
        'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: podinfo\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: podinfo\n',
      'bases/podinfo/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - secret.yaml\n  - pdb.yaml\n',
    });
    const impact = await branchImpact(r.root, { ...counting().options, registry });
    const staging = impact.apps.find((app) => app.app === 'podinfo-staging');
    assert.deepEqual(
      staging?.findings.map((finding) => [finding.code, finding.file]),
      [['removed-api-version', 'bases/podinfo/pdb.yaml']],
    );
    assert.match(staging?.findings[0]?.message ?? '', /policy\/v1beta1 PodDisruptionBudget/);
    assert.doesNotMatch(staging?.findings[0]?.message ?? '', /gitops-workbench-head-/);
  });

  it('reports a render error the branch brings on its app, without listing its resources as removed', async () => {
    const r = repo();
    r.commit('Break staging', {
      'overlays/staging/kustomization.yaml': overlay('staging', 2).replace(
        '../../bases/podinfo',
        '../../bases/missing',
      ),
    });
    const impact = await branchImpact(r.root, counting().options);
    assert.deepEqual(
      impact.apps.map((app) => [app.app, app.errorChanged, app.resources.length]),
      [['podinfo-staging', true, 0]],
    );
    assert.match(impact.apps[0]?.error ?? '', /^At [0-9a-f]{7}: /);
    assert.doesNotMatch(impact.apps[0]?.error ?? '', /gitops-workbench-head-/);

    r.commit('Still broken, scaled', {
      'overlays/staging/kustomization.yaml': overlay('staging', 4).replace(
        '../../bases/podinfo',
        '../../bases/missing',
      ),
    });
    const both = await branchImpact(r.root, { ...counting().options, base: 'HEAD~1' });
    assert.deepEqual(
      both.apps.map((app) => [app.app, app.errorChanged]),
      [['podinfo-staging', false]],
      'an error at both sides is shown, but is no change of the branch',
    );
  });

  it('pairs an app whose document moved down its file with itself', async () => {
    const r = repo();
    const apps = r.git('show', 'HEAD:clusters/staging/apps.yaml');
    r.commit('Comment', {
      'clusters/staging/apps.yaml': `# The staging apps\n# of the fleet\n${apps}`,
    });
    const impact = await branchImpact(r.root, counting().options);
    assert.deepEqual(impact.apps, [], 'a comment changes no rendered output');
  });

  it('renders a chart again when a file of it that produced no resource changes', async () => {
    const r = repo();
    r.commit('Helper', {
      'charts/web/templates/_helpers.tpl': '{{- define "web.name" -}}web{{- end }}\n',
    });
    const { options, renders } = counting();
    const impact = await branchImpact(r.root, options);
    assert.deepEqual(impact.apps, []);
    assert.deepEqual(renders.slice(impact.renders.base), ['flux-helmrelease web']);
  });

  it('renders at most `concurrency` units at once', async () => {
    const r = repo();
    r.commit('Scale both', {
      'overlays/staging/kustomization.yaml': overlay('staging', 5),
      'overlays/production/kustomization.yaml': overlay('production', 5),
    });
    const { options } = counting();
    let running = 0;
    let most = 0;
    const impact = await branchImpact(r.root, {
      concurrency: 2,
      render: async (unit, root, render) => {
        most = Math.max(most, ++running);
        try {
          return await options.render(unit, root, render);
        } finally {
          running--;
        }
      },
    });
    assert.equal(impact.apps.length, 2);
    assert.equal(most, 2);
  });

  it('says which base to name when no default branch is found, and refuses an unsafe ref', async () => {
    const r = repo();
    r.git('remote', 'remove', 'origin');
    r.git('branch', '-m', 'main', 'trunk');
    await assert.rejects(branchImpact(r.root, counting().options), (error: unknown) => {
      assert.ok(error instanceof GitError);
      assert.equal(error.reason, 'noUpstream');
      assert.match(error.message, /No default branch was found/);
      return true;
    });
    await assert.rejects(
      branchImpact(r.root, { ...counting().options, base: '--output=/tmp/x' }),
      (error: unknown) => error instanceof GitError && error.reason === 'badRef',
    );
    await assert.rejects(
      branchImpact(r.root, { ...counting().options, base: 'no-such-branch' }),
      /There is no commit "no-such-branch"/,
    );
  });
});
