import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Document,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  isCollection,
  isDocument,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  visit,
} from 'yaml';
import { FastNodes, fastPair, fastScalar } from '../../server/src/engine/parse/fastNodes';
import { MANIFEST_YAML_OPTIONS } from '../../server/src/engine/parse/manifestDocuments';
import { parseManifestFast } from '../../server/src/engine/parse/fastManifest';

/** `{ name: web, ports: [80, "443"] }` built by `make`, the way the fast parser builds it. */
function build(make: {
  document(): Document.Parsed;
  map(): YAMLMap<unknown, unknown>;
  seq(): YAMLSeq;
  pair(key: unknown, value: unknown): Pair;
  scalar(value: unknown): Scalar;
}): Document.Parsed {
  const doc = make.document();
  const root = make.map();
  const ports = make.seq();
  ports.items.push(make.scalar(80));
  const quoted = make.scalar('443');
  quoted.type = 'QUOTE_DOUBLE';
  ports.items.push(quoted);
  root.items.push(make.pair(make.scalar('name'), make.scalar('web')));
  root.items.push(make.pair(make.scalar('ports'), ports));
  doc.contents = root as never;
  return doc;
}

const fast = new FastNodes(MANIFEST_YAML_OPTIONS);
const fastDoc = (): Document.Parsed =>
  build({
    document: () => fast.document(),
    map: () => fast.map(),
    seq: () => fast.seq(),
    pair: fastPair,
    scalar: fastScalar,
  });
const yamlDoc = (): Document.Parsed => {
  const doc = new Document(undefined, MANIFEST_YAML_OPTIONS) as unknown as Document.Parsed;
  return build({
    document: () => doc,
    map: () => new YAMLMap(doc.schema),
    seq: () => new YAMLSeq(doc.schema),
    pair: (key, value) => new Pair(key, value),
    scalar: (value) => new Scalar(value),
  });
};

describe('fast nodes: the yaml package reads them as its own', () => {
  it('answers every type test and instanceof as for the package-built node', () => {
    const doc = fastDoc();
    const root = doc.contents as unknown as YAMLMap<Scalar, unknown>;
    const pair = root.items[1] as Pair<Scalar, YAMLSeq>;
    const seq = pair.value as YAMLSeq;
    const scalar = seq.items[0];
    assert.ok(isDocument(doc) && doc instanceof Document);
    assert.ok(isMap(root) && isCollection(root) && isNode(root) && root instanceof YAMLMap);
    assert.ok(isPair(pair) && pair instanceof Pair && !isNode(pair));
    assert.ok(isSeq(seq) && isCollection(seq) && seq instanceof YAMLSeq);
    assert.ok(isScalar(scalar) && isNode(scalar) && scalar instanceof Scalar);
    assert.ok(!isMap(seq) && !isSeq(root) && !isScalar(root) && !isPair(scalar));
  });

  it('has the same own fields, values, text and visits as the package-built document', () => {
    const ours = fastDoc();
    const theirs = yamlDoc();
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
    assert.deepEqual(ours.toJS(), theirs.toJS());
    assert.deepEqual(ours.toJS(), { name: 'web', ports: [80, '443'] });
    assert.equal(ours.toString(), theirs.toString());
    assert.equal(ours.schema, (ours.contents as unknown as YAMLMap).schema);
    const visited = (doc: Document.Parsed): string[] => {
      const seen: string[] = [];
      visit(doc, {
        Scalar: (_key, node) => void seen.push(`scalar ${String(node.value)}`),
        Map: () => void seen.push('map'),
        Seq: () => void seen.push('seq'),
        Pair: () => void seen.push('pair'),
      });
      return seen;
    };
    assert.deepEqual(visited(ours), visited(theirs));
  });

  it('clones into the same kind of node, and nothing mutable is shared between documents', () => {
    const one = fastDoc();
    const two = fastDoc();
    const root = one.contents as unknown as YAMLMap;
    const copy = root.clone();
    assert.ok(isMap(copy) && copy !== root);
    assert.deepEqual(copy.toJSON(), root.toJSON());
    one.errors.push({} as never);
    one.directives.docStart = true;
    assert.equal(two.errors.length, 0);
    assert.notEqual(two.directives.docStart, true);
    assert.notEqual(one.contents, two.contents);
  });

  it('are what the fast parser builds', () => {
    const file = parseManifestFast('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "1"\n');
    assert.ok(file);
    const [document] = file.documents;
    assert.ok(document && isDocument(document.ast) && isMap(document.ast.contents));
    assert.deepEqual(document.ast.toJS(), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { a: '1' },
    });
  });
});
