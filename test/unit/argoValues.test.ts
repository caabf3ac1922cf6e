import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applySetValues, argoSetValue } from '../../server/src/engine/helm/setValues';
import { unitValuesFindings } from '../../server/src/engine/helm/unitValuesFindings';
import type { UnitValuesContext } from '../../server/src/engine/helm/unitValuesFindings';
import type { ChartValuesSchema } from '../../server/src/engine/helm/valuesFindings';
import { coalesceDefaults, layeredFindings } from '../../server/src/engine/helm/valuesLayers';
import { argoHelmInputs } from '../../server/src/engine/render/argoUnits';
import type { RenderUnit } from '../../server/src/engine/render/types';
import { valuesCompletionIn, valuesHoverIn } from '../../server/src/engine/helm/valuesAssist';
import { valuesAssistTarget } from '../../server/src/engine/helm/valuesAssistTargets';

const REPO = path.resolve('/repo');
const CHART_ROOT = path.join(REPO, 'charts', 'demo');
const APP = path.join(REPO, 'apps', 'demo.yaml');

const CHART: ChartValuesSchema = {
  name: 'demo',
  root: CHART_ROOT,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      replicaCount: { type: 'integer', minimum: 1 },
      mode: { type: 'string', enum: ['daemonset', 'deployment'] },
      name: { type: 'string' },
      image: {
        type: 'object',
        required: ['repository'],
        properties: { repository: { type: 'string' }, tag: { type: 'string' } },
      },
      args: { type: 'array', items: { type: 'string' } },
    },
  },
  defaults: { image: { repository: 'otel/collector' }, replicaCount: 1, mode: 'deployment' },
};

function unit(position = 0): RenderUnit {
  return {
    kind: 'argocd-application',
    id: `argocd-application:${APP}:1:${position}`,
    name: 'demo',
    root: CHART_ROOT,
    renderer: 'helm',
    definedIn: { file: APP, line: 1 },
    helm: { releaseName: 'demo', valueFiles: [] },
  };
}

function application(helm: string[], sourceKey = 'source'): string {
  return [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    '  name: demo',
    'spec:',
    `  ${sourceKey}:`,
    '    repoURL: https://example.com/repo.git',
    '    path: charts/demo',
    '    helm:',
    ...helm.map((line) => `      ${line}`),
    '',
  ].join('\n');
}

function context(
  files: Record<string, string>,
  outside: readonly string[] = [],
): UnitValuesContext {
  return {
    repoRoot: REPO,
    read: (file) => Promise.resolve(files[file]),
    whereIs: (file) =>
      Promise.resolve(
        outside.includes(file) ? 'outside' : files[file] === undefined ? 'missing' : 'inside',
      ),
    chartOf: () => Promise.resolve(CHART),
  };
}

/** `line:character file: message-before-the-chart` of each finding. */
async function found(
  text: string,
  files: Record<string, string> = {},
  outside: readonly string[] = [],
  target = unit(),
): Promise<string[]> {
  const placed = await unitValuesFindings(target, context({ [APP]: text, ...files }, outside));
  return placed.map(
    ({ file, finding }) =>
      `${finding.range.start.line}:${finding.range.start.character} ${path.relative(REPO, file)}: ${finding.message.split(' (values.schema.json')[0] ?? ''}`,
  );
}

