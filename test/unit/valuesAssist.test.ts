import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { valuesCompletionAt, valuesHoverAt } from '../../server/src/engine/helm/valuesAssist';
import { keysAt, valuesKeyDoc } from '../../server/src/engine/helm/valuesDocs';
import type { ChartValuesDocs } from '../../server/src/engine/helm/valuesDocs';

/** The text without its caret, and the caret's position (`'ab|c'`). */
function caret(marked: string): { text: string; position: { line: number; character: number } } {
  const at = marked.indexOf('|');
  const before = marked.slice(0, at).split('\n');
  return {
    text: marked.slice(0, at) + marked.slice(at + 1),
    position: { line: before.length - 1, character: before[before.length - 1]?.length ?? 0 },
  };
}

const DEFAULTS = [
  '# -- Number of replicas',
  'replicaCount: 1',
  '',
  'image:',
  '  # The image repository.',
  '  # Leave empty to use the chart default.',
  '  repository: ""',
  '  # Not this line: a blank line follows',
  '',
  '  # -- How the image is pulled',
  '  # @default -- IfNotPresent',
  '  pullPolicy: IfNotPresent',
  '',
].join('\n');

const SCHEMA = {
  $defs: { policy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] } },
  type: 'object',
  properties: {
    replicaCount: { type: 'integer', description: 'How many pods run.' },
    mode: { type: 'string', enum: ['daemonset', 'deployment'], default: 'deployment' },
    image: {
      type: 'object',
      properties: { pullPolicy: { $ref: '#/$defs/policy' }, tag: { type: 'string' } },
    },
    ports: {
      type: 'object',
      patternProperties: {
        '^[a-z]+$': { type: 'object', properties: { enabled: { type: 'boolean' } } },
      },
    },
  },
};

const DOCS: ChartValuesDocs = { chartName: 'demo', schema: SCHEMA, defaultsText: DEFAULTS };

describe('what a chart says of a values key', () => {
  it('joins the schema (with $ref and patternProperties) and values.yaml with its comments', () => {
    assert.deepEqual(valuesKeyDoc(DOCS, ['replicaCount']), {
      type: 'integer',
      description: 'How many pods run.',
      default: '1',
      comment: 'Number of replicas',
    });
    assert.deepEqual(valuesKeyDoc(DOCS, ['image', 'pullPolicy']), {
      type: 'string',
      enum: ['Always', 'IfNotPresent', 'Never'],
      default: '"IfNotPresent"',
      comment: 'How the image is pulled',
    });
    assert.deepEqual(valuesKeyDoc(DOCS, ['image', 'repository']), {
      default: '""',
      comment: 'The image repository.\nLeave empty to use the chart default.',
    });
    assert.deepEqual(valuesKeyDoc(DOCS, ['mode']), {
      type: 'string',
      enum: ['daemonset', 'deployment'],
      default: '"deployment"',
    });
    assert.deepEqual(valuesKeyDoc(DOCS, ['ports', 'otlp', 'enabled']), { type: 'boolean' });
    assert.equal(valuesKeyDoc(DOCS, ['nothing']), undefined);
  });

  it('lists the keys of a map from the schema and from values.yaml', () => {
    assert.deepEqual(keysAt(DOCS, []).sort(), ['image', 'mode', 'ports', 'replicaCount']);
    assert.deepEqual(keysAt(DOCS, ['image']).sort(), ['pullPolicy', 'repository', 'tag']);
  });

  it('does not follow a $ref out of the schema document', () => {
    const docs: ChartValuesDocs = {
      chartName: 'demo',
      schema: { properties: { a: { $ref: 'https://example.com/schema.json' } } },
    };
    assert.equal(valuesKeyDoc(docs, ['a']), undefined);
  });
});

describe('hover and completion of values keys', () => {
  it('hovers a key of a values file with its type, description, comment and default', () => {
    const { text, position } = caret('replica|Count: 3\n');
    const hover = valuesHoverAt(text, position, DOCS);
    assert.equal(
      hover?.markdown,
      '**replicaCount** · `integer`\n\nHow many pods run.\n\nNumber of replicas\n\nDefault (chart demo): `1`',
    );
    assert.deepEqual(hover?.range, {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 12 },
    });
  });

  it('hovers a key of a HelmRelease spec.values, and nothing outside it', () => {
    const release = [
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'spec:',
      '  values:',
      '    image:',
      '      pull|Policy: Never',
    ].join('\n');
    const { text, position } = caret(release);
    const hover = valuesHoverAt(text, position, DOCS, ['spec', 'values']);
    assert.match(hover?.markdown ?? '', /^\*\*image\.pullPolicy\*\* · `string`/);
    assert.deepEqual(hover?.range?.start, { line: 5, character: 6 });
    const outside = caret('apiVersion: helm.toolkit.fluxcd.io/v2\nki|nd: HelmRelease\n');
    assert.equal(
      valuesHoverAt(outside.text, outside.position, DOCS, ['spec', 'values']),
      undefined,
    );
  });

  it('completes the keys not set yet, with their documentation', () => {
    const { text, position } = caret('replicaCount: 2\nimage:\n  tag: x\n  |\n');
    const entries = valuesCompletionAt(text, position, DOCS) ?? [];
    assert.deepEqual(entries.map((entry) => entry.label).sort(), ['pullPolicy', 'repository']);
    const pull = entries.find((entry) => entry.label === 'pullPolicy');
    assert.equal(pull?.insertText, 'pullPolicy: ');
    assert.match(pull?.documentation ?? '', /How the image is pulled/);
    assert.match(pull?.documentation ?? '', /Allowed: `"Always"`, `"IfNotPresent"`, `"Never"`/);

    const top = caret('replicaCount: 2\nim|\n');
    assert.deepEqual(
      (valuesCompletionAt(top.text, top.position, DOCS) ?? []).map((entry) => entry.label).sort(),
      ['image', 'mode', 'ports'],
    );
  });

  it('completes under spec.values of a HelmRelease only', () => {
    const release = caret(
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  values:\n    mode: deployment\n    |\n',
    );
    assert.deepEqual(
      (valuesCompletionAt(release.text, release.position, DOCS, ['spec', 'values']) ?? [])
        .map((entry) => entry.label)
        .sort(),
      ['image', 'ports', 'replicaCount'],
    );
    const spec = caret(
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  values: {}\n  |\n',
    );
    assert.equal(valuesCompletionAt(spec.text, spec.position, DOCS, ['spec', 'values']), undefined);
  });
});
