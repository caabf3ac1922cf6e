import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { tempRepo } from './support/gitRepos';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

/* eslint-disable no-control-regex -- what no byte of the output may be */
const RAW_CONTROL =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;
/* eslint-enable no-control-regex */

const ESC = '\u001b';
const FORGED = 'Checked 1 file, 1 resource: 0 errors, 0 warnings.';
/** Erase the line, go back to its start, print a clean summary, hide what follows. */
const OVERWRITE = `${ESC}[2K\r${FORGED}${ESC}[8m`;

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(cwd: string, ...args: string[]): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    shell: false,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const temporary: string[] = [];
after(() => {
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
});

function folderWith(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cli-controls-'));
  temporary.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** A ConfigMap with one unknown top-level field, whose key is `key` (YAML double-quoted). */
function withUnknownField(key: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"${key}": 1\n`;
}

// Windows file names cannot hold control characters; there only the YAML key is hostile.
const HOSTILE_NAMES =
  process.platform === 'win32'
    ? []
    : [`a${ESC}[2K\r.yaml`, `b\n${FORGED}\n.yaml`, `c\u202eyaml.txt\u202c.yaml`];

describe('control characters from a repository in the CLI output (dist/cli.js)', () => {
  const folder = folderWith({
    'key.yaml': withUnknownField('\\e[2K\\r' + FORGED + '\\e[8m'),
    ...Object.fromEntries(HOSTILE_NAMES.map((name) => [name, withUnknownField('extra')])),
  });

  it('check: each finding stays on its line, escaped, and the real summary is the last line', () => {
    const run = cli(folder, 'check', '--no-render', '.');
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stdout, RAW_CONTROL);
    const lines = run.stdout.trimEnd().split('\n');
    const files = HOSTILE_NAMES.length + 1;
    assert.equal(lines.length, files + 1, run.stdout);
    for (const line of lines.slice(0, -1)) {
      assert.match(line, /^.+:5:1: error \[unknown-field\] Unknown field "/);
    }
    assert.equal(
      lines[lines.length - 1],
      `Checked ${files} files, ${files} resources: ${files} errors, 0 warnings.`,
    );
    assert.ok(
      lines.some((line) =>
        line.startsWith(
          `key.yaml:5:1: error [unknown-field] Unknown field "\\u001b[2K\\r${FORGED}\\u001b[8m"`,
        ),
      ),
      run.stdout,
    );
    if (HOSTILE_NAMES.length > 0) {
      assert.ok(lines.some((line) => line.startsWith('a\\u001b[2K\\r.yaml:5:1: ')));
      assert.ok(lines.some((line) => line.startsWith(`b\\n${FORGED}\\n.yaml:5:1: `)));
      assert.ok(lines.some((line) => line.startsWith('c\\u202eyaml.txt\\u202c.yaml:5:1: ')));
    }
  });

  it('check --format json: valid JSON that gives back the exact names and messages', () => {
    const run = cli(folder, 'check', '--no-render', '--format', 'json', '.');
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stdout, RAW_CONTROL);
    const report = JSON.parse(run.stdout) as { findings: { file: string; message: string }[] };
    assert.deepEqual(
      report.findings.map((finding) => finding.file).sort(),
      [...HOSTILE_NAMES, 'key.yaml'].sort(),
    );
    assert.ok(report.findings.some((finding) => finding.message.includes(OVERWRITE)));
  });

  it('render: the YAML keeps its line breaks (CRLF too), its controls are escaped', () => {
    const root = folderWith({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'apps/web/cm.yaml':
        'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: web\r\ndata:\r\n' +
        `  color: "red${ESC}[2K\rgreen"\r\n  note: abc\u202edef\r\n`,
    });
    const run = cli(root, 'render', path.join('apps', 'web'));
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, RAW_CONTROL);
    assert.equal(
      run.stdout,
      'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: web\r\ndata:\r\n' +
        '  color: "red\\u001b[2K\\rgreen"\r\n  note: abc\\u202edef\r\n',
    );
  });

  it('history: a commit subject with escape sequences is shown escaped, one line per commit', () => {
    const repo = tempRepo({ 'apps/web/cm.yaml': withUnknownField('a') });
    temporary.push(path.dirname(repo.root));
    repo.commit(`Harmless${ESC}[2K\r${ESC}[32mall checks passed${ESC}[0m\u202e`, {
      'apps/web/cm.yaml': withUnknownField('b'),
    });
    const run = cli(repo.root, 'history', path.join('apps', 'web'));
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, RAW_CONTROL);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, run.stdout);
    assert.match(
      lines[1] ?? '',
      /Test Author {2}Harmless\\u001b\[2K\\r\\u001b\[32mall checks passed\\u001b\[0m\\u202e$/,
    );
  });

  it('stderr: an error naming a hostile argument is one escaped line', () => {
    const run = cli(folder, 'render', `missing${ESC}[2K\r\n${FORGED}`);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `gitops-workbench: No such file or folder: missing\\u001b[2K\\r\\n${FORGED}. Run "gitops-workbench --help" for usage.\n`,
    );
  });
});
