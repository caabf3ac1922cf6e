// The workspace model without processes: one walk of a repository in a temporary folder, kept
// current by file events; which unit a path belongs to; the root of a path; and the one
// "render, then findings, then a missing tool" loop, with a render function standing in for the
// tools.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, unlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PathNotFoundError, Workspace, collectYamlFiles } from '../../server/src/engine';
import type { RenderResult, RenderUnit, SchemaRegistry } from '../../server/src/engine';
import { bundledRegistry } from './support/schemas';
import { NO_TOOLS, write } from './support/workspaceFiles';

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
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
              properties:
                size: {type: integer}
`;

const FLUX_APP = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: web
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/web
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: plain
  namespace: flux-system
spec:
  interval: 10m
  path: ./manifests
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
`;

describe('the workspace model', () => {
  let temp = '';
  let repo = '';
  before(() => {
    temp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gw-workspace-')));
    repo = path.join(temp, 'fleet');
    write(repo, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'crds/widget.yaml': WIDGET_CRD,
      'clusters/prod/apps.yaml': FLUX_APP,
      'apps/web/kustomization.yaml':
        'resources:\n  - service.yaml\npatches:\n  - path: patch.yaml\n',
      'apps/web/service.yaml': SERVICE,
      'apps/web/patch.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
      'apps/web/config/extra.yaml': SERVICE,
      'manifests/service.yaml': SERVICE,
      'node_modules/pkg/kustomization.yaml': 'resources: []\n',
      'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
      'charts/app/templates/service.yaml': SERVICE,
    });
  });
  after(() => rmSync(temp, { recursive: true, force: true }));

  it('reads a repository once: its units, CRDs and patch files, skipping node_modules', async () => {
    const workspace = await Workspace.open([path.join(repo, 'apps')], { render: NO_TOOLS });
    assert.equal(workspace.rootOf(path.join(repo, 'apps', 'web')), repo, 'the git root');
    const ids = workspace.units().map(({ unit }) => unit.id);
    const fluxFile = path.join(repo, 'clusters', 'prod', 'apps.yaml');
    assert.deepEqual(ids, [
      'kustomize:apps/web',
      'helm:charts/app',
      `flux-kustomization:${fluxFile}:1`,
      `flux-kustomization:${fluxFile}:13`,
      'plain:apps/web/config',
      'plain:clusters/prod',
      'plain:crds',
      'plain:manifests',
    ]);
    assert.equal(workspace.crds.size, 1, 'the Widget CRD');
    assert.equal(workspace.facts.isPatch(path.join(repo, 'apps', 'web', 'patch.yaml')), true);
    assert.deepEqual(
      workspace
        .unitsIn()
        .map(({ unit }) => unit.id)
        .sort(),
      ['kustomize:apps/web', 'plain:apps/web/config'],
      'only the units of the folder looked at are in scope',
    );
  });

  it('gives each path the unit of the one rule', async () => {
    const workspace = await Workspace.open([repo], { render: NO_TOOLS });
    const unitOf = async (relative: string, line?: number): Promise<string | undefined> =>
      (await workspace.unitOf(path.join(repo, relative), line !== undefined ? { line } : {}))?.unit
        .id;
    const flux = workspace.units().filter(({ unit }) => unit.kind === 'flux-kustomization');
    assert.equal(flux.length, 2);
    assert.equal(await unitOf('apps/web'), 'kustomize:apps/web', 'a folder: its kustomization');
    assert.equal(await unitOf('apps/web/service.yaml'), 'kustomize:apps/web', 'a file: its folder');
    assert.equal(
      await unitOf('apps/web/config/extra.yaml'),
      'kustomize:apps/web',
      'a file: the innermost folder a kustomization renders, not a plain folder',
    );
    assert.equal(await unitOf('apps/web/config'), 'plain:apps/web/config', 'a plain folder');
    assert.equal(await unitOf('clusters/prod/apps.yaml'), flux[0]?.unit.id, 'the first it defines');
    assert.equal(await unitOf('clusters/prod/apps.yaml', 13), flux[1]?.unit.id, 'file:line');
    assert.equal(await unitOf('clusters/prod/apps.yaml', 3), undefined, 'no unit on that line');
    assert.equal(
      await unitOf('manifests/service.yaml'),
      flux[1]?.unit.id,
      'a file of a folder a Flux Kustomization renders',
    );
    assert.equal(await unitOf('crds/widget.yaml'), undefined, 'a file of no unit');
  });

  it('follows created, changed and deleted files without walking again', async () => {
    const workspace = await Workspace.open([repo], { render: NO_TOOLS });
    const ids = (): string[] => workspace.units().map(({ unit }) => unit.id);
    const folder = path.join(repo, 'apps', 'api');
    write(repo, { 'apps/api/kustomization.yaml': 'resources: []\n' });
    const created = await workspace.applyChanges([
      { type: 'created', path: path.join(folder, 'kustomization.yaml') },
    ]);
    assert.equal(created.units, true);
    assert.ok(ids().includes('kustomize:apps/api'), ids().join());
    assert.ok(created.affected.some((key) => key.endsWith('kustomize:apps/api')));

    const patch = path.join(folder, 'patch.yaml');
    const buffered = await workspace.applyChanges([
      {
        type: 'changed',
        path: path.join(folder, 'kustomization.yaml'),
        text: 'resources: []\npatches:\n  - path: patch.yaml\n',
      },
    ]);
    assert.equal(buffered.facts, true, 'an unsaved buffer counts');
    assert.equal(workspace.facts.isPatch(patch), true);

    const crd = path.join(repo, 'crds', 'widget.yaml');
    unlinkSync(crd);
    const removed = await workspace.applyChanges([{ type: 'deleted', path: crd }]);
    assert.equal(removed.crds, true);
    assert.equal(workspace.crds.size, 0);

    rmSync(folder, { recursive: true });
    await workspace.applyChanges([{ type: 'deleted', path: folder }]);
    assert.ok(!ids().includes('kustomize:apps/api'), ids().join());
    assert.equal(workspace.facts.isPatch(patch), false);
    write(repo, { 'crds/widget.yaml': WIDGET_CRD });
    await workspace.applyChanges([{ type: 'created', path: path.join(repo, 'crds') }]);
    assert.equal(workspace.crds.size, 1, 'a folder created with a file in it is walked');
    const ignored = await workspace.applyChanges([
      { type: 'created', path: path.join(repo, 'node_modules', 'pkg', 'kustomization.yaml') },
    ]);
    assert.equal(ignored.units, false, 'node_modules is never read');
  });

  it('answers a question asked right after an edit from the edited text, edits in the order typed', async () => {
    const workspace = await Workspace.open([repo], { render: NO_TOOLS });
    const file = path.join(repo, 'clusters', 'prod', 'apps.yaml');
    const flux = (): string[] =>
      workspace
        .units()
        .filter(({ unit }) => unit.kind === 'flux-kustomization')
        .map(({ unit }) => unit.id);
    // The editor sends its changes and then asks, without waiting for the changes to be applied
    // (the language server takes a notification and goes on): each answer is of the last text.
    void workspace.applyChanges([{ type: 'changed', path: file, text: `# one\n${FLUX_APP}` }]);
    void workspace.applyChanges([
      { type: 'changed', path: file, text: `# one\n# two\n---\n${FLUX_APP}` },
    ]);
    const units = await workspace.unitsOf(file);
    assert.deepEqual(
      units.map(({ unit }) => unit.id),
      [`flux-kustomization:${file}:4`, `flux-kustomization:${file}:16`],
    );
    assert.deepEqual(flux(), [`flux-kustomization:${file}:4`, `flux-kustomization:${file}:16`]);
    assert.equal((await workspace.unitOf(file, { line: 16 }))?.unit.id, units[1]?.unit.id);
  });

  it('lists the YAML files a check names from the one walk, as collectYamlFiles does', async () => {
    const workspace = await Workspace.open([repo], { render: NO_TOOLS });
    const apps = path.join(repo, 'apps');
    const named = path.join(repo, 'manifests', 'service.yaml');
    const files = await workspace.yamlFiles([apps, named]);
    assert.deepEqual(files, await collectYamlFiles([apps, named]));
    assert.deepEqual(
      files.map((file) => path.relative(repo, file).split(path.sep).join('/')),
      [
        'apps/web/config/extra.yaml',
        'apps/web/kustomization.yaml',
        'apps/web/patch.yaml',
        'apps/web/service.yaml',
        'manifests/service.yaml',
      ],
    );
    // A skipped folder named on purpose is still read.
    assert.deepEqual(await workspace.yamlFiles([path.join(repo, 'node_modules')]), [
      path.join(repo, 'node_modules', 'pkg', 'kustomization.yaml'),
    ]);
    await assert.rejects(workspace.yamlFiles([path.join(repo, 'missing')]), PathNotFoundError);
    assert.deepEqual(workspace.knownYamlFiles(path.join(repo, 'charts')), [
      path.join(repo, 'charts', 'app', 'Chart.yaml'),
      path.join(repo, 'charts', 'app', 'templates', 'service.yaml'),
    ]);
  });

  it('takes the folder itself as the root outside a repository, and --root when given', () => {
    const loose = path.join(temp, 'loose');
    write(loose, { 'app/service.yaml': SERVICE });
    const workspace = new Workspace({ render: NO_TOOLS });
    assert.equal(workspace.rootOf(path.join(loose, 'app')), path.join(loose, 'app'));
    assert.equal(
      workspace.rootOf(path.join(loose, 'app', 'service.yaml')),
      path.join(loose, 'app'),
    );
    const rooted = new Workspace({ render: NO_TOOLS, root: loose });
    assert.equal(rooted.rootOf(path.join(loose, 'app', 'service.yaml')), loose);
  });
});

