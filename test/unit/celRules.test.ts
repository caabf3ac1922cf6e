import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateManifestText } from '../../server/src/engine';
import type { Finding } from '../../server/src/engine';
import { CostMeter } from '../../server/src/engine/validate/cel/celBudget';
import { celViolations } from '../../server/src/engine/validate/cel/celRules';
import type { Schema } from '../../server/src/engine/schemas/schema';
import { bundledRegistry } from './support/schemas';

const identity = (schema: Schema): Schema => schema;

/** A CRD of group test.example.com, kind Rule, with `spec` as given. */
function crd(spec: object, rootRules: object[] = []): string {
  return JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'rules.test.example.com' },
    spec: {
      group: 'test.example.com',
      names: { kind: 'Rule', plural: 'rules' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              'x-kubernetes-validations': rootRules,
              properties: { spec },
            },
          },
        },
      ],
    },
  });
}

async function findings(crdText: string, manifest: string): Promise<Finding[]> {
  const registry = await bundledRegistry();
  const { crdsInText } = await import('../../server/src/engine');
  registry.setWorkspaceCrds('rule-crd.yaml', crdsInText(crdText));
  try {
    return [...validateManifestText(manifest, { schemas: registry }).findings];
  } finally {
    registry.setWorkspaceCrds('rule-crd.yaml', []);
  }
}

const manifest = (spec: string): string =>
  `apiVersion: test.example.com/v1\nkind: Rule\nmetadata:\n  name: r\nspec:\n${spec}`;

describe('CEL rules of CRDs: findings', () => {
  const spec = {
    type: 'object',
    'x-kubernetes-validations': [
      {
        rule: '!has(self.min) || !has(self.max) || self.min <= self.max',
        messageExpression: "'min must not exceed max in ' + self.mode",
        fieldPath: '.min',
      },
      {
        rule: "self.mode != 'Off'",
        message: 'mode Off is not allowed',
        reason: 'FieldValueForbidden',
      },
      { rule: 'self == oldSelf', message: 'spec is immutable' },
    ],
    properties: {
      mode: { type: 'string', default: 'On' },
      min: { type: 'integer' },
      max: { type: 'integer' },
      path: {
        type: 'object',
        properties: { type: { type: 'string', default: 'Prefix' }, value: { type: 'string' } },
        'x-kubernetes-validations': [
          {
            rule: "self.type != 'Prefix' || self.value.startsWith('/')",
            message: "value must start with '/'",
          },
        ],
      },
    },
  };

  it('reports the rule message on the key of the field the rule is attached to', async () => {
    const found = await findings(
      crd(spec),
      manifest('  path:\n    type: Prefix\n    value: shop\n'),
    );
    assert.equal(found.length, 1);
    assert.equal(found[0]?.code, 'cel-rule');
    assert.equal(found[0]?.message, "spec.path: value must start with '/'");
    assert.deepEqual(found[0]?.range.start, { line: 5, character: 2 });
  });

  it('sees defaults: a missing type is the default Prefix', async () => {
    const found = await findings(crd(spec), manifest('  path:\n    value: shop\n'));
    assert.deepEqual(
      found.map((f) => f.message),
      ["spec.path: value must start with '/'"],
    );
  });

  it('evaluates messageExpression and places the finding on fieldPath', async () => {
    const found = await findings(crd(spec), manifest('  min: 5\n  max: 3\n'));
    assert.deepEqual(
      found.map((f) => [f.message, f.range.start.line]),
      [['spec.min: min must not exceed max in On', 5]],
    );
  });

  it('skips transition rules and disappears when the value is fixed', async () => {
    assert.deepEqual(await findings(crd(spec), manifest('  min: 1\n  max: 3\n')), []);
    const forbidden = await findings(crd(spec), manifest('  mode: "Off"\n'));
    assert.deepEqual(
      forbidden.map((f) => f.message),
      ['spec: mode Off is not allowed'],
    );
  });

  it('runs no rule when the object has errors that stop the API server first', async () => {
    const found = await findings(crd(spec), manifest('  min: five\n  max: 3\n'));
    assert.deepEqual(
      found.map((f) => f.code),
      ['invalid-type'],
    );
  });

  it('reports a rule that fails to evaluate as the server does', async () => {
    const withError = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      'x-kubernetes-validations': [{ rule: "self.a == 'x' || self.b == 'y'", message: 'a or b' }],
    };
    const found = await findings(crd(withError), manifest('  a: z\n'));
    assert.deepEqual(
      found.map((f) => [f.code, f.message]),
      [['cel-error', 'spec: no such key: b evaluating rule: a or b']],
    );
  });

  it('evaluates rules on the resource root', async () => {
    const found = await findings(
      crd({ type: 'object' }, [
        { rule: "self.metadata.name.startsWith('x-')", message: 'name must start with x-' },
      ]),
      manifest('  {}\n'),
    );
    assert.deepEqual(
      found.map((f) => [f.code, f.message, f.range.start.line]),
      [['cel-rule', 'name must start with x-', 1]],
    );
  });
});

describe('CEL rules of CRDs: bundled Flux CRDs and patches', () => {
  const release =
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  interval: 10m\n  values:\n    replicaCount: 2\n';

  it('checks a HelmRelease against its CRD rule', async () => {
    const registry = await bundledRegistry();
    const found = validateManifestText(release, { schemas: registry }).findings;
    assert.deepEqual(
      found.map((f) => [f.code, f.message, f.range.start.line]),
      [['cel-rule', 'spec: either chart or chartRef must be set', 4]],
    );
  });

  it('leaves a patch alone: it holds only the fields it changes', async () => {
    const registry = await bundledRegistry();
    const found = validateManifestText(release, { schemas: registry, partial: true }).findings;
    assert.deepEqual(found, []);
  });
});

describe('CEL rules of CRDs: cost limits', () => {
  const items = Array.from({ length: 400 }, (_, i) => i);
  const hostile: Schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { list: { type: 'array', items: { type: 'integer' } } },
        'x-kubernetes-validations': [
          { rule: 'self.list.all(a, self.list.all(b, self.list.all(c, a + b + c >= 0)))' },
        ],
      } as Schema,
    },
  };

  it('stops a rule that passes the per-call limit, quickly, with a warning', () => {
    const started = performance.now();
    const violations = celViolations({ spec: { list: items } }, hostile, identity);
    const elapsed = performance.now() - started;
    assert.equal(violations.length, 1);
    assert.equal(violations[0]?.kind, 'cost');
    assert.match(violations[0]?.detail ?? '', /per-call limit/);
    assert.ok(elapsed < 2_000, `stopped after ${elapsed.toFixed(0)} ms`);
  });

  it('stops at the wall-clock limit whatever the cost budget', () => {
    const meter = new CostMeter(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 50);
    const started = performance.now();
    const violations = celViolations({ spec: { list: items } }, hostile, identity, meter);
    assert.equal(violations[0]?.kind, 'cost');
    assert.match(violations[0]?.detail ?? '', /ran longer than/);
    assert.ok(performance.now() - started < 1_000);
  });

  it('evaluates a catastrophic regex in linear time (RE2)', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        s: { type: 'string' },
      },
      'x-kubernetes-validations': [{ rule: "self.s.matches('^(a+)+$')", message: 'no' }],
    } as Schema;
    const started = performance.now();
    const violations = celViolations({ s: `${'a'.repeat(5_000)}!` }, schema, identity);
    assert.deepEqual(
      violations.map((v) => v.detail),
      ['no'],
    );
    assert.ok(performance.now() - started < 1_000);
  });
});
