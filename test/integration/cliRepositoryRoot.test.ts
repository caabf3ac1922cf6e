/**
 * `check` judges a file the way it judges its whole repository, wherever it is run from: the
 * repository of the target (its git root) gives the CRDs and kustomizations, and every path of
 * the report, rendered findings included, is relative to the folder check ran in.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const WIDGET_CRD = readFileSync(
  path.resolve(__dirname, '..', 'fixtures', 'crds', 'widget-crd.yaml'),
  'utf8',
);
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 0\n';

interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

describe('gitops-workbench check of one file of a repository (dist/cli.js)', () => {
  let temp = '';
  let repo = '';
  before(async () => {
    await ensureTools(['kustomize']);
    temp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gw-check-root-')));
    repo = path.join(temp, 'fleet');
    const files: Record<string, string> = {
      'crds/widget-crd.yaml': WIDGET_CRD,
      'apps/widgets/widget.yaml': WIDGET,
      'apps/broken/kustomization.yaml': 'resources:\n  - missing.yaml\n',
    };
    for (const [relative, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(repo, relative)), { recursive: true });
      writeFileSync(path.join(repo, relative), text);
    }
    const init = spawnSync('git', ['init', '--quiet'], { cwd: repo, encoding: 'utf8' });
    assert.equal(init.status, 0, init.stderr);
  });
  after(() => rmSync(temp, { recursive: true, force: true }));

  function check(cwd: string, ...args: string[]): JsonFinding[] {
    const run = spawnSync(
      process.execPath,
      [CLI, 'check', '--format', 'json', '--kustomize', toolPath('kustomize'), ...args],
      { cwd, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(run.stderr, '');
    return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
  }

  it('validates a file checked alone against the CRDs of its repository, from any folder', () => {
    const findings = check(temp, path.join(repo, 'apps', 'widgets', 'widget.yaml'));
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.code]),
      [[path.join('fleet', 'apps', 'widgets', 'widget.yaml'), 6, 'schema-constraint']],
      'the Widget CRD of fleet/crds is used, and the path is relative to where check ran',
    );
    const fromInside = check(path.join(repo, 'apps'), path.join('widgets', 'widget.yaml'));
    assert.deepEqual(
      fromInside.map((f) => [f.file, f.code]),
      [[path.join('widgets', 'widget.yaml'), 'schema-constraint']],
    );
  });

  it('gives rendered findings paths relative to the same folder, not absolute ones', () => {
    const findings = check(path.join(repo, 'apps'), '.');
    const failed = findings.find((f) => f.code === 'render-failed');
    assert.ok(failed, JSON.stringify(findings, null, 2));
    assert.equal(failed.file, path.join('broken', 'kustomization.yaml'));
    for (const finding of findings) {
      assert.ok(!path.isAbsolute(finding.file), `${finding.file} is relative`);
    }
    assert.ok(
      findings.some((f) => f.file === path.join('widgets', 'widget.yaml')),
      'the Widget is validated against the CRD outside the checked folder',
    );
  });
});
