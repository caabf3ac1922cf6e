import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  readsKey,
  valuesKeyAt,
  valuesKeyRange,
  valuesUseAt,
  valuesUsesIn,
} from '../../server/src/engine/helm/valuesReferences';

/** The text without its caret, and the caret's position (`'ab|c'`). */
function caret(marked: string): { text: string; position: { line: number; character: number } } {
  const at = marked.indexOf('|');
  const before = marked.slice(0, at).split('\n');
  return {
    text: marked.slice(0, at) + marked.slice(at + 1),
    position: { line: before.length - 1, character: before[before.length - 1]?.length ?? 0 },
  };
}

function useAt(marked: string): readonly string[] | undefined {
  const { text, position } = caret(marked);
  return valuesUseAt(text, position);
}

describe('values uses in templates', () => {
  it('finds .Values paths in actions, with pipes, default, toYaml, with, $ and index', () => {
    const text = [
      'replicas: {{ .Values.replicaCount }}',
      'image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
      '{{- with .Values.podAnnotations }}',
      '  {{- toYaml $.Values.resources.limits | nindent 2 }}',
      '{{- end }}',
      'name: {{ index .Values "my-app" "full-name" }}',
      'root: {{ $root.Values.global.domain }}',
      'not: .Values.outside.action {{ .Chart.Values }}',
    ].join('\n');
    assert.deepEqual(
      valuesUsesIn(text).map((use) => [
        use.path.join('.'),
        use.range.start.line,
        use.range.start.character,
      ]),
      [
        ['replicaCount', 0, 13],
        ['image.repository', 1, 11],
        ['image.tag', 1, 42],
        ['podAnnotations', 2, 9],
        ['resources.limits', 3, 13],
        ['my-app.full-name', 5, 9],
        ['global.domain', 6, 9],
      ],
    );
  });

  it('reads an action over several lines', () => {
    const uses = valuesUsesIn('{{- if and\n    .Values.a.enabled\n    .Values.b }}');
    assert.deepEqual(
      uses.map((use) => [use.path.join('.'), use.range.start.line]),
      [
        ['a.enabled', 1],
        ['b', 2],
      ],
    );
  });

  it('gives the key under the cursor, up to the segment it is on', () => {
    assert.deepEqual(useAt('x: {{ .Values.ima|ge.tag }}'), ['image']);
    assert.deepEqual(useAt('x: {{ .Values.image.t|ag }}'), ['image', 'tag']);
    assert.deepEqual(useAt('x: {{ .Va|lues.image.tag }}'), ['image', 'tag']);
    assert.deepEqual(useAt('x: {{ index .Values "a" "b|-c" }}'), ['a', 'b-c']);
    assert.equal(useAt('x: {{ .Chart.Na|me }}'), undefined);
    assert.equal(useAt('x: .Values.ima|ge'), undefined);
  });

  it('tells which uses read a key: itself, under it, or the map holding it', () => {
    assert.equal(readsKey(['image', 'tag'], ['image', 'tag']), true);
    assert.equal(readsKey(['image', 'tag', 'x'], ['image', 'tag']), true);
    assert.equal(readsKey(['image'], ['image', 'tag']), true);
    assert.equal(readsKey(['image', 'repository'], ['image', 'tag']), false);
    assert.equal(readsKey(['imageTag'], ['image']), false);
  });
});

describe('values keys in values files', () => {
  const values = '# -- Image\nimage:\n  repository: otel\n  tag: ""\nlist:\n  - a: 1\n';

  it('finds the key of a path, or nothing when the file does not set it', () => {
    assert.deepEqual(valuesKeyRange(values, ['image', 'tag']), {
      start: { line: 3, character: 2 },
      end: { line: 3, character: 5 },
    });
    assert.equal(valuesKeyRange(values, ['image', 'pullPolicy']), undefined);
    assert.equal(valuesKeyRange(values, ['image', 'tag', 'deeper']), undefined);
  });

  it('gives the key path under the cursor, on a key or its value', () => {
    const onKey = caret('image:\n  rep|ository: otel\n');
    assert.deepEqual(valuesKeyAt(onKey.text, onKey.position), ['image', 'repository']);
    const onValue = caret('image:\n  repository: ot|el\n');
    assert.deepEqual(valuesKeyAt(onValue.text, onValue.position), ['image', 'repository']);
    const inList = caret('list:\n  - a|: 1\n');
    assert.deepEqual(valuesKeyAt(inList.text, inList.position), ['list']);
  });
});
