import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
      `${path.join('invalid', 'syntax.yaml')}:4:9: error [yaml-syntax] YAML syntax: Nested mappings are not allowed in compact mappings.`,
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
          message: 'YAML syntax: Nested mappings are not allowed in compact mappings.',
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
});
