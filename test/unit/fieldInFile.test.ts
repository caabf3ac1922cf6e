import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import type { Node } from 'yaml';
import { fieldInFile } from '../../server/src/engine/check/fieldInFile';
import { locate } from '../../server/src/engine/parse/locate';
import type { FieldPath } from '../../server/src/engine/parse/locate';
import { parseManifestText } from '../../server/src/engine/parse/manifestDocuments';
import type { Range } from '../../server/src/engine/types';
import { FIXTURES, yamlFilesUnder } from './support/fixtureYaml';

/** The field's range as found before: the whole file parsed, the first document that matches. */
function parsedWhole(
  parsed: ReturnType<typeof parseManifestText>,
  resource: { kind: string; name: string },
  fieldPath: FieldPath,
): Range | undefined {
  for (const document of parsed.documents) {
    const root = document.ast.contents as Node | null;
    const name = document.identity?.name?.value;
    if (!isMap(root) || document.identity?.kind?.value !== resource.kind) continue;
    if (typeof name !== 'string' || !resource.name.includes(name)) continue;
    let node: unknown = root;
    for (const segment of fieldPath) {
      if (typeof segment === 'number') {
        const items = (node as { items?: unknown[] } | null)?.items;
        node = Array.isArray(items) ? items[segment] : undefined;
      } else if (isMap(node)) {
        node = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === segment,
        )?.value;
      } else {
        node = undefined;
      }
      if (node === undefined) return undefined;
    }
    return locate(root, fieldPath, parsed.lines, 'value');
  }
  return undefined;
}

const PATHS: readonly FieldPath[] = [
  ['metadata', 'name'],
  ['spec', 'template', 'spec', 'containers', 0, 'image'],
  ['not', 'written'],
];

describe('fieldInFile (where a rendered field is written in a source file)', () => {
  it('finds each field of each resource of the fixtures where parsing the whole file does', () => {
    let found = 0;
    let compared = 0;
    for (const file of yamlFilesUnder(FIXTURES)) {
      const text = readFileSync(file, 'utf8');
      // CRDs (a few 100 KB a document) are left out: each call parses their document again.
      if (text.length > 50_000) continue;
      if (!parseAllDocuments(text).every((doc) => doc.errors.length === 0)) continue;
      const parsed = parseManifestText(text);
      const resources = parsed.documents.flatMap((document) => {
        const kind = document.identity?.kind?.value;
        const name = document.identity?.name?.value;
        return typeof kind === 'string' && typeof name === 'string' ? [{ kind, name }] : [];
      });
      // The first and last resources of a long file: the documents before them are skipped.
      const sample =
        resources.length > 20 ? [...resources.slice(0, 10), ...resources.slice(-10)] : resources;
      for (const resource of sample) {
        // Kustomize adds prefixes and suffixes: the rendered name holds the source's.
        for (const rendered of [resource, { ...resource, name: `pre-${resource.name}-x1` }]) {
          for (const fieldPath of PATHS) {
            const expected = parsedWhole(parsed, rendered, fieldPath);
            assert.deepEqual(
              fieldInFile(text, rendered, fieldPath),
              expected,
              `${path.relative(FIXTURES, file)} ${rendered.kind}/${rendered.name} ${fieldPath.join('.')}`,
            );
            compared++;
            if (expected) found++;
          }
        }
      }
    }
    assert.ok(compared > 5_000 && found > 1_000, `${found} of ${compared} fields found`);
  });

  it('finds a field in a document after anchors, a directive-free stream of many documents', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n  labels: &l\n    a: b\ndata:\n  x: "1"\n',
      '---\n# a comment\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
    ].join('');
    assert.deepEqual(fieldInFile(text, { kind: 'Deployment', name: 'web' }, ['spec', 'replicas']), {
      start: { line: 15, character: 12 },
      end: { line: 15, character: 13 },
    });
  });
});
