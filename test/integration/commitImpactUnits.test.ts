// Which units the rendered impact of a commit shows (Show Git History, the rollback preview,
// `history`/`rollback` in the CLI), with the real kustomize: a folder a Flux app deploys is shown
// once, through the app, also in the commit that adds the app; two apps of one name (Flux's
// `apps` of each cluster) are told apart by the file that defines each.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { branchImpact } from '../../server/src/engine/git/branchImpact';
import { renderedImpact } from '../../server/src/engine/git/impact';
import type { RenderedImpact } from '../../server/src/engine/git/types';
import { renderUnit } from '../../server/src/engine/render';
import type { RenderResult, RenderUnit } from '../../server/src/engine/render';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { tempRepo } from './support/gitRepos';
import type { TempRepo } from './support/gitRepos';

function render(
  unit: RenderUnit,
  workspaceRoot: string,
  signal?: AbortSignal,
): Promise<RenderResult> {
  return renderUnit(unit, {
    workspaceRoot,
    overlays: new Map(),
    binaries: { kustomize: toolPath('kustomize') },
    allowNetwork: false,
    ...(signal ? { signal } : {}),
  });
}

const configMap = (mode: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  mode: ${mode}\n`;

/** Flux's bootstrap layout: the cluster's source and its `apps` Kustomization. */
function clusterApps(cluster: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@example.com/acme/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps/web
  targetNamespace: ${cluster}
  prune: true
`;
}

/** Each impact as its label and its changes, sorted by label. */
function summary(impacts: readonly RenderedImpact[]): [string, string[]][] {
  return impacts
    .map((impact): [string, string[]] => [
      impact.unit,
      impact.changes.map(
        (change) => `${change.change} ${change.kind} ${change.namespace}/${change.name}`,
      ),
    ])
    .sort();
}

describe('the units the rendered impact of a commit shows', () => {
  let r: TempRepo;
  let folderOnly: string;
  let appsAdded: string;
  let modeChange: string;

  before(async () => {
    await ensureTools(['kustomize']);
    r = tempRepo({
      'apps/web/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - configmap.yaml\n',
      'apps/web/configmap.yaml': configMap('a'),
    });
    folderOnly = r.git('rev-parse', 'HEAD').trim();
    appsAdded = r.commit('Deploy web to staging and production', {
      'clusters/staging/apps.yaml': clusterApps('staging'),
      'clusters/production/apps.yaml': clusterApps('production'),
    });
    modeChange = r.commit('web: mode b', { 'apps/web/configmap.yaml': configMap('b') });
  });

  after(() => r?.dispose());

  it('shows a change of the folder once per app that deploys it, apps of one name told apart', async () => {
    const impacts = await renderedImpact(r.root, modeChange, { render });
    assert.deepEqual(
      summary(impacts),
      [
        ['apps (clusters/production/apps.yaml)', ['modified ConfigMap production/web']],
        ['apps (clusters/staging/apps.yaml)', ['modified ConfigMap staging/web']],
      ],
      'not the folder apps/web a third time',
    );
  });

  it('shows what a commit that adds the apps deploys, not the folder as removed', async () => {
    const impacts = await renderedImpact(r.root, appsAdded, { render });
    assert.deepEqual(
      summary(impacts),
      [
        ['apps (clusters/production/apps.yaml)', ['added ConfigMap production/web']],
        ['apps (clusters/staging/apps.yaml)', ['added ConfigMap staging/web']],
        // The files of the commit themselves, as plain folders.
        [
          'clusters/production',
          ['added GitRepository flux-system/flux-system', 'added Kustomization flux-system/apps'],
        ],
        [
          'clusters/staging',
          ['added GitRepository flux-system/flux-system', 'added Kustomization flux-system/apps'],
        ],
      ],
      'not apps/web with its ConfigMap removed',
    );
  });

  it('still shows the folder when it is the unit asked for', async () => {
    const impacts = await renderedImpact(r.root, modeChange, {
      render,
      unitIds: ['kustomize:apps/web'],
    });
    assert.deepEqual(
      impacts.map((impact) => [impact.unit, impact.changes.map((change) => change.change)]),
      [['apps/web', ['modified']]],
    );
  });
  it('shows a branch that adds the apps the same way (Preview Branch Impact)', async () => {
    const impact = await branchImpact(r.root, {
      base: folderOnly,
      head: appsAdded,
      render: (unit, workspaceRoot, options) =>
        renderUnit(unit, {
          workspaceRoot,
          overlays: new Map(),
          binaries: { kustomize: toolPath('kustomize') },
          allowNetwork: false,
          ...options,
        }),
    });
    assert.deepEqual(
      impact.apps.map((app) => `${app.app} ${app.path}: ${app.status}`).sort(),
      [
        'apps apps/web: added',
        'apps apps/web: added',
        'clusters/production clusters/production: added',
        'clusters/staging clusters/staging: added',
      ],
      'the folder apps/web is not shown with its ConfigMap removed',
    );
  });
});
