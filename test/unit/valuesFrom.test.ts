import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unitValuesFindings } from '../../server/src/engine/helm/unitValuesFindings';
import type { UnitValuesContext } from '../../server/src/engine/helm/unitValuesFindings';
import type { ChartValuesSchema } from '../../server/src/engine/helm/valuesFindings';
import { mergedInlineValues } from '../../server/src/engine/render/helmValues';
import { SourceReader } from '../../server/src/engine/render/sourceReader';
import type { RenderUnit, ValuesReference } from '../../server/src/engine/render/types';
import { valuesCompletionIn, valuesHoverIn } from '../../server/src/engine/helm/valuesAssist';
import { valuesAssistTarget } from '../../server/src/engine/helm/valuesAssistTargets';
import {
  valuesAssistOf,
  valuesExplainRefusal,
  valuesFindingsOf,
} from '../../server/src/engine/workspace/workspaceValues';

const REPO = path.resolve('/repo');
const CHART_ROOT = path.join(REPO, 'charts', 'demo');
const RELEASE = path.join(REPO, 'apps', 'release.yaml');
const CONFIG = path.join(REPO, 'apps', 'values.yaml');

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    replicaCount: { type: 'integer', minimum: 1 },
    mode: { type: 'string', enum: ['daemonset', 'deployment'] },
    password: { type: 'string', pattern: '^[a-z]+$' },
    port: { type: 'integer', minimum: 1024 },
    image: { type: 'object', properties: { tag: { type: 'string' } } },
  },
};

const CHART: ChartValuesSchema = {
  name: 'demo',
  root: CHART_ROOT,
  schema: SCHEMA,
  defaults: { replicaCount: 1, mode: 'deployment' },
};

function release(values: string[] = []): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: demo',
    '  namespace: apps',
    'spec:',
    '  chart:',
    '    spec: {chart: ./charts/demo, sourceRef: {kind: GitRepository, name: repo}}',
    ...(values.length > 0 ? ['  values:', ...values.map((line) => `    ${line}`)] : []),
    '',
  ].join('\n');
}

function configMap(kind: 'ConfigMap' | 'Secret', field: string, body: string[]): string {
  return [
    'apiVersion: v1',
    `kind: ${kind}`,
    'metadata:',
    '  name: demo-values',
    '  namespace: apps',
    `${field}:`,
    ...body.map((line) => `  ${line}`),
    '',
  ].join('\n');
}

function unit(valuesFrom: ValuesReference[]): RenderUnit {
  return {
    kind: 'flux-helmrelease',
    id: `flux-helmrelease:${RELEASE}:1`,
    name: 'demo',
    root: CHART_ROOT,
    renderer: 'helm',
    definedIn: { file: RELEASE, line: 1 },
    helm: { releaseName: 'demo', valueFiles: [], valuesFrom },
  };
}

function reference(extra: Partial<ValuesReference> = {}): ValuesReference {
  return {
    kind: 'ConfigMap',
    name: 'demo-values',
    valuesKey: 'values.yaml',
    optional: false,
    file: CONFIG,
    ...extra,
  };
}

function context(files: Record<string, string>): UnitValuesContext {
  return {
    repoRoot: REPO,
    read: (file) => Promise.resolve(files[file]),
    whereIs: (file) => Promise.resolve(files[file] === undefined ? 'missing' : 'inside'),
    chartOf: () => Promise.resolve(CHART),
  };
}

async function found(
  target: RenderUnit,
  files: Record<string, string>,
): Promise<{ lines: string[]; messages: string[] }> {
  const placed = await unitValuesFindings(target, context(files));
  return {
    lines: placed.map(
      ({ file, finding }) =>
        `${path.basename(file)} ${finding.range.start.line}:${finding.range.start.character} ${finding.message.split(' (values.schema.json')[0] ?? ''}`,
    ),
    messages: placed.map(({ finding }) => finding.message),
  };
}

