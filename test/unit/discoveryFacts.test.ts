import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import {
  DiscoveryMemo,
  INTERESTING,
  MAX_DISCOVERY_FILE_BYTES,
  discoveryFacts,
} from '../../server/src/engine/render/discoveryFacts';
import { iterateDocuments } from '../../server/src/engine/parse/documentChunks';
import { resourceDocs } from '../../server/src/engine/render/yamlDocs';
import type { YamlMap } from '../../server/src/engine/render/yamlDocs';
import { FIXTURES, yamlFilesUnder } from './support/fixtureYaml';

/** The definitions of a file with every document parsed whole, as discovery read them before. */
function parsedDefinitions(text: string): { line: number; value: YamlMap }[] {
  if (text.length > MAX_DISCOVERY_FILE_BYTES || !/^\s*kind:/m.test(text)) return [];
  return [...iterateDocuments(text)].flatMap((chunk) =>
    INTERESTING.test(chunk.text)
      ? resourceDocs(chunk.text).map((doc) => ({
          line: chunk.startLine + doc.line,
          value: doc.value,
        }))
      : [],
  );
}

/** What units look a ConfigMap or Secret up by. */
function identityOf(value: YamlMap): YamlMap {
  const metadata = (value.metadata ?? {}) as YamlMap;
  return {
    apiVersion: value.apiVersion,
    kind: value.kind,
    metadata: {
      ...(typeof metadata.name === 'string' ? { name: metadata.name } : {}),
      ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    },
  };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
`;

describe('discoveryFacts: what one file tells unit discovery', () => {
  it('keeps the definitions of a mixed file on their own lines, and the file is a manifest', () => {
    const text = `${DEPLOYMENT}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\n${DEPLOYMENT}---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n`;
    const facts = discoveryFacts('/repo/apps/web.yaml', text);
    assert.deepEqual(
      facts.definitions.map((definition) => [definition.value.kind, definition.line]),
      [
        ['ConfigMap', 12],
        ['HelmRelease', 28],
      ],
    );
    assert.equal(facts.manifest, true);
  });

  it('finds every definition of the fixtures that parsing each document finds, ConfigMaps and Secrets by identity', () => {
    const files = yamlFilesUnder(FIXTURES).filter((file) =>
      parseAllDocuments(readFileSync(file, 'utf8')).every((doc) => doc.errors.length === 0),
    );
    let configs = 0;
    let parsed = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const expected = parsedDefinitions(text);
      const actual = discoveryFacts(file, text).definitions.map(({ line, value }) => ({
        line,
        value,
      }));
      assert.equal(actual.length, expected.length, path.relative(FIXTURES, file));
      actual.forEach((definition, at) => {
        const whole = expected[at] as { line: number; value: YamlMap };
        const config = definition.value.kind === 'ConfigMap' || definition.value.kind === 'Secret';
        if (config && !isDeepStrictEqual(definition.value, whole.value)) {
          // Read from its lines: what units look it up by, the same as in the whole value.
          configs++;
          assert.deepEqual(definition, { line: whole.line, value: identityOf(whole.value) });
        } else {
          parsed++;
          assert.deepEqual(definition, whole, path.relative(FIXTURES, file));
        }
      });
    }
    assert.ok(configs > 50 && parsed > 50, `${configs} read from lines, ${parsed} parsed`);
  });

  it('parses a Secret that may be an Argo CD cluster Secret: the cluster generator reads it', () => {
    const secret =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: prod\n  labels:\n    argocd.argoproj.io/secret-type: cluster\nstringData:\n  server: https://prod.example\n';
    const [definition] = discoveryFacts('/repo/clusters.yaml', secret).definitions;
    assert.deepEqual(definition?.value.stringData, { server: 'https://prod.example' });
  });

  it('calls a file of plain resources a manifest without defining anything', () => {
    const facts = discoveryFacts('/repo/apps/web.yaml', DEPLOYMENT);
    assert.deepEqual(facts.definitions, []);
    assert.equal(facts.manifest, true);
  });

  it('calls a kustomization a Component only when its kind says so, escapes included', () => {
    const component = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n';
    const escaped = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: "Compo\\x6Eent"\n';
    const plain =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n';
    assert.equal(discoveryFacts('/repo/c/kustomization.yaml', component).component, true);
    assert.equal(discoveryFacts('/repo/e/kustomization.yaml', escaped).component, true);
    assert.equal(discoveryFacts('/repo/k/kustomization.yaml', plain).component, false);
  });
});

describe('DiscoveryMemo: facts of another snapshot of the same files', () => {
  const RELEASE =
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n';

  it('gives the same facts as reading the file, with the file of the folder asked', () => {
    const memo = new DiscoveryMemo();
    memo.factsOf('/snap/base', '/snap/base/apps/web.yaml', RELEASE);
    const again = memo.factsOf('/snap/head', '/snap/head/apps/web.yaml', RELEASE);
    assert.deepEqual(again, discoveryFacts('/snap/head/apps/web.yaml', RELEASE));
    assert.equal(again.definitions[0]?.file, '/snap/head/apps/web.yaml');
  });

  it('reads the file again when its text differs, and gives each folder its own documents', () => {
    const memo = new DiscoveryMemo();
    const first = memo.factsOf('/snap/base', '/snap/base/apps/web.yaml', RELEASE);
    const changed = RELEASE.replace('name: web', 'name: api');
    const other = memo.factsOf('/snap/head', '/snap/head/apps/web.yaml', changed);
    assert.deepEqual(other.definitions[0]?.value.metadata, { name: 'api' });
    const same = memo.factsOf('/snap/next', '/snap/next/apps/web.yaml', changed);
    assert.notEqual(same.definitions[0]?.value, other.definitions[0]?.value);
    assert.deepEqual(first.definitions[0]?.value.metadata, { name: 'web' });
  });
});
