import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeCorpus } from '../../scripts/bench/corpus';
import { yamlFilesUnder } from '../unit/support/fixtureYaml';
import type { JsonReport } from '../../server/src/cli/formatReport';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
/** Fixture folders of real manifests, CRDs, kustomizations and charts (real-repos is too large). */
const FOLDERS = ['cel', 'charts', 'cli', 'crds', 'differential', 'oracle', 'render'];

function check(cwd: string, targets: readonly string[]): JsonReport {
  const run = spawnSync(
    process.execPath,
    [CLI, 'check', '--no-render', '--format', 'json', ...targets],
    { cwd, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024, shell: false },
  );
  assert.ok(run.status === 0 || run.status === 1, `exit code ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as JsonReport;
}

/** The findings of each file, in the order the report gives them. */
function byFile(report: JsonReport): Map<string, JsonReport['findings'][number][]> {
  const files = new Map<string, JsonReport['findings'][number][]>();
  for (const finding of report.findings) {
    files.set(finding.file, [...(files.get(finding.file) ?? []), finding]);
  }
  return files;
}

/** The YAML files under `root`, relative to it. */
function yamlFilesIn(root: string): string[] {
  return yamlFilesUnder(root).map((file) => path.relative(root, file));
}

describe('check on worker threads (a folder) and on the main thread (its files named)', () => {
  let work: string;

  before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'gw-cli-workers-'));
    // One repository for both runs: a file named alone is judged within it, as in the folder.
    mkdirSync(path.join(work, '.git'));
    for (const folder of FOLDERS) {
      cpSync(path.join(FIXTURES, folder), path.join(work, folder), { recursive: true });
    }
    // Mistakes at many places of real files: a misspelt field in each manifest.
    for (const file of yamlFilesIn(work)) {
      const text = readFileSync(path.join(work, file), 'utf8');
      const mutated = text.replace(/^(\s+)(name|image|port|replicas|value):/m, '$1$2x:');
      if (mutated !== text)
        writeFileSync(path.join(work, file.replace(/\.ya?ml$/, '-mutated.yaml')), mutated);
    }
    // The bench's corpus: many documents per file, about one in a hundred wrong; more than
    // BYTES_PER_WORKER of it, so a worker is started on 2 cores.
    await writeCorpus(path.join(work, 'generated'), 320, 100);
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('reports the same findings, ranges and messages for every file of the fixtures', () => {
    const onWorkers = check(work, ['.']);
    const files = yamlFilesIn(work);
    assert.ok(files.length >= 100, `${files.length} YAML files`);
    const onMain = check(work, files);
    assert.equal(onWorkers.files, onMain.files);
    assert.equal(onWorkers.resources, onMain.resources);
    assert.ok(onMain.findings.length >= 100, `${onMain.findings.length} findings`);
    assert.ok(
      onMain.findings.some((finding) => finding.severity === 'error'),
      'the fixtures hold errors',
    );
    assert.deepEqual(byFile(onWorkers), byFile(onMain));
  });
});

describe('check on worker threads of a repository without CRDs (files checked before it is read)', () => {
  let work: string;

  before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'gw-cli-guess-'));
    mkdirSync(path.join(work, '.git'));
    await writeCorpus(path.join(work, 'generated'), 320, 100);
    // A patch: alone it lacks the required selector, named by a kustomization it is partial.
    mkdirSync(path.join(work, 'app'));
    writeFileSync(
      path.join(work, 'app', 'kustomization.yaml'),
      'resources:\n  - deploy.yaml\npatches:\n  - path: patch.yaml\n',
    );
    writeFileSync(
      path.join(work, 'app', 'deploy.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
    );
    writeFileSync(
      path.join(work, 'app', 'patch.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector: 4\n',
    );
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('judges a patch as a patch and every other file as on the main thread', () => {
    const onWorkers = check(work, ['.']);
    const files = yamlFilesIn(work);
    const onMain = check(work, files);
    assert.equal(onWorkers.resources, 320 * 100 + 2);
    assert.deepEqual(byFile(onWorkers), byFile(onMain));
    const patch = byFile(onWorkers).get(path.join('app', 'patch.yaml')) ?? [];
    // The wrong type is reported; the missing template is not (the patch does not change it).
    assert.deepEqual(
      patch.map((finding) => finding.code),
      ['invalid-type'],
    );
    assert.ok(
      (byFile(onWorkers).get(path.join('generated', 'resources-000.yaml')) ?? []).length > 0,
    );
  });
});