describe('Flux HelmRelease valuesFrom checked against the chart schema', () => {
  it("puts a refused ConfigMap value on its line inside the ConfigMap's block", async () => {
    const config = configMap('ConfigMap', 'data', [
      'values.yaml: |',
      '  mode: job',
      '  image:',
      '    tag: 5',
    ]);
    const { lines, messages } = await found(unit([reference()]), {
      [RELEASE]: release(),
      [CONFIG]: config,
    });
    assert.deepEqual(lines, [
      "values.yaml 7:4 At '/mode': value must be one of 'daemonset', 'deployment'",
      "values.yaml 9:6 At '/image/tag': got number, want string",
    ]);
    assert.match(messages[0] ?? '', /\(values\.schema\.json of chart demo: helm does not render/);
  });

  it('merges valuesFrom in order, then spec.values on top', async () => {
    const files = {
      [RELEASE]: release(['mode: daemonset']),
      [CONFIG]: [
        configMap('ConfigMap', 'data', ['values.yaml: |', '  mode: job', '  replicaCount: 0']),
        '---',
        configMap('ConfigMap', 'data', ['other: |', '  replicaCount: 3']).replace(
          'demo-values',
          'more-values',
        ),
      ].join('\n'),
    };
    const more = reference({ name: 'more-values', valuesKey: 'other' });
    // spec.values fixes mode, the second ConfigMap fixes replicaCount.
    assert.deepEqual((await found(unit([reference(), more]), files)).lines, []);
    assert.deepEqual((await found(unit([more, reference()]), files)).lines, [
      "values.yaml 8:4 At '/replicaCount': minimum: got 0, want 1",
    ]);
  });

  it('sets a targetPath value as helm --set does (quoted text stays a string)', async () => {
    const files = (value: string): Record<string, string> => ({
      [RELEASE]: release(),
      [CONFIG]: configMap('ConfigMap', 'data', [`count: ${value}`]),
    });
    const target = unit([reference({ valuesKey: 'count', targetPath: 'replicaCount' })]);
    assert.deepEqual((await found(target, files('"3"'))).lines, []);
    assert.deepEqual((await found(target, files(`'"3"'`))).lines, [
      "values.yaml 6:2 At '/replicaCount': got string, want integer",
    ]);
  });

  it('never quotes a Secret value, in stringData or base64 data', async () => {
    const secretValue = 'Hunter2-Secret';
    const stringData = configMap('Secret', 'stringData', [
      'values.yaml: |',
      `  password: ${secretValue}`,
      '  port: 80',
    ]);
    const inStringData = await found(unit([reference({ kind: 'Secret' })]), {
      [RELEASE]: release(),
      [CONFIG]: stringData,
    });
    assert.deepEqual(inStringData.lines, [
      "values.yaml 7:4 At '/password': (a Secret value) does not match pattern '^[a-z]+$'",
      "values.yaml 8:4 At '/port': minimum: got (a Secret value), want 1024",
    ]);
    const encoded = Buffer.from(`password: ${secretValue}\n`).toString('base64');
    const inData = await found(unit([reference({ kind: 'Secret' })]), {
      [RELEASE]: release(),
      [CONFIG]: configMap('Secret', 'data', [`values.yaml: ${encoded}`]),
    });
    assert.deepEqual(inData.lines, [
      "values.yaml 6:2 At '/password': (a Secret value) does not match pattern '^[a-z]+$'",
    ]);
    for (const message of [...inStringData.messages, ...inData.messages]) {
      assert.ok(!message.includes(secretValue) && !message.includes('80,'), message);
    }
  });

  it('skips an optional reference the repository does not define, and checks nothing for a required one', async () => {
    const files = { [RELEASE]: release(['mode: job']) };
    const optional = reference({ optional: true });
    const { file: _file, ...elsewhere } = reference();
    assert.equal((await found(unit([optional]), files)).lines.length, 1);
    assert.deepEqual((await found(unit([elsewhere]), files)).lines, []);
    // A missing key: Flux fails the release, the render says why.
    const noKey = { ...files, [CONFIG]: configMap('ConfigMap', 'data', ['other: x']) };
    assert.deepEqual((await found(unit([reference()]), noKey)).lines, []);
  });

  it('reads no ConfigMap file that links out of the repository', async () => {
    const files: Record<string, string> = {
      [RELEASE]: release(),
      [CONFIG]: configMap('ConfigMap', 'data', ['values.yaml: "mode: job"']),
    };
    const reads: string[] = [];
    const linked: UnitValuesContext = {
      ...context(files),
      read: (file) => {
        reads.push(file);
        return Promise.resolve(files[file]);
      },
      whereIs: (file) => Promise.resolve(file === CONFIG ? 'outside' : 'inside'),
    };
    assert.deepEqual(await unitValuesFindings(unit([reference()]), linked), []);
    assert.deepEqual(reads, [RELEASE]);
    assert.equal((await found(unit([reference()]), files)).lines.length, 1);
  });

  it('takes the ConfigMap of the release namespace, or one with no namespace', async () => {
    const other = configMap('ConfigMap', 'data', ['values.yaml: "mode: job"']).replace(
      'namespace: apps',
      'namespace: elsewhere',
    );
    const files = { [RELEASE]: release(), [CONFIG]: other };
    assert.deepEqual((await found(unit([reference()]), files)).lines, []);
    const none = { [RELEASE]: release(), [CONFIG]: other.replace('  namespace: elsewhere\n', '') };
    assert.deepEqual((await found(unit([reference()]), none)).lines, [
      "values.yaml 5:2 At '/mode': value must be one of 'daemonset', 'deployment'",
    ]);
  });
});

describe('HelmReleases of one file, in the workspace', () => {
  let repo = '';
  let chartRoot = '';
  let releases = '';
  let configFile = '';
  const unitsAt = (lines: number[], valuesFrom: ValuesReference[][]): RenderUnit[] =>
    lines.map((line, index) => ({
      kind: 'flux-helmrelease',
      id: `flux-helmrelease:${releases}:${line}`,
      name: `r${index}`,
      root: chartRoot,
      renderer: 'helm',
      definedIn: { file: releases, line },
      helm: { releaseName: `r${index}`, valueFiles: [], valuesFrom: valuesFrom[index] ?? [] },
    }));
  before(() => {
    repo = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gw-values-from-')));
    chartRoot = path.join(repo, 'charts', 'demo');
    mkdirSync(chartRoot, { recursive: true });
    writeFileSync(
      path.join(chartRoot, 'Chart.yaml'),
      'apiVersion: v2\nname: demo\nversion: 1.0.0\n',
    );
    writeFileSync(path.join(chartRoot, 'values.yaml'), 'replicaCount: 1\n');
    writeFileSync(path.join(chartRoot, 'values.schema.json'), JSON.stringify(SCHEMA));
    releases = path.join(repo, 'apps', 'releases.yaml');
    configFile = path.join(repo, 'apps', 'config.yaml');
    mkdirSync(path.dirname(releases), { recursive: true });
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it('gives each release its own findings, and one release never hides the refusal of the other', async () => {
    const text = [
      release(['mode: job']).trimEnd(),
      '---',
      release(['replicaCount: none']).replace('name: demo', 'name: second').trimEnd(),
      '---',
      release().replace('name: demo', 'name: third'),
    ].join('\n');
    writeFileSync(releases, text);
    const config = configMap('ConfigMap', 'data', ['values.yaml: |', '  port: 80']);
    writeFileSync(configFile, config);
    const fromConfig = [reference({ file: configFile })];
    const units = unitsAt([1, 12, 23], [[], [], fromConfig]);
    const context = { root: repo, units, overlays: new Map<string, string>() };
    const findings = await valuesFindingsOf(releases, text, context);
    assert.deepEqual(
      findings.map((finding) => `${finding.range.start.line} ${finding.message.split(':')[0]}`),
      ["9 At '/mode'", "20 At '/replicaCount'"],
    );
    const inConfig = await valuesFindingsOf(configFile, config, context);
    assert.deepEqual(
      inConfig.map((finding) => `${finding.range.start.line} ${finding.message.split(':')[0]}`),
      ["7 At '/port'"],
    );
    // Each release's refusal is explained by its own findings only.
    const [first, second, third] = units;
    assert.ok(first && second && third);
    assert.equal(await valuesExplainRefusal(first, context), true);
    assert.equal(await valuesExplainRefusal(second, context), true);
    assert.equal(await valuesExplainRefusal(third, context), true);
    writeFileSync(configFile, configMap('ConfigMap', 'data', ['values.yaml: |', '  port: 8080']));
    assert.equal(await valuesExplainRefusal(third, context), false);
  });
});

describe('hover and completion of values keys in a valuesFrom ConfigMap', () => {
  const DOCS = { chartName: 'demo', schema: SCHEMA, defaultsText: 'replicaCount: 1\n' };

  it("documents and completes the keys of the ConfigMap's values text, not another key's", () => {
    const text = configMap('ConfigMap', 'data', [
      'values.yaml: |',
      '  replicaCount: 2',
      '  ',
      'other: |',
      '  replicaCount: 2',
    ]);
    const units = [unit([reference()])];
    const target = valuesAssistTarget(CONFIG, text, 7, units);
    assert.ok(target?.block);
    assert.equal(target.chartRoot, CHART_ROOT);
    const values = { docs: DOCS, prefix: target.prefix, block: target.block };
    const hover = valuesHoverIn(text, { line: 7, character: 6 }, values);
    assert.match(hover?.markdown ?? '', /\*\*replicaCount\*\* · `integer`/);
    assert.deepEqual(hover?.range?.start, { line: 7, character: 4 });
    const labels = valuesCompletionIn(text, { line: 8, character: 4 }, values)?.map(
      (entry) => entry.label,
    );
    assert.deepEqual(labels?.sort(), ['image', 'mode', 'password', 'port']);
    assert.equal(valuesAssistTarget(CONFIG, text, 10, units), undefined);
    // A ConfigMap no release reads: nothing.
    assert.equal(valuesAssistTarget(CONFIG, text, 7, []), undefined);
  });
});

describe('the workspace finds the chart of a values text for hover and completion', () => {
  let repo = '';
  before(() => {
    repo = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gw-values-assist-')));
    const chartRoot = path.join(repo, 'charts', 'demo');
    mkdirSync(chartRoot, { recursive: true });
    mkdirSync(path.join(repo, 'apps'), { recursive: true });
    writeFileSync(
      path.join(chartRoot, 'Chart.yaml'),
      'apiVersion: v2\nname: demo\nversion: 1.0.0\n',
    );
    writeFileSync(path.join(chartRoot, 'values.yaml'), '# -- How many\nreplicaCount: 1\n');
    writeFileSync(path.join(chartRoot, 'values.schema.json'), JSON.stringify(SCHEMA));
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it('in an Argo CD helm.values text and a valuesFrom ConfigMap, read from the editor buffer', async () => {
    const chartRoot = path.join(repo, 'charts', 'demo');
    const app = path.join(repo, 'apps', 'app.yaml');
    const configFile = path.join(repo, 'apps', 'config.yaml');
    const appText = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata: {name: app}',
      'spec:',
      '  source:',
      '    path: charts/demo',
      '    helm:',
      '      values: |',
      '        replicaCount: 2',
      '',
    ].join('\n');
    const configText = configMap('ConfigMap', 'data', ['values.yaml: |', '  replicaCount: 2']);
    const units: RenderUnit[] = [
      {
        kind: 'argocd-application',
        id: `argocd-application:${app}:1:0`,
        name: 'app',
        root: chartRoot,
        renderer: 'helm',
        definedIn: { file: app, line: 1 },
        helm: { releaseName: 'app', valueFiles: [] },
      },
      {
        ...unit([reference({ file: configFile })]),
        root: chartRoot,
      },
    ];
    const context = {
      root: repo,
      units,
      overlays: new Map([
        [app, appText],
        [configFile, configText],
      ]),
    };
    const inApp = await valuesAssistOf(app, 8, context);
    assert.deepEqual(inApp?.block, {
      text: 'replicaCount: 2\n',
      firstLine: 8,
      indent: 8,
    });
    assert.equal(inApp?.docs.chartName, 'demo');
    const hover = inApp ? valuesHoverIn(appText, { line: 8, character: 10 }, inApp) : undefined;
    assert.match(hover?.markdown ?? '', /How many/);
    const inConfig = await valuesAssistOf(configFile, 7, context);
    assert.equal(inConfig?.block?.firstLine, 7);
    assert.equal(await valuesAssistOf(app, 3, context), undefined);
  });
});

describe('the renderer sets a valuesFrom targetPath as Flux does', () => {
  it('with helm --set types, quoted text kept a string, a Secret value never in its refusal', async () => {
    const file = path.resolve('/repo/apps/values.yaml');
    const text = [
      configMap('ConfigMap', 'data', ['count: "4"', 'quoted: \'"4"\'']),
      '---',
      configMap('Secret', 'stringData', ['bad: "Hunter2,x"']),
    ].join('\n');
    const reader = new SourceReader(new Map([[file, text]]));
    const merged = await mergedInlineValues(
      {
        releaseName: 'demo',
        valueFiles: [],
        valuesFrom: [
          { ...reference({ file, valuesKey: 'count', targetPath: 'replicaCount' }) },
          { ...reference({ file, valuesKey: 'quoted', targetPath: 'image.tag' }) },
        ],
      },
      reader,
      file,
    );
    assert.deepEqual(merged?.values, { replicaCount: 4, image: { tag: '4' } });
    await assert.rejects(
      mergedInlineValues(
        {
          releaseName: 'demo',
          valueFiles: [],
          valuesFrom: [
            reference({ kind: 'Secret', file, valuesKey: 'bad', targetPath: 'password' }),
          ],
        },
        reader,
        file,
      ),
      (error: Error) =>
        /cannot be set at targetPath "password"/.test(error.message) &&
        !error.message.includes('Hunter2'),
    );
  });
});