describe('Argo CD Application helm values checked against the chart schema', () => {
  it('puts a refused valuesObject value on its key, in the existing words', async () => {
    const text = application(['valuesObject:', '  mode: job', '  replicaCount: 2']);
    const placed = await unitValuesFindings(unit(), context({ [APP]: text }));
    assert.equal(placed.length, 1);
    assert.equal(placed[0]?.finding.code, 'values-schema');
    assert.deepEqual(placed[0]?.finding.range.start, { line: 10, character: 8 });
    assert.equal(
      placed[0]?.finding.message,
      "At '/mode': value must be one of 'daemonset', 'deployment' (values.schema.json of chart demo: helm does not render these values).",
    );
  });

  it('puts a refused value of the helm.values text on its line inside the block scalar', async () => {
    const text = application([
      'values: |',
      '  name: demo',
      '',
      '  image:',
      '    tag: 3',
      '  replicaCount: many',
    ]);
    assert.deepEqual(await found(text), [
      "13:10 apps/demo.yaml: At '/image/tag': got number, want string",
      "14:8 apps/demo.yaml: At '/replicaCount': got string, want integer",
    ]);
  });

  it('reads a folded or quoted values text, and puts its findings on the values key', async () => {
    const text = application(['values: "replicaCount: many"']);
    assert.deepEqual(await found(text), [
      "9:6 apps/demo.yaml: At '/replicaCount': got string, want integer",
    ]);
  });

  it('ignores helm.values when valuesObject is set, as Argo CD does', async () => {
    const text = application(['values: |', '  mode: job', 'valuesObject:', '  name: x']);
    assert.deepEqual(await found(text), []);
  });

  it('applies parameters last with helm --set types, on the parameter value', async () => {
    const text = application([
      'valuesObject:',
      '  replicaCount: many',
      'parameters:',
      '  - name: replicaCount',
      '    value: "3"',
      '  - name: image.tag',
      '    value: "1.5"',
      '  - name: name',
      '    value: "true"',
      '  - name: mode',
      '    value: "0"',
    ]);
    // replicaCount=3 is an integer and wins over valuesObject; 1.5 stays a string; true is a boolean.
    assert.deepEqual(await found(text), [
      "17:10 apps/demo.yaml: At '/name': got boolean, want string",
      "19:10 apps/demo.yaml: At '/mode': got number, want string",
    ]);
  });

  it('keeps a forceString parameter a string, applied after the --set ones', async () => {
    const text = application([
      'parameters:',
      '  - name: replicaCount',
      '    value: "2"',
      '    forceString: true',
      '  - name: replicaCount',
      '    value: "0"',
    ]);
    assert.deepEqual(await found(text), [
      "11:10 apps/demo.yaml: At '/replicaCount': got string, want integer",
    ]);
  });

  it('escapes commas of a parameter value as Argo CD does, so a value is one string', async () => {
    assert.equal(argoSetValue('a,b\\,c'), 'a\\,b\\,c');
    // As Argo CD's cleanSetParameters: every unescaped comma (leading, doubled), not a {list}.
    assert.equal(argoSetValue(',a,,b'), '\\,a\\,\\,b');
    assert.equal(argoSetValue('{a,b}'), '{a,b}');
    // Unescaped, helm would read `replicaCount=3` then stop on a key `4` with no value.
    const text = application(['parameters:', '  - name: replicaCount', '    value: 3,4']);
    assert.deepEqual(await found(text), [
      "11:10 apps/demo.yaml: At '/replicaCount': got string, want integer",
    ]);
  });

  it('reports nothing for parameters helm cannot apply (it stops before the schema)', async () => {
    const text = application([
      'valuesObject:',
      '  mode: job',
      'parameters:',
      '  - name: mode.inner',
      '    value: x',
    ]);
    assert.deepEqual(await found(text), []);
  });

  it('merges valueFiles first, and reports one outside the chart folder in that file', async () => {
    const shared = path.join(REPO, 'env', 'prod.yaml');
    const text = application([
      'valueFiles:',
      '  - ../../env/prod.yaml',
      'valuesObject:',
      '  name: x',
    ]);
    assert.deepEqual(await found(text, { [shared]: 'image:\n  tag: 7\nmode: job\n' }), [
      "1:2 env/prod.yaml: At '/image/tag': got number, want string",
      "2:0 env/prod.yaml: At '/mode': value must be one of 'daemonset', 'deployment'",
    ]);
    // The Application's values win over the file's: nothing left to refuse.
    const fixed = application([
      'valueFiles:',
      '  - $values/env/prod.yaml',
      'valuesObject:',
      '  mode: daemonset',
      '  image: {tag: v1}',
    ]);
    assert.deepEqual(await found(fixed, { [shared]: 'image:\n  tag: 7\nmode: job\n' }), []);
  });

  it('leaves a values file of the chart folder to its own check', async () => {
    const prod = path.join(CHART_ROOT, 'values-prod.yaml');
    const text = application(['valueFiles:', '  - values-prod.yaml']);
    assert.deepEqual(await found(text, { [prod]: 'mode: job\n' }), []);
  });

  it('treats a missing values file as Argo CD does', async () => {
    const missing = application([
      'valueFiles:',
      '  - nowhere.yaml',
      'valuesObject:',
      '  mode: job',
    ]);
    // helm stops on the missing file before any schema check.
    assert.deepEqual(await found(missing), []);
    const ignored = application([
      'ignoreMissingValueFiles: true',
      'valueFiles:',
      '  - nowhere.yaml',
      'valuesObject:',
      '  mode: job',
    ]);
    assert.deepEqual(await found(ignored), [
      "13:8 apps/demo.yaml: At '/mode': value must be one of 'daemonset', 'deployment'",
    ]);
  });

  it('reads no values file outside the repository (escaping path, absolute path, symbolic link)', async () => {
    const reads: string[] = [];
    const base = context({});
    const watching: UnitValuesContext = {
      ...base,
      read: (file) => {
        reads.push(file);
        return file === APP ? Promise.resolve(escaping) : Promise.resolve('mode: job\n');
      },
    };
    const escaping = application([
      'valueFiles:',
      '  - ../../../etc/values.yaml',
      '  - /etc/x.yaml',
    ]);
    assert.deepEqual(await unitValuesFindings(unit(), watching), []);
    assert.deepEqual(reads, [APP]);
    const linked = path.join(CHART_ROOT, 'linked.yaml');
    const viaLink = application(['valueFiles:', '  - linked.yaml', 'valuesObject:', '  mode: job']);
    assert.deepEqual(await found(viaLink, { [linked]: 'name: x\n' }, [linked]), []);
  });

  it('finds the source of a multi-source Application by its position', async () => {
    const text = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata: {name: demo}',
      'spec:',
      '  sources:',
      '    - repoURL: https://example.com/repo.git',
      '      ref: values',
      '    - repoURL: https://example.com/repo.git',
      '      path: charts/demo',
      '      helm:',
      '        valuesObject:',
      '          replicaCount: 0',
      '',
    ].join('\n');
    assert.deepEqual(await found(text, {}, [], unit(1)), [
      "11:10 apps/demo.yaml: At '/replicaCount': minimum: got 0, want 1",
    ]);
  });
});

