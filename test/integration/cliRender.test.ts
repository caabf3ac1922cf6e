import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');
const OVERLAY = path.join(EXAMPLE, 'apps', 'podinfo', 'overlays', 'staging');
const SECRET_VALUE = 'demo-token-not-a-real-secret';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('gitops-workbench render (dist/cli.js)', () => {
  before(async () => {
    await ensureTools(['kustomize', 'helm']);
  });

  it('prints what kustomize builds, with Secret values masked', () => {
    const run = cli('render', '--kustomize', toolPath('kustomize'), OVERLAY);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!(run.stdout + run.stderr).includes(SECRET_VALUE), 'the Secret value is not printed');
    assert.match(run.stdout, /kind: Secret[\s\S]*token: \+{8}/);
    const direct = spawnSync(toolPath('kustomize'), ['build', OVERLAY], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const shown = cli('render', '--show-secrets', '--kustomize', toolPath('kustomize'), OVERLAY);
    assert.equal(
      shown.stdout,
      direct.stdout,
      'with --show-secrets the output is kustomize build output',
    );
  });

  it('renders the path of a Flux Kustomization, relative to the repository root', () => {
    const run = cli(
      'render',
      '--root',
      EXAMPLE,
      path.join(EXAMPLE, 'clusters', 'local', 'podinfo-staging.yaml'),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.match(/^kind: \w+$/gm), [
      'kind: Namespace',
      'kind: ConfigMap',
      'kind: Secret',
      'kind: Service',
      'kind: Deployment',
      'kind: HorizontalPodAutoscaler',
    ]);
  });

  it('takes any line of a document for file:LINE, and lists the units when the line is in none', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-render-lines-'));
    const kustomization = (name: string, folder: string): string =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./${folder}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
    try {
      for (const [folder, kind] of [
        ['a', 'ConfigMap'],
        ['b', 'Secret'],
      ] as const) {
        mkdirSync(path.join(dir, folder));
        writeFileSync(
          path.join(dir, folder, 'one.yaml'),
          `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: one\n  namespace: default\n`,
        );
      }
      const file = path.join(dir, 'apps.yaml');
      // Line 1 a comment, 2 `---`, 3-14 the first unit, 15 `---`, 16-27 the second, 28-36 a GitRepository.
      writeFileSync(
        file,
        `# apps\n---\n${kustomization('first', 'a')}---\n${kustomization('second', 'b')}---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/repo.git\n`,
      );
      const kinds = (run: { stdout: string }): string[] => run.stdout.match(/^kind: \w+$/gm) ?? [];
      for (const [line, kind] of [
        [3, 'kind: ConfigMap'],
        [8, 'kind: ConfigMap'],
        [15, 'kind: Secret'],
        [22, 'kind: Secret'],
      ] as const) {
        const run = cli('render', '--root', dir, `${file}:${line}`);
        assert.equal(run.code, 0, `line ${line}: ${run.stderr}`);
        assert.deepEqual(kinds(run), [kind], `line ${line}`);
      }
      const first = cli('render', '--root', dir, file);
      assert.deepEqual(kinds(first), ['kind: ConfigMap'], 'with no line, the first unit');
      const none = cli('render', '--root', dir, `${file}:30`);
      assert.equal(none.code, 2);
      assert.equal(
        none.stderr.trim(),
        `gitops-workbench: Line 30 of ${file} is not in a document that defines a unit; the units of this file are at ${file}:3, ${file}:16. Run "gitops-workbench --help" for usage.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with one line when the unit does not render, and 2 for what is not a unit', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-render-'));
    try {
      writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - ../outside.yaml\n');
      const refused = cli('render', '--root', dir, dir);
      assert.equal(refused.code, 1);
      assert.equal(refused.stderr.trimEnd().split('\n').length, 1, refused.stderr);
      assert.match(
        refused.stderr,
        /^gitops-workbench: kustomization \S+ does not render: .*outside/,
      );
      assert.match(refused.stderr, /\(--root FOLDER\)/, 'names the flag that moves the root');
      const notAUnit = cli('render', path.join(EXAMPLE, 'README.md'));
      assert.equal(notAUnit.code, 2);
      assert.match(notAUnit.stderr, /is not a render unit/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
