/**
 * `plainData` gives exactly what the `yaml` package's `toJS` gives: on every document of the
 * test fixtures and of the benchmark corpus (parsed by the fast parser and by `yaml`), and on
 * what it leaves to `toJS` (aliases, merge keys, sets, timestamps, keys an object answers to).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isMap, parseAllDocuments } from 'yaml';
import type { Node } from 'yaml';
import { iterateDocuments } from '../../server/src/engine/parse/documentChunks';
import { parseManifestFast } from '../../server/src/engine/parse/fastManifest';
import { MANIFEST_YAML_OPTIONS } from '../../server/src/engine/parse/manifestDocuments';
import { plainData } from '../../server/src/engine/parse/plainData';
import { corpusFileText } from '../../scripts/bench/corpus';
import { FIXTURES, yamlFilesUnder } from './support/fixtureYaml';

/** Every document of `text` by both parsers: plainData and toJS agree, own keys in order. */
function assertSame(text: string, name: string): number {
  let compared = 0;
  const exact = parseAllDocuments(text, MANIFEST_YAML_OPTIONS);
  for (const doc of Array.isArray(exact) ? exact : []) {
    if (doc.errors.length > 0 || !doc.contents) continue;
    const expected = safeToJS(doc.contents, doc);
    if (expected === TOO_DEEP) continue;
    const actual = plainData(doc.contents, doc, 100);
    assert.deepStrictEqual(actual, expected, name);
    assert.equal(JSON.stringify(actual), JSON.stringify(expected), `${name}: key order`);
    compared++;
  }
  for (const chunk of iterateDocuments(text)) {
    const fast = parseManifestFast(chunk.text)?.documents[0];
    if (!fast?.ast.contents) continue;
    const root = fast.ast.contents as Node;
    const value = plainData(root, fast.ast, 100);
    assert.deepStrictEqual(value, root.toJS(fast.ast), `${name} (fast)`);
    assert.equal(JSON.stringify(value), JSON.stringify(root.toJS(fast.ast)), `${name}: key order`);
    compared++;
  }
  return compared;
}

const TOO_DEEP = Symbol('too deep');

function safeToJS(node: Node, doc: Parameters<typeof plainData>[1]): unknown {
  try {
    return node.toJS(doc, { maxAliasCount: 100 });
  } catch {
    return TOO_DEEP;
  }
}

function only(text: string): { root: Node; doc: Parameters<typeof plainData>[1] } {
  const doc = parseAllDocuments(text, MANIFEST_YAML_OPTIONS)[0];
  assert.ok(doc?.contents, text);
  return { root: doc.contents, doc };
}

describe('plainData: the value toJS gives, built quicker for plain nodes', () => {
  it('agrees with toJS on every document of the test fixtures and the benchmark corpus', () => {
    let compared = 0;
    for (const file of yamlFilesUnder(FIXTURES)) {
      compared += assertSame(readFileSync(file, 'utf8'), file);
    }
    compared += assertSame(corpusFileText(0, 100), 'corpus');
    assert.ok(compared > 1000, `only ${compared} documents compared`);
  });

  it('gives what toJS gives where it leaves the node to it', () => {
    const cases = [
      'base: &b {a: 1}\nother: *b\n',
      'base: &b\n  a: 1\nmerged:\n  <<: *b\n  c: 2\n',
      'set: !!set\n  ? a\n  ? b\n',
      'ordered: !!omap\n  - a: 1\n  - b: 2\n',
      'when: 2001-12-14\n',
      'big: 123456789012345678901234567890\n',
      'pairs: [a: 1, b: 2]\n',
      '? [complex]\n: key\n',
      '~: null key\n1: one\ntrue: yes\n',
    ];
    for (const text of cases) {
      const { root, doc } = only(text);
      assert.deepStrictEqual(
        plainData(root, doc, 100),
        root.toJS(doc, { maxAliasCount: 100 }),
        text,
      );
    }
  });

  it('gives a bigint scalar and a tree deeper than it walks to toJS', () => {
    const [doc] = parseAllDocuments('big: 123456789012345678901234567890\n', {
      ...MANIFEST_YAML_OPTIONS,
      intAsBigInt: true,
    });
    assert.ok(doc?.contents);
    assert.ok(isMap(doc.contents) && typeof doc.contents.get('big') === 'bigint');
    assert.deepStrictEqual(plainData(doc.contents, doc, 100), doc.contents.toJS(doc));
    const lines = [
      'a:',
      ...Array.from({ length: 250 }, (_, i) => `${' '.repeat(i * 2 + 2)}k${i}:`),
    ];
    const deep = `${lines.join('\n')} leaf\n`;
    const { root, doc: deepDoc } = only(deep);
    assert.deepStrictEqual(plainData(root, deepDoc, 100), root.toJS(deepDoc));
  });

  it('makes a key an object answers to an own property, never the prototype', () => {
    const { root, doc } = only('__proto__:\n  polluted: true\nconstructor: x\ntoString: y\n');
    const value = plainData(root, doc, 100) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__', 'constructor', 'toString']);
    assert.deepEqual(value['__proto__'], { polluted: true });
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.deepStrictEqual(value, root.toJS(doc));
  });

  it('refuses too many aliases as toJS does', () => {
    const text = `a: &a [x]\nb: [${Array.from({ length: 200 }, () => '*a').join(', ')}]\n`;
    const { root, doc } = only(text);
    assert.throws(() => plainData(root, doc, 100), /alias/i);
  });
});