describe("helm's --set parser", () => {
  it('sets nested keys, list items, lists and typed values, and says which paths it set', () => {
    const values: Record<string, unknown> = { a: { keep: 1 }, list: ['x', 'y'] };
    const paths = applySetValues(values, 'a.b=true,list[1]=z,c={1,two},d\\.e=null,f=007', false);
    assert.deepEqual(values, {
      a: { keep: 1, b: true },
      list: ['x', 'z'],
      c: [1, 'two'],
      'd.e': null,
      f: '007',
    });
    assert.deepEqual(paths, [['a', 'b'], ['list', 1], ['c'], ['d.e'], ['f']]);
    const strings: Record<string, unknown> = {};
    applySetValues(strings, 'n=12', true);
    assert.deepEqual(strings, { n: '12' });
  });

  it('refuses what helm refuses', () => {
    for (const bad of ['a', 'a=1,b', 'a[x]=1', 'a={1,2', 'scalar.b=1']) {
      assert.throws(() => applySetValues({ scalar: 1 }, bad, false), { reason: 'unparsable' });
    }
  });
});

describe("helm's coalesce of user values over the chart's defaults", () => {
  it('removes a default under a null, and keeps a null that stands over no default', () => {
    assert.deepEqual(
      coalesceDefaults(
        { a: { b: null, c: null }, d: null, e: null },
        { a: { b: 1 }, d: 2, f: 3 },
        true,
      ),
      { a: { c: null }, e: null, f: 3 },
    );
  });

  it('puts a refused value on the last source that set it', () => {
    const place = (file: string) => () => ({
      file,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    });
    const findings = layeredFindings(CHART, [
      { values: { mode: 'job', name: 'x' }, place: place('first') },
      { values: { mode: 'daemonset', replicaCount: 'x' }, place: place('second') },
    ]);
    assert.deepEqual(
      findings?.map((entry) => `${entry.file}: ${entry.finding.message.split(' (')[0] ?? ''}`),
      ["second: At '/replicaCount': got string, want integer"],
    );
  });
});