describe('the one loop of render, findings and a missing tool', () => {
  let registry: SchemaRegistry;
  let temp = '';
  before(async () => {
    registry = await bundledRegistry();
    temp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gw-workspace-checks-')));
    write(temp, {
      'a/kustomization.yaml': 'resources: [service.yaml]\n',
      'a/service.yaml': SERVICE,
      'b/kustomization.yaml': 'resources: [service.yaml]\n',
      'b/service.yaml': SERVICE,
      'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    });
  });
  after(() => rmSync(temp, { recursive: true, force: true }));

  it('says once per tool that it is missing, and reports a broken render on its unit', async () => {
    const rendered: string[] = [];
    const render = (unit: RenderUnit): RenderResult => {
      rendered.push(unit.id);
      if (unit.renderer === 'kustomize') {
        return {
          ok: false,
          error: { reason: 'binaryMissing', message: 'kustomize was not found.' },
        };
      }
      return { ok: false, error: { reason: 'failed', message: 'helm failed: bad chart.' } };
    };
    const workspace = await Workspace.open([temp], {
      // Stands in for the tools.
      render: { ...NO_TOOLS, renderUnit: (unit) => Promise.resolve(render(unit)) },
    });
    const done = await workspace.check({ registry, signal: new AbortController().signal });
    assert.equal(done, true);
    assert.deepEqual(rendered.sort(), ['helm:c', 'kustomize:a', 'kustomize:b']);
    const findings = workspace.findings();
    assert.deepEqual(
      findings.map((finding) => [
        path.relative(temp, finding.file),
        finding.code,
        finding.severity,
      ]),
      [
        [path.join('a', 'kustomization.yaml'), 'render-skipped', 'warning'],
        [path.join('c', 'Chart.yaml'), 'render-failed', 'error'],
      ],
      'in the order of the units; b, also without kustomize, adds no second warning',
    );
  });

  it('renders a chart again when a file that set one of its values changed', async () => {
    const valuesFile = path.join(temp, 'elsewhere', 'values-prod.yaml');
    const unrelated = path.join(temp, 'elsewhere', 'notes.yaml');
    const workspace = await Workspace.open([temp], {
      // Stands in for helm: the Deployment's replicaCount is set in a file outside the chart.
      render: {
        ...NO_TOOLS,
        renderUnit: (unit) =>
          Promise.resolve<RenderResult>(
            unit.renderer === 'helm'
              ? {
                  ok: true,
                  yaml: '',
                  fromCache: false,
                  ms: 0,
                  resources: [
                    {
                      apiVersion: 'apps/v1',
                      kind: 'Deployment',
                      name: 'c',
                      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: c\n',
                      origin: {
                        file: path.join(temp, 'c', 'templates', 'deployment.yaml'),
                        values: [{ key: 'replicaCount', file: valuesFile, line: 0 }],
                      },
                    },
                  ],
                }
              : { ok: false, error: { reason: 'binaryMissing', message: 'not here' } },
          ),
      },
    });
    await workspace.check({ registry, signal: new AbortController().signal });
    const chart = workspace.units().find(({ unit }) => unit.id === 'helm:c');
    assert.ok(chart);
    assert.deepEqual(workspace.unitsAffectedBy([valuesFile]), [chart.key]);
    assert.deepEqual(workspace.unitsAffectedBy([unrelated]), []);
  });
});
