import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pointerOf, schemaViolations } from '../../server/src/engine/helm/valuesSchema';
import {
  coalesce,
  helmReleaseFindings,
  readChartValuesSchema,
  valuesFileFindings,
} from '../../server/src/engine/helm/valuesFindings';
import type { ChartValuesSchema } from '../../server/src/engine/helm/valuesFindings';
import type { RenderUnit } from '../../server/src/engine/render/types';

const SCHEMA = {
  $defs: { intOrString: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
  type: 'object',
  required: ['image'],
  additionalProperties: false,
  properties: {
    replicaCount: { type: 'integer', minimum: 1, maximum: 5 },
    mode: { type: 'string', enum: ['daemonset', 'deployment'] },
    name: { type: 'string', pattern: '^[a-z]+$', minLength: 2, maxLength: 8 },
    surge: { $ref: '#/$defs/intOrString' },
    outside: { $ref: 'file:///etc/passwd' },
    image: {
      type: 'object',
      required: ['repository'],
      properties: {
        repository: { type: 'string' },
        pullPolicy: { enum: ['Always', 'IfNotPresent'] },
      },
    },
    ports: {
      type: 'object',
      patternProperties: { '.*': { type: 'object', properties: { port: { type: 'integer' } } } },
    },
    args: { type: 'array', items: { type: 'string' } },
    probe: { oneOf: [{ required: ['exec'] }, { required: ['httpGet'] }] },
    global: { type: 'object' },
  },
};

function violations(values: unknown): string[] {
  return schemaViolations(values, SCHEMA).map(
    (violation) => `${pointerOf(violation.path)}: ${violation.message}`,
  );
}

describe('values checked against values.schema.json (helm 3.22 wording)', () => {
  const valid = { image: { repository: 'otel/collector' } };

  it('accepts values that meet the schema', () => {
    assert.deepEqual(
      violations({
        ...valid,
        replicaCount: 2,
        mode: 'deployment',
        name: 'abc',
        surge: '25%',
        ports: { otlp: { port: 4317 } },
        args: ['--x'],
        probe: { exec: {} },
        global: {},
      }),
      [],
    );
  });

  it('says what type was found and which was wanted', () => {
    assert.deepEqual(violations({ ...valid, replicaCount: '3' }), [
      '/replicaCount: got string, want integer',
    ]);
    assert.deepEqual(violations({ ...valid, replicaCount: 1.5 }), [
      '/replicaCount: got number, want integer',
    ]);
    assert.deepEqual(violations({ ...valid, args: ['a', 2] }), [
      '/args/1: got number, want string',
    ]);
  });

  it('checks enums, bounds, lengths and RE2 patterns', () => {
    assert.deepEqual(violations({ ...valid, mode: 'job' }), [
      "/mode: value must be one of 'daemonset', 'deployment'",
    ]);
    assert.deepEqual(violations({ ...valid, replicaCount: 0 }), [
      '/replicaCount: minimum: got 0, want 1',
    ]);
    assert.deepEqual(violations({ ...valid, name: 'ABCDEFGHIJ' }), [
      '/name: maxLength: got 10, want 8',
      "/name: 'ABCDEFGHIJ' does not match pattern '^[a-z]+$'",
    ]);
  });

  it('reports missing and additional properties on the object that holds them', () => {
    assert.deepEqual(violations({ image: {}, extra: 1 }), [
      "/image: missing property 'repository'",
      ": additional properties 'extra' not allowed",
    ]);
    assert.deepEqual(violations({}), [": missing property 'image'"]);
  });

  it('follows same-document references and never one that leaves the document', () => {
    assert.deepEqual(violations({ ...valid, surge: true }), ["/surge: 'anyOf' failed"]);
    assert.deepEqual(violations({ ...valid, outside: 'anything' }), []);
  });

  it('never calls a key additional because of a pattern it cannot compile', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      patternProperties: { '(?<=x)a': {} },
    };
    assert.deepEqual(schemaViolations({ xa: 1 }, schema), []);
  });

  it('checks patternProperties and oneOf', () => {
    assert.deepEqual(violations({ ...valid, ports: { otlp: { port: 'x' } } }), [
      '/ports/otlp/port: got string, want integer',
    ]);
    assert.deepEqual(violations({ ...valid, probe: {} }), ["/probe: 'oneOf' failed, none matched"]);
  });

  it('stops on a schema that refers to itself forever', () => {
    const looping = { $ref: '#' };
    assert.deepEqual(schemaViolations({ a: 1 }, looping), []);
  });

  it('gives up, reporting nothing, on a schema whose alternatives multiply without end', () => {
    // Each level tries two alternatives that both recurse, then fail: 2^64 paths without a budget.
    const both = { $ref: '#/$defs/x', type: 'string' };
    const explosive = { $defs: { x: { anyOf: [both, both] } }, $ref: '#/$defs/x', not: {} };
    const started = Date.now();
    assert.deepEqual(schemaViolations({ a: 1 }, explosive), []);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    // A small budget cut short never yields a violation it could not judge.
    assert.deepEqual(schemaViolations({ replicaCount: 'x' }, SCHEMA, 1), []);
  });
});