describe('hover and completion of values keys in an Argo CD Application', () => {
  const DOCS = {
    chartName: 'demo',
    schema: CHART.schema,
    defaultsText: '# -- How many pods run\nreplicaCount: 1\nmode: deployment\n',
  };
  const at = (text: string, line: number, character: number) => {
    const target = valuesAssistTarget(APP, text, line, [unit()]);
    assert.ok(target, `values at ${line}`);
    const values = {
      docs: DOCS,
      prefix: target.prefix,
      ...(target.block ? { block: target.block } : {}),
    };
    return {
      hover: valuesHoverIn(text, { line, character }, values),
      completion: valuesCompletionIn(text, { line, character }, values),
    };
  };

  it('documents a key of helm.valuesObject and completes the keys not yet set', () => {
    const text = application(['valuesObject:', '  replicaCount: 2', '  mo']);
    const { hover } = at(text, 10, 9);
    assert.match(hover?.markdown ?? '', /\*\*replicaCount\*\* · `integer`[\s\S]*How many pods run/);
    assert.deepEqual(hover?.range?.start, { line: 10, character: 8 });
    const labels = at(text, 11, 10).completion?.map((entry) => entry.label);
    assert.ok(labels?.includes('mode') && !labels.includes('replicaCount'), String(labels));
  });

  it('documents a key inside the helm.values text, with its range in the file', () => {
    const text = application(['values: |', '  image:', '    tag: v1', '  replicaCount: 2', '  ']);
    const { hover } = at(text, 12, 10);
    assert.match(hover?.markdown ?? '', /\*\*replicaCount\*\*/);
    assert.deepEqual(hover?.range, {
      start: { line: 12, character: 8 },
      end: { line: 12, character: 20 },
    });
    const nested = at(text, 11, 12).hover;
    assert.match(nested?.markdown ?? '', /\*\*image\.tag\*\* · `string`/);
    // A new line of the block: the keys not set yet.
    const labels = at(text, 13, 8).completion?.map((entry) => entry.label);
    assert.ok(labels?.includes('mode') && !labels.includes('image'), String(labels));
  });

  it('offers nothing outside the values', () => {
    const text = application(['values: |', '  mode: job', 'releaseName: demo']);
    assert.equal(valuesAssistTarget(APP, text, 11, [unit()]), undefined);
    assert.equal(valuesAssistTarget(APP, text, 3, [unit()]), undefined);
  });
});

describe('the renderer passes Argo CD inline values as Argo CD does', () => {
  it('gives helm valuesObject alone when it is set, helm.values otherwise', () => {
    const both = { helm: { values: 'a: 1\nb: 2\n', valuesObject: { a: 3 } } };
    assert.deepEqual(argoHelmInputs(both, CHART_ROOT, REPO, 'demo', undefined).values, { a: 3 });
    const text = { helm: { values: 'a: 1\nb: 2\n' } };
    assert.deepEqual(argoHelmInputs(text, CHART_ROOT, REPO, 'demo', undefined).values, {
      a: 1,
      b: 2,
    });
  });
});
