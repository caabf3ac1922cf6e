// The units a file belongs to, as Show Rendered Manifests and `render --unit` offer them: a chart
// deployed by two Flux HelmReleases and an Argo CD Application (test/fixtures/chart-releases),
// listed without running a tool, the chart's defaults first, each named after what it renders.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { Workspace } from '../../server/src/engine';

const REPO = path.resolve(__dirname, '..', 'fixtures', 'chart-releases');
const NO_TOOLS = { settings: () => ({ binaries: {}, allowNetwork: false }) };

describe('the units a file belongs to', () => {
  let workspace: Workspace;
  const listed = async (
    relative: string,
    line?: number,
  ): Promise<{ label: string; where: string; kind: string }[]> =>
    (await workspace.unitsOf(path.join(REPO, relative), line === undefined ? {} : { line })).map(
      (entry) => ({ ...workspace.describe(entry), kind: entry.unit.kind }),
    );

  before(async () => {
    workspace = await Workspace.open([REPO], { render: NO_TOOLS, root: REPO });
  });

  const chartUnits = [
    { label: 'podinfo (chart defaults)', where: 'charts/podinfo', kind: 'helm' },
    {
      label: 'podinfo (HelmRelease production/podinfo)',
      where: 'clusters/production/podinfo.yaml:1',
      kind: 'flux-helmrelease',
    },
    {
      label: 'podinfo (HelmRelease staging/podinfo)',
      where: 'clusters/staging/podinfo.yaml:1',
      kind: 'flux-helmrelease',
    },
    {
      label: 'podinfo (Application demo/podinfo-demo)',
      where: 'argocd/podinfo.yaml:1',
      kind: 'argocd-application',
    },
  ];

  it('lists the chart defaults, then each HelmRelease, then the Application, for a template', async () => {
    assert.deepEqual(await listed('charts/podinfo/templates/deployment.yaml'), chartUnits);
  });

  it('lists the same units for the chart values.yaml and the chart folder', async () => {
    assert.deepEqual(await listed('charts/podinfo/values.yaml'), chartUnits);
    assert.deepEqual(await listed('charts/podinfo'), chartUnits);
  });

  it('gives the unit rendered when nobody chooses as the first one', async () => {
    const owner = await workspace.unitOf(
      path.join(REPO, 'charts/podinfo/templates/deployment.yaml'),
    );
    assert.equal(owner?.unit.kind, 'helm');
    assert.equal(owner?.unit.name, 'podinfo');
  });

  it('lists only its own release for the file that defines a HelmRelease', async () => {
    assert.deepEqual(await listed('clusters/staging/podinfo.yaml'), [chartUnits[2]]);
  });

  it('lists nothing for a file no unit renders', async () => {
    assert.deepEqual(await listed('README.md'), []);
  });
});

describe('the units of a kustomization file', () => {
  const example = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');

  it('lists only the overlay, not the Flux Kustomization that builds it', async () => {
    const workspace = await Workspace.open([example], { render: NO_TOOLS, root: example });
    const units = await workspace.unitsOf(
      path.join(example, 'apps/podinfo/overlays/staging/replicas-patch.yaml'),
    );
    assert.deepEqual(
      units.map((entry) => workspace.describe(entry)),
      [
        {
          label: 'apps/podinfo/overlays/staging (kustomize)',
          where: 'apps/podinfo/overlays/staging',
        },
      ],
    );
    assert.ok(
      workspace.units().some(({ unit }) => unit.kind === 'flux-kustomization'),
      'the example has a Flux Kustomization',
    );
  });
});

describe('the units of a file below a Flux Kustomization whose folder has no kustomization', () => {
  it('is the Flux Kustomization, which renders every YAML file below its path', async () => {
    // billimek/k8s-gitops: cluster-apps (path ./kubernetes) renders the apps' files directly.
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-unit-choices-'));
    try {
      const write = async (relative: string, text: string): Promise<void> => {
        await fs.mkdir(path.dirname(path.join(root, relative)), { recursive: true });
        await fs.writeFile(path.join(root, relative), text);
      };
      await write(
        'setup/cluster.yaml',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: cluster-apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./kubernetes\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
      );
      const route =
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  ports: [{port: 80}]\n';
      await write('kubernetes/default/web/service.yaml', route);
      await write('kubernetes/README.md', '# apps\n');
      const workspace = await Workspace.open([root], { render: NO_TOOLS, root });
      const of = async (relative: string): Promise<string[]> =>
        (await workspace.unitsOf(path.join(root, relative))).map(
          (entry) => workspace.describe(entry).where,
        );
      assert.deepEqual(await of('kubernetes/default/web/service.yaml'), ['setup/cluster.yaml:1']);
      assert.deepEqual(await of('kubernetes/README.md'), [], 'only YAML files');
      // A kustomization of its own between them takes the file.
      await write('kubernetes/default/kustomization.yaml', 'resources: [web/service.yaml]\n');
      const again = await Workspace.open([root], { render: NO_TOOLS, root });
      const owners = await again.unitsOf(path.join(root, 'kubernetes/default/web/service.yaml'));
      assert.deepEqual(
        owners.map((entry) => again.describe(entry).where),
        ['kubernetes/default'],
      );
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
