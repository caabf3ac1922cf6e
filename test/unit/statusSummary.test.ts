import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { AppSummary, ResourceStatus } from '../../server/src/protocol';
import { definedIn, driftLenses, driftSummary, originPath } from '../../client/src/statusSummary';

function app(overrides: Partial<AppSummary> = {}): AppSummary {
  return {
    id: 'kind-staging/FluxKustomization/flux-system/podinfo',
    context: 'kind-staging',
    kind: 'FluxKustomization',
    name: 'podinfo',
    namespace: 'flux-system',
    match: {
      unitId: 'kustomize:apps/podinfo',
      root: '/work/fleet/apps/podinfo',
      how: 'definition',
    },
    sync: 'OutOfSync',
    counts: { Synced: 3, OutOfSync: 1, Missing: 0, Extra: 0, Unknown: 0 },
    desiredFrom: 'workingTree',
    comparison: 'serverSideDryRun',
    ...overrides,
  };
}

describe('the sync status bar item', () => {
  it('is hidden while no context is connected', () => {
    assert.equal(driftSummary([]), undefined);
  });

  it("counts the workspace's apps out of sync on the connected contexts", () => {
    const summary = driftSummary([
      {
        context: 'kind-staging',
        apps: [app(), app({ id: 'b', sync: 'Synced' }), app({ id: 'c', match: undefined })],
      },
      { context: 'kind-prod', apps: [app({ id: 'd' })] },
    ]);
    assert.equal(summary?.text, '$(sync) 2 OutOfSync');
    assert.match(
      summary?.tooltip ?? '',
      /kind\\-staging: 1 of 2 apps of this workspace out of sync/,
    );
    assert.match(summary?.tooltip ?? '', /kind\\-prod: 1 of 1 app of this workspace out of sync/);
    assert.match(summary?.tooltip ?? '', /Click to show the Clusters view\./);
  });

  it('says Synced, Comparing, Unknown, or that no app is of this workspace', () => {
    const one = (apps: AppSummary[]): string | undefined =>
      driftSummary([{ context: 'kind-staging', apps }])?.text;
    assert.equal(one([app({ sync: 'Synced' })]), '$(check) Synced');
    assert.equal(one([app({ comparing: { done: 1, total: 4 } })]), '$(sync~spin) Comparing…');
    assert.equal(one([app({ sync: 'Unknown' })]), '$(question) 1 Unknown');
    assert.equal(one([app({ match: undefined })]), '$(circle-slash) No app of this workspace');
    assert.equal(one([]), '$(circle-slash) No app of this workspace');
  });
});

describe("the resources a file defines (Compare This File's Resources with the Cluster)", () => {
  const folder = path.resolve('/work/fleet');
  const file = path.join(folder, 'apps', 'podinfo', 'deployment.yaml');
  const node = (originFile: string | undefined): { resource: Pick<ResourceStatus, 'origin'> } => ({
    resource: { origin: originFile === undefined ? undefined : { file: originFile } },
  });

  it('matches absolute and folder-relative source paths, and nothing without a source', () => {
    const absolute = node(file);
    const relative = node(path.join('apps', 'podinfo', 'deployment.yaml'));
    const other = node(path.join(folder, 'apps', 'podinfo', 'service.yaml'));
    const none = node(undefined);
    assert.deepEqual(definedIn([absolute, relative, other, none], file, folder), [
      absolute,
      relative,
    ]);
    assert.equal(originPath('a.yaml', undefined), 'a.yaml');
  });

  it('gives each resource of the file a lens on its first line with its status in the context', () => {
    const status = (overrides: Partial<ResourceStatus>): ResourceStatus => ({
      id: 'apps/Deployment/podinfo/podinfo',
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'podinfo',
      name: 'podinfo',
      sync: 'OutOfSync',
      health: { status: 'Healthy' },
      changedPaths: ['spec.replicas', 'spec.template.spec.containers[0].image', 'metadata.labels'],
      comparison: 'serverSideDryRun',
      origin: { file, line: 12 },
      ...overrides,
    });
    const drifted = { contextName: 'kind-prod', resource: status({}) };
    const synced = {
      contextName: 'kind-prod',
      resource: status({ kind: 'Service', sync: 'Synced', changedPaths: [], origin: { file } }),
    };
    const elsewhere = {
      contextName: 'kind-prod',
      resource: status({ origin: { file: path.join(folder, 'other.yaml') } }),
    };
    assert.deepEqual(
      driftLenses([drifted, synced, elsewhere], file, folder).map(({ line, title }) => [
        line,
        title,
      ]),
      [
        [
          11,
          'Deployment/podinfo: OutOfSync · Healthy in kind-prod: spec.replicas, spec.template.spec.containers[0].image and 1 more',
        ],
        [0, 'Service/podinfo: Synced · Healthy in kind-prod'],
      ],
    );
  });
});

describe('the Command Palette', () => {
  const manifest = JSON.parse(
    readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'),
  ) as {
    contributes: {
      commands: { command: string; title: string }[];
      menus: { commandPalette: { command: string; when?: string }[] };
    };
  };
  const palette = manifest.contributes.menus.commandPalette;

  it('offers Reconcile, Open Source, Copy Id, Disconnect, the diff and the file comparison', () => {
    const offered = [
      'gitopsWorkbench.reconcileApp',
      'gitopsWorkbench.openResourceSource',
      'gitopsWorkbench.copyResourceId',
      'gitopsWorkbench.disconnectContext',
      'gitopsWorkbench.showDiff',
      'gitopsWorkbench.compareFileWithCluster',
    ];
    for (const command of offered) {
      const entry = palette.find((item) => item.command === command);
      assert.notEqual(entry?.when, 'false', `${command} is hidden from the Command Palette`);
      assert.ok(
        manifest.contributes.commands.some((item) => item.command === command),
        `${command} has no title`,
      );
    }
    assert.equal(
      manifest.contributes.commands.find(
        (item) => item.command === 'gitopsWorkbench.compareFileWithCluster',
      )?.title,
      "Compare This File's Resources with the Cluster",
    );
  });

  it('has a handler for every command it lists', () => {
    const dir = path.join(__dirname, '..', '..', 'client', 'src');
    const source = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .map((file) => readFileSync(path.join(dir, file), 'utf8'))
      .join('\n');
    for (const { command } of manifest.contributes.commands) {
      assert.ok(source.includes(`'${command}'`), `${command} has no handler`);
    }
  });
});
