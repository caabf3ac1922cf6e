// A chart deployed by two Flux HelmReleases and an Argo CD Application with different values
// (test/fixtures/chart-releases), rendered with real helm from a template of the chart: the
// language server lists the four units and renders the one chosen with that release's values,
// and keeps rendering it when its defining line moves; the CLI renders the one --unit names.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { renderUnitsOf, renderedManifests } from '../../server/src/protocol';
import type { ChosenUnit, RenderUnitChoice } from '../../server/src/protocol';
import { TestLspClient } from './support/lspClient';

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'chart-releases');
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const TEMPLATE = path.join('charts', 'podinfo', 'templates', 'deployment.yaml');

function chosen(unit: RenderUnitChoice | undefined): ChosenUnit {
  assert.ok(unit, 'the unit is listed');
  return {
    id: unit.id,
    kind: unit.kind,
    name: unit.name,
    ...(unit.file ? { file: unit.file } : {}),
  };
}

describe('a chart used by several releases, previewed per release', () => {
  let repo = '';
  let client: TestLspClient;
  let templateUri = '';
  let units: readonly RenderUnitChoice[] = [];

  before(async () => {
    await ensureTools(['helm', 'kustomize']);
    repo = path.join(mkdtempSync(path.join(os.tmpdir(), 'gw-chart-releases-')), 'repo');
    cpSync(FIXTURE, repo, { recursive: true });
    client = await TestLspClient.start({ trusted: true }, repo, {
      helmPath: toolPath('helm'),
      kustomizePath: toolPath('kustomize'),
    });
    templateUri = pathToFileURL(path.join(repo, TEMPLATE)).href;
    units = (await client.connection.sendRequest(renderUnitsOf, { uri: templateUri })).units;
  });

  after(async () => {
    await client?.stop();
    rmSync(path.dirname(repo), { recursive: true, force: true });
  });

  it('lists the chart defaults, the two HelmReleases and the Application of a template', () => {
    assert.deepEqual(
      units.map(({ label, where }) => `${label} @ ${where}`),
      [
        'podinfo (chart defaults) @ charts/podinfo',
        'podinfo (HelmRelease production/podinfo) @ clusters/production/podinfo.yaml:1',
        'podinfo (HelmRelease staging/podinfo) @ clusters/staging/podinfo.yaml:1',
        'podinfo (Application demo/podinfo-demo) @ argocd/podinfo.yaml:1',
      ],
    );
  });

  it('renders the chosen unit with its values, the defaults when none is chosen', async () => {
    const replicas = async (unit?: ChosenUnit): Promise<string> => {
      const result = await client.connection.sendRequest(renderedManifests, {
        uri: templateUri,
        ...(unit ? { unit } : {}),
      });
      assert.equal(result.error, undefined, result.error);
      return `${/^ {2}replicas: (\d+)$/m.exec(result.yaml)?.[1]} ${/value: "(\w+)"/.exec(result.yaml)?.[1]}`;
    };
    assert.equal(await replicas(), '1 defaults');
    assert.equal(await replicas(chosen(units[0])), '1 defaults');
    assert.equal(await replicas(chosen(units[1])), '3 production');
    assert.equal(await replicas(chosen(units[2])), '2 staging');
    assert.equal(await replicas(chosen(units[3])), '4 demo');
  });

  it('keeps rendering the chosen release while lines are typed above it', async () => {
    const file = path.join(repo, 'clusters', 'staging', 'podinfo.yaml');
    const uri = pathToFileURL(file).href;
    await client.open(uri, readFileSync(file, 'utf8'));
    // Unsaved: a document above the HelmRelease (its line becomes 3) and replicaCount 5.
    const line = readFileSync(file, 'utf8').split('\n').indexOf('    replicaCount: 2');
    await client.change(uri, [
      { range: { start: { line, character: 18 }, end: { line, character: 19 } }, text: '5' },
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        text: '# moved\n---\n',
      },
    ]);
    const staging = chosen(units[2]);
    const result = await client.connection.sendRequest(renderedManifests, {
      uri: templateUri,
      unit: staging,
    });
    assert.equal(result.error, undefined, result.error);
    assert.match(result.yaml, /^ {2}replicas: 5$/m);
    const relisted = await client.connection.sendRequest(renderUnitsOf, { uri: templateUri });
    assert.ok(
      relisted.units.some((unit) => unit.where === 'clusters/staging/podinfo.yaml:3'),
      JSON.stringify(relisted.units.map((unit) => unit.where)),
    );
    assert.ok(!relisted.units.some((unit) => unit.id === staging.id), 'the old id is gone');
  });

  it('renders an unsaved edit of the template in the chosen release', async () => {
    const file = path.join(repo, TEMPLATE);
    await client.open(templateUri, readFileSync(file, 'utf8'));
    const line = readFileSync(file, 'utf8').split('\n').indexOf('        - name: podinfo');
    await client.change(templateUri, [
      { range: { start: { line, character: 16 }, end: { line, character: 23 } }, text: 'web' },
    ]);
    const result = await client.connection.sendRequest(renderedManifests, {
      uri: templateUri,
      unit: chosen(units[1]),
    });
    assert.equal(result.error, undefined, result.error);
    assert.match(result.yaml, /^ {8}- name: web$/m);
    assert.match(result.yaml, /^ {2}replicas: 3$/m);
  });

  it('says the chosen unit is gone when no unit of that name renders the file', async () => {
    const result = await client.connection.sendRequest(renderedManifests, {
      uri: templateUri,
      unit: { id: 'flux-helmrelease:/nowhere.yaml:1', kind: 'flux-helmrelease', name: 'gone' },
    });
    assert.equal(result.reason, 'unitGone');
    assert.equal(
      result.error,
      'gone no longer renders deployment.yaml: run Show Rendered Manifests again to choose a unit.',
    );
  });

  describe('gitops-workbench render <template>', () => {
    const cli = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
      const result = spawnSync(
        process.execPath,
        [CLI, 'render', '--helm', toolPath('helm'), ...args, path.join(FIXTURE, TEMPLATE)],
        { encoding: 'utf8', timeout: 60_000, cwd: FIXTURE },
      );
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const target = path.join(FIXTURE, TEMPLATE);

    it('renders the chart defaults and lists the other units on stderr', () => {
      const run = cli('--root', FIXTURE);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^ {2}replicas: 1$/m);
      assert.equal(
        run.stderr,
        [
          `gitops-workbench: ${target} belongs to 4 units; rendered podinfo (chart defaults). Render another with --unit PLACE:`,
          '  charts/podinfo                      podinfo (chart defaults)',
          '  clusters/production/podinfo.yaml:1  podinfo (HelmRelease production/podinfo)',
          '  clusters/staging/podinfo.yaml:1     podinfo (HelmRelease staging/podinfo)',
          '  argocd/podinfo.yaml:1               podinfo (Application demo/podinfo-demo)',
          '',
        ].join('\n'),
      );
    });

    it('renders the unit --unit names by its place or namespace/name', () => {
      const byPlace = cli('--root', FIXTURE, '--unit', 'clusters/staging/podinfo.yaml:1');
      assert.equal(byPlace.code, 0, byPlace.stderr);
      assert.match(byPlace.stdout, /^ {2}replicas: 2$/m);
      assert.equal(byPlace.stderr, '');
      const byName = cli('--root', FIXTURE, '--unit', 'demo/podinfo-demo');
      assert.equal(byName.code, 0, byName.stderr);
      assert.match(byName.stdout, /^ {2}replicas: 4$/m);
    });

    it('escapes the control characters of a release name in the list', () => {
      const hostile = path.join(path.dirname(repo), 'hostile');
      cpSync(FIXTURE, hostile, { recursive: true });
      const release = path.join(hostile, 'clusters', 'staging', 'podinfo.yaml');
      writeFileSync(
        release,
        readFileSync(release, 'utf8').replace(
          '  name: podinfo\n',
          '  name: "pod\\e[2Jinfo\\nforged: line"\n',
        ),
      );
      const result = spawnSync(
        process.execPath,
        [
          CLI,
          'render',
          '--helm',
          toolPath('helm'),
          '--root',
          hostile,
          path.join(hostile, TEMPLATE),
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      assert.ok(result.stderr.includes('staging/pod\\u001b[2Jinfo\\nforged: line'), result.stderr);
      assert.ok(!result.stderr.includes('\u001b'), 'an escape byte reached the terminal');
      assert.ok(!/^forged/m.test(result.stderr), 'a name started a line');
    });

    it('refuses a --unit that names none or several, listing the units', () => {
      const none = cli('--root', FIXTURE, '--unit', 'qa/podinfo');
      assert.equal(none.code, 2);
      assert.match(
        none.stderr,
        /^gitops-workbench: --unit qa\/podinfo names none of the units of .*deployment\.yaml: name one of charts\/podinfo \(podinfo \(chart defaults\)\), clusters\/production\/podinfo\.yaml:1 .*\. Run "gitops-workbench --help" for usage\.\n$/,
      );
      const several = cli('--root', FIXTURE, '--unit', 'podinfo');
      assert.equal(several.code, 2);
      assert.match(
        several.stderr,
        /--unit podinfo names 3 units of .*: name one by its place instead: /,
      );
      assert.equal(several.stdout, '');
    });
  });
});
