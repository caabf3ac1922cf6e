import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { ManifestFile } from '../../../server/src/engine/parse/manifestDocuments';

/**
 * What validation can read of a parsed file, as plain data to compare: each document's text,
 * range, problems and identity, and each node's class, value, style, flow flag and range.
 */
export function manifestShape(file: ManifestFile): unknown {
  return file.documents.map((document) => ({
    index: document.index,
    text: document.text,
    range: document.range,
    docRange: document.ast.range,
    problems: document.problems,
    identity: document.identity,
    contents: nodeShape(document.ast.contents),
  }));
}

function nodeShape(node: unknown): unknown {
  if (isScalar(node)) {
    return {
      scalar: node.value,
      type: node.type,
      source: node.source,
      range: node.range,
      tag: node.tag,
      format: node.format,
    };
  }
  if (isMap(node) || isSeq(node)) {
    return {
      collection: isMap(node) ? 'map' : 'seq',
      flow: node.flow === true,
      range: node.range,
      tag: node.tag,
      items: node.items.map((item: unknown) =>
        isPair(item) ? { key: nodeShape(item.key), value: nodeShape(item.value) } : nodeShape(item),
      ),
    };
  }
  return node === null || node === undefined ? null : { other: typeof node };
}
