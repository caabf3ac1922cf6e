// A rendered resource is parsed once: the render keeps the fast parser's value, the status copies
// it, and where the fast parser is not sure the status reads the text as kubectl does (YAML 1.1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { readRendered } from '../../server/src/engine/render/provenance';
import type { RenderResult } from '../../server/src/engine/render/types';
import { desiredResources } from '../../server/src/engine/status/desiredState';

const CONFIG_MAP = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: settings',
  'data:',
  '  LOG_LEVEL: debug',
  '  app.properties: |',
  '    server.port=8080',
  '    cache.size=64',
  '  script: |-',
  '    echo ready',
  '',
].join('\n');

const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  '  namespace: shop',
  'spec:',
  '  replicas: 2',
  '  template:',
  '    spec:',
  '      containers:',
  '      - name: app',
  '        resources:',
  '          requests: {cpu: 10m, memory: 32Mi}',
  '          limits:',
  '            memory: 64Mi',
  '',
].join('\n');

/** YAML 1.1 reads `on` as true and `0777` as 511; YAML 1.2 reads neither so. */
const YAML_11 = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: flags',
  'data:',
  '  enabled: on',
  '  mode: 0777',
  '',
].join('\n');

function rendered(...texts: string[]): Extract<RenderResult, { ok: true }> {
  const resources = texts.map((text) => {
    const read = readRendered(text);
    assert.ok(read, 'a resource');
    return { ...read, text };
  });
  return { ok: true, yaml: texts.join('---\n'), resources, fromCache: false, ms: 0 };
}

describe('rendered resources read once', () => {
  it('keeps the value kubectl reads of plain manifests, block scalars and quantities included', () => {
    for (const text of [CONFIG_MAP, DEPLOYMENT]) {
      const read = readRendered(text);
      assert.ok(read?.object, 'read by the fast parser');
      assert.deepEqual(read.object, parse(text, { version: '1.1' }));
    }
  });

  it('keeps no value where YAML 1.1 and 1.2 differ; the status reads such text as YAML 1.1', () => {
    const read = readRendered(YAML_11);
    assert.equal(read?.object, undefined);
    assert.equal(read?.name, 'flags');
    const [desired] = desiredResources(rendered(YAML_11), () => true, 'apps');
    assert.deepEqual(desired?.object.data, { enabled: true, mode: 511 });
  });

  it('gives the status a copy: the namespace it sets is not written into the render', () => {
    const result = rendered(CONFIG_MAP, DEPLOYMENT);
    const desired = desiredResources(result, () => true, 'apps');
    assert.deepEqual(
      desired.map((resource) => resource.id),
      ['/ConfigMap/apps/settings', 'apps/Deployment/shop/web'],
    );
    assert.equal((desired[0]?.object.metadata as Record<string, unknown>).namespace, 'apps');
    const kept = result.resources[0]?.object?.metadata as Record<string, unknown>;
    assert.equal(kept.namespace, undefined, 'the render cache keeps what was rendered');
    assert.notEqual(desired[1]?.object, result.resources[1]?.object);
    assert.deepEqual(desired[1]?.object, result.resources[1]?.object);
  });
});
