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

function release(name: string, values: string): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${name}`,
    '  namespace: apps',
    'spec:',
    '  interval: 10m',
    '  chart:',
    '    spec:',
    '      chart: ./tiny',
    '      sourceRef: {kind: GitRepository, name: repo, namespace: apps}',
    '  values:',
    `    ${values}`,
  ].join('\n');
}

describe('values-schema refusals of several units of one file (dist/cli.js)', () => {
  let repo = '';
  before(async () => {
    await ensureTools(['helm']);
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-values-units-'));
    const chart = path.join(repo, 'tiny');
    mkdirSync(path.join(chart, 'templates'), { recursive: true });
    writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\n');
    writeFileSync(path.join(chart, 'values.yaml'), 'replicas: 1\n');
    writeFileSync(path.join(chart, 'values.schema.json'), SCHEMA);
    writeFileSync(
      path.join(chart, 'templates', 'config.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n',
    );
    mkdirSync(path.join(repo, 'apps'), { recursive: true });
    writeFileSync(
      path.join(repo, 'apps', 'source.yaml'),
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: repo\n  namespace: apps\nspec:\n  interval: 10m\n  url: https://example.com/fleet.git\n  ref: {branch: main}\n',
    );
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  function check(): JsonFinding[] {
    const run = spawnSync(
      process.execPath,
      [CLI, 'check', '--format', 'json', '--helm', toolPath('helm'), '--root', repo, repo],
      { encoding: 'utf8', timeout: 180_000, shell: false },
    );
    assert.equal(run.stderr, '');
    assert.equal(run.status, 1, run.stdout);
    return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
  }

  it("keeps one HelmRelease's refusal when another release of the file has values findings", () => {
    writeFileSync(
      path.join(repo, 'apps', 'releases.yaml'),
      [release('first', 'replicas: two'), '---', release('second', 'tags: [a, a]'), ''].join('\n'),
    );
    const findings = check().filter((finding) => finding.file.endsWith('releases.yaml'));
    assert.deepEqual(
      findings.map((finding) => [finding.line, finding.code]),
      [
        [13, 'values-schema'],
        [15, 'render-failed'],
      ],
      JSON.stringify(findings),
    );
    assert.match(findings[1]?.message ?? '', /values don't meet the specifications of the schema/);
  });

  it('reports an Argo CD parameter and a valuesFrom ConfigMap on their lines, not as renders that failed', () => {
    rmSync(path.join(repo, 'apps', 'releases.yaml'));
    writeFileSync(
      path.join(repo, 'apps', 'app.yaml'),
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Application',
        'metadata:',
        '  name: app',
        '  namespace: argocd',
        'spec:',
        '  project: default',
        '  destination: {namespace: apps, server: https://kubernetes.default.svc}',
        '  source:',
        '    repoURL: https://example.com/fleet.git',
        '    path: tiny',
        '    helm:',
        '      parameters:',
        '        - name: replicas',
        '          value: "2"',
        '          forceString: true',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(repo, 'apps', 'from.yaml'),
      [
        release('from', 'tags: [a]')
          .replace('  values:\n', '  valuesFrom:\n')
          .replace('    tags: [a]', '    - {kind: ConfigMap, name: from-values}'),
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: from-values',
        '  namespace: apps',
        'data:',
        '  values.yaml: |',
        '    tags: [x]',
        '    replicas: many',
        '',
      ].join('\n'),
    );
    const findings = check().filter((finding) => !finding.file.endsWith('source.yaml'));
    assert.deepEqual(
      findings.map((finding) => [path.basename(finding.file), finding.line, finding.code]),
      [
        ['app.yaml', 15, 'values-schema'],
        ['from.yaml', 23, 'values-schema'],
      ],
      JSON.stringify(findings),
    );
  });
});
