import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

describe('gitops-workbench check: CEL rules of CRDs (dist/cli.js)', () => {
  let workspace: string;

  before(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'cli-cel-'));
    mkdirSync(path.join(workspace, 'crds'));
    mkdirSync(path.join(workspace, 'apps'));
    copyFileSync(
      path.join(
        FIXTURES,
        'crds',
        'gateway-api',
        'standard',
        'gateway.networking.k8s.io_httproutes.yaml',
      ),
      path.join(workspace, 'crds', 'httproutes.yaml'),
    );
    const route = readFileSync(path.join(FIXTURES, 'cel', 'standard', 'httproute.yaml'), 'utf8');
    writeFileSync(
      path.join(workspace, 'apps', 'route.yaml'),
      route.replace('value: /shop', 'value: shop'),
    );
    writeFileSync(
      path.join(workspace, 'apps', 'release.yaml'),
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  interval: 10m\n',
    );
  });

  after(() => {
    rmSync(workspace, { recursive: true, force: true });
  });

  it('reports the CRD rule message on the rule field, for workspace and bundled CRDs', () => {
    const run = spawnSync(process.execPath, [CLI, 'check', '--no-render', '.'], {
      cwd: workspace,
      encoding: 'utf8',
      timeout: 60_000,
      shell: false,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), [
      `${path.join('apps', 'release.yaml')}:5:1: error [cel-rule] spec: either chart or chartRef must be set`,
      `${path.join('apps', 'route.yaml')}:15:11: error [cel-rule] spec.rules[0].matches[0].path: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']`,
      'Checked 3 files, 3 resources: 2 errors, 0 warnings.',
    ]);
  });
});
