import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

/** A chart whose schema wants an integer and a list without repeats (a keyword the engine skips). */
const SCHEMA = JSON.stringify({
  type: 'object',
  properties: {
    replicas: { type: 'integer' },
    tags: { type: 'array', uniqueItems: true },
  },
});

describe("helm's values-schema refusal and the engine's values findings (dist/cli.js)", () => {
  let repo = '';
  let chart = '';
  before(async () => {
    await ensureTools(['helm']);
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-values-refusal-'));
    chart = path.join(repo, 'tiny');
    mkdirSync(path.join(chart, 'templates'), { recursive: true });
    writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\n');
    writeFileSync(path.join(chart, 'values.schema.json'), SCHEMA);
    writeFileSync(
      path.join(chart, 'templates', 'config.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tiny\ndata:\n  replicas: {{ .Values.replicas | quote }}\n',
    );
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  function check(values: string): { code: number | null; findings: JsonFinding[] } {
    writeFileSync(path.join(chart, 'values.yaml'), values);
    const run = spawnSync(
      process.execPath,
      [CLI, 'check', '--format', 'json', '--helm', toolPath('helm'), '--root', repo, repo],
      { encoding: 'utf8', timeout: 120_000, shell: false },
    );
    assert.equal(run.stderr, '');
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    return { code: run.status, findings: report.findings };
  }

  it('reports a wrong value type once, on its key, and not again as a chart that does not render', () => {
    const { code, findings } = check('replicas: two\ntags: [a]\n');
    assert.equal(code, 1);
    assert.deepEqual(
      findings.map((finding) => [path.basename(finding.file), finding.line, finding.code]),
      [['values.yaml', 1, 'values-schema']],
      JSON.stringify(findings),
    );
  });

  it("keeps helm's refusal when the engine found nothing to say of the values", () => {
    const { code, findings } = check('replicas: 2\ntags: [a, a]\n');
    assert.equal(code, 1);
    assert.deepEqual(
      findings.map((finding) => finding.code),
      ['render-failed'],
      JSON.stringify(findings),
    );
    assert.match(
      findings[0]?.message ?? '',
      /chart tiny does not render: .*values don't meet the specifications of the schema/,
    );
  });
});