const CHART: ChartValuesSchema = {
  name: 'demo',
  root: '/repo/chart',
  schema: SCHEMA,
  defaults: { image: { repository: 'otel/collector' }, replicaCount: 1 },
};

describe('values findings on the values key', () => {
  it('underlines the key of a wrong value in values.yaml', () => {
    const text = 'image:\n  repository: otel/collector\nreplicaCount: "3"\n';
    const findings = valuesFileFindings(text, '/repo/chart/values.yaml', CHART);
    assert.deepEqual(
      findings.map((finding) => [
        finding.range.start.line,
        finding.range.start.character,
        finding.code,
      ]),
      [[2, 0, 'values-schema']],
    );
    assert.equal(
      findings[0]?.message,
      "At '/replicaCount': got string, want integer (values.schema.json of chart demo: helm does not render these values).",
    );
  });

  it('reads values as helm does: YAML 1.1 booleans', () => {
    const text = 'image:\n  repository: otel/collector\nreplicaCount: yes\n';
    assert.match(
      valuesFileFindings(text, '/repo/chart/values.yaml', CHART)[0]?.message ?? '',
      /got boolean, want integer/,
    );
  });

  it('merges another values file over the defaults and reports only what it sets', () => {
    // Missing image would be the defaults' business; a null removes a default as in helm.
    assert.deepEqual(
      valuesFileFindings('mode: deployment\n', '/repo/chart/values-prod.yaml', CHART),
      [],
    );
    const findings = valuesFileFindings(
      'image: null\nextra: 1\n',
      '/repo/chart/values-prod.yaml',
      CHART,
    );
    assert.deepEqual(
      findings.map((finding) => `${finding.range.start.line}: ${finding.message.split(' (')[0]}`),
      ["0: At '': missing property 'image'", "1: At '': additional properties 'extra' not allowed"],
    );
  });

  it('underlines spec.values keys of a HelmRelease whose chart has a schema', async () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: x}',
      '---',
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata:',
      '  name: demo',
      'spec:',
      '  values:',
      '    mode: job',
      '    replicaCount: 2',
      '',
    ].join('\n');
    const unit: RenderUnit = {
      kind: 'flux-helmrelease',
      id: 'flux-helmrelease:/repo/hr.yaml:5',
      name: 'demo',
      root: '/repo/chart',
      renderer: 'helm',
      definedIn: { file: '/repo/hr.yaml', line: 5 },
      helm: { releaseName: 'demo', valueFiles: [] },
    };
    const findings = await helmReleaseFindings(
      text,
      [unit],
      () => Promise.resolve(CHART),
      () => Promise.resolve(undefined),
    );
    assert.deepEqual(
      findings.map((finding) => [finding.range.start.line, finding.range.start.character]),
      [[10, 4]],
    );
    assert.match(findings[0]?.message ?? '', /^At '\/mode': value must be one of/);
    // With valuesFrom, part of the values is in the cluster: not checked.
    const withValuesFrom = {
      ...unit,
      helm: {
        ...unit.helm,
        releaseName: 'demo',
        valueFiles: [],
        valuesFrom: [{ kind: 'ConfigMap', name: 'v', valuesKey: 'values.yaml', optional: false }],
      },
    } as RenderUnit;
    assert.deepEqual(
      await helmReleaseFindings(
        text,
        [withValuesFrom],
        () => Promise.resolve(CHART),
        () => Promise.resolve(undefined),
      ),
      [],
    );
  });

  it('merges as helm: maps key by key, null removes', () => {
    assert.deepEqual(coalesce({ a: { b: 1, c: 2 }, d: 1 }, { a: { b: 3 }, d: null }), {
      a: { b: 3, c: 2 },
    });
  });
});

describe('the chart schema is read only inside the repository', () => {
  it('does not follow a values.schema.json that links out of the repository', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'gw-schema-link-'));
    try {
      const repo = path.join(base, 'repo');
      const chart = path.join(repo, 'chart');
      mkdirSync(chart, { recursive: true });
      writeFileSync(
        path.join(chart, 'Chart.yaml'),
        'apiVersion: v2\nname: linked\nversion: 0.1.0\n',
      );
      writeFileSync(
        path.join(base, 'outside.json'),
        JSON.stringify({ type: 'object', required: ['x'] }),
      );
      symlinkSync(path.join(base, 'outside.json'), path.join(chart, 'values.schema.json'));
      const read = (file: string): Promise<string | undefined> =>
        Promise.resolve(file.endsWith('Chart.yaml') ? 'name: linked\n' : '');
      assert.equal(await readChartValuesSchema(chart, repo, read), undefined);
      rmSync(path.join(chart, 'values.schema.json'));
      writeFileSync(path.join(chart, 'values.schema.json'), JSON.stringify({ type: 'object' }));
      assert.equal((await readChartValuesSchema(chart, repo, read))?.name, 'linked');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
