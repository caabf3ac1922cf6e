import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { completeAt, hoverAt, validateManifestText } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { bundledRegistry } from './support/schemas';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80, name: http}]
          resources: {requests: {cpu: 100m}, limits: {cpu: "1"}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`;

/** Text edits of a real manifest: what a user produces while typing, plus YAML-significant noise. */
const edit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      ':',
      '- ',
      '\n',
      '  ',
      '{',
      '[',
      '"',
      "'",
      '&a ',
      '*a',
      '---\n',
      '!!str ',
      '|',
      '>',
      '#',
      '<<: *a',
      '\t',
      '\u0000',
      '{{ .Values }}',
      '${x}',
    ),
  ),
});

function applyEdits(
  text: string,
  edits: ReadonlyArray<{ at: number; remove: number; insert: string }>,
): string {
  let result = text;
  for (const change of edits) {
    const at = change.at % (result.length + 1);
    result = result.slice(0, at) + change.insert + result.slice(at + change.remove);
  }
  return result;
}

describe('the parser and validator never throw (property-based)', () => {
  let registry: SchemaRegistry;
  before(async () => {
    registry = await bundledRegistry();
  });

  it('on edited manifests', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const text = applyEdits(MANIFEST, edits);
        const result = validateManifestText(text, { schemas: registry });
        const lines = text.split('\n').length;
        for (const finding of result.findings) {
          assert.ok(
            finding.range.start.line < lines && finding.range.end.line < lines,
            'ranges stay inside the text',
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        validateManifestText(text, { schemas: registry });
      }),
      { numRuns: 400 },
    );
  });

  it('hover and completion on edited manifests at any position', () => {
    fc.assert(
      fc.property(
        fc.array(edit, { maxLength: 4 }),
        fc.nat(),
        fc.nat(),
        (edits, line, character) => {
          const text = applyEdits(MANIFEST, edits);
          const lineCount = text.split('\n').length;
          const position = { line: line % lineCount, character: character % 40 };
          hoverAt(text, position, registry);
          completeAt(text, position, registry);
        },
      ),
      { numRuns: 300 },
    );
  });
});
