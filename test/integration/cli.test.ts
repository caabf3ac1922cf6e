import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'cli');

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: FIXTURES,
    encoding: 'utf8',
    timeout: 30_000,
    shell: false,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertNoStackTrace(run: CliRun): void {
  assert.doesNotMatch(run.stderr + run.stdout, /\n\s+at\s/, 'no stack trace is printed');
}

describe('gitops-workbench check (dist/cli.js)', () => {
  it('exits 0 on valid manifests and says what it checked', () => {
    const run = cli('check', 'valid');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Checked 2 files, 2 resources: 0 errors, 0 warnings.\n');
  });

  it('exits 1 and prints each error with its one-based position', () => {
    const run = cli('check', 'invalid');
    assert.equal(run.code, 1);
    const lines = run.stdout.trimEnd().split('\n');
    assert.deepEqual(lines, [
      `${path.join('invalid', 'missing-api-version.yaml')}:6:1: error [missing-api-version] Resource has "kind" but no "apiVersion": add the apiVersion of kind Service (for example "apiVersion: v1").`,
      `${path.join('invalid', 'syntax.yaml')}:4:9: error [yaml-syntax] YAML syntax: this line does not line up with the lines it belongs with, so the document cannot be read (Nested mappings are not allowed in compact mappings). Indent it like its siblings, or start a list item with "- "; the rest of the document is checked once it reads.`,
      'Checked 2 files, 2 resources: 2 errors, 0 warnings.',
    ]);
  });

  it('prints the documented JSON shape with --format json', () => {
    const run = cli('check', '--format', 'json', 'invalid', path.join('valid', 'app.yaml'));
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as unknown;
    assert.deepEqual(report, {
      files: 3,
      resources: 4,
      findings: [
        {
          file: path.join('invalid', 'missing-api-version.yaml'),
          line: 6,
          column: 1,
          endLine: 6,
          endColumn: 5,
          severity: 'error',
          code: 'missing-api-version',
          message:
            'Resource has "kind" but no "apiVersion": add the apiVersion of kind Service (for example "apiVersion: v1").',
        },
        {
          file: path.join('invalid', 'syntax.yaml'),
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 10,
          severity: 'error',
          code: 'yaml-syntax',
          message:
            'YAML syntax: this line does not line up with the lines it belongs with, so the document cannot be read (Nested mappings are not allowed in compact mappings). Indent it like its siblings, or start a list item with "- "; the rest of the document is checked once it reads.',
        },
      ],
    });
  });

  it('exits 2 with one line on stderr for usage errors and missing paths', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /^gitops-workbench: no command given\. Run "gitops-workbench --help" for usage\.\n$/],
      [['lint', '.'], /^gitops-workbench: unknown command "lint"\./],
      [['check'], /^gitops-workbench: check needs at least one file or folder/],
      [
        ['check', '--format', 'xml', 'valid'],
        /^gitops-workbench: --format must be "text" or "json"/,
      ],
      [['check', '--frobnicate', 'valid'], /^gitops-workbench: Unknown option '--frobnicate'/],
      [['check', 'no-such-folder'], /^gitops-workbench: No such file or folder: no-such-folder\./],
    ];
    for (const [args, expected] of cases) {
      const run = cli(...args);
      assert.equal(run.code, 2, `exit code of ${args.join(' ')}`);
      assert.match(run.stderr, expected);
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, 'one line on stderr');
      assert.equal(run.stdout, '');
      assertNoStackTrace(run);
    }
  });

  it('prints usage with --help and the version with --version', () => {
    const help = cli('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: gitops-workbench <command>/);
    const version = cli('--version');
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('validates against the schemas of the Kubernetes version asked for, and refuses one not bundled', () => {
    const ok = cli('check', '--kubernetes-version', '1.34', 'valid');
    assert.equal(ok.code, 0, ok.stderr);
    const missing = cli('check', '--kubernetes-version', '1.7', 'valid');
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^gitops-workbench: No schemas are bundled for Kubernetes 1\.7; bundled versions: 1\.34\. Pick one of them as the Kubernetes version \(--kubernetes-version\)\./,
    );
  });

  it('checks many files on several threads with the same findings, in file order', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-cli-many-'));
    try {
      for (let i = 0; i < 24; i++) {
        const replicas = i % 5 === 0 ? 'three' : '3';
        writeFileSync(
          path.join(dir, `app-${String(i).padStart(2, '0')}.yaml`),
          `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers: [{name: a, image: a}]\n`,
        );
      }
      const run = cli('check', '--format', 'json', dir);
      assert.equal(run.code, 1, run.stderr);
      const report = JSON.parse(run.stdout) as {
        files: number;
        resources: number;
        findings: Array<{ file: string; line: number; code: string }>;
      };
      assert.equal(report.files, 24);
      assert.equal(report.resources, 24);
      assert.deepEqual(
        report.findings.map((finding) => [path.basename(finding.file), finding.line, finding.code]),
        [0, 5, 10, 15, 20].map((i) => [
          `app-${String(i).padStart(2, '0')}.yaml`,
          6,
          'invalid-type',
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds no error in the bundled example repo, whose overlay patches are partial resources', () => {
    const run = spawnSync(
      process.execPath,
      [
        CLI,
        'check',
        '--no-render',
        path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops'),
      ],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Checked 14 files, 14 resources: 0 errors, 0 warnings\.\n$/);
  });
});
