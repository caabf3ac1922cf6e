import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnitChecks } from '../../server/src/engine/workspace/unitChecks';
import type { CheckEntry } from '../../server/src/engine/workspace/unitChecks';
import type { RenderResult, RenderUnit } from '../../server/src/engine/render/types';
import { bundledRegistry } from './support/schemas';

const CONFIG_MAP = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: app-config',
  'data:',
  '  MODE: x',
  '',
].join('\n');
const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  selector: {matchLabels: {app: web}}',
  '  template:',
  '    metadata: {labels: {app: web}}',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
  '          envFrom: [{configMapRef: {name: app-config}}]',
  '',
].join('\n');

function entry(renderer: 'kustomize' | 'plain', root: string): CheckEntry {
  const unit: RenderUnit = {
    kind: renderer,
    id: `${renderer}:${root}`,
    name: root,
    root,
    renderer,
  };
  return { key: unit.id, unit, root: '/repo' };
}

function rendered(kind: string, name: string, text: string, file: string): RenderResult {
  return {
    ok: true,
    yaml: text,
    resources: [
      {
        apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
        kind,
        name,
        text,
        origin: { file, line: 1 },
      },
    ],
    fromCache: false,
    ms: 1,
  };
}

describe('UnitChecks and plain folders', () => {
  it('renders a plain folder only when another unit is checked, and that unit then sees what it defines', async () => {
    const registry = await bundledRegistry();
    const plain = entry('plain', '/repo/config');
    const app = entry('kustomize', '/repo/app');
    const renders: string[] = [];
    const render = (checked: CheckEntry): Promise<RenderResult> => {
      renders.push(checked.key);
      return Promise.resolve(
        checked === plain
          ? rendered('ConfigMap', 'app-config', CONFIG_MAP, '/repo/config/cm.yaml')
          : rendered('Deployment', 'web', DEPLOYMENT, '/repo/app/deploy.yaml'),
      );
    };
    const checks = new UnitChecks();
    const signal = new AbortController().signal;
    const read = (): string | undefined => undefined;

    assert.equal(await checks.run([plain], { render, registry, signal, read }), true);
    assert.deepEqual(renders, [], 'a folder of plain YAML alone is not rendered');
    assert.deepEqual(checks.findings(), []);

    assert.equal(await checks.run([app], { render, registry, signal, read }), true);
    assert.deepEqual(renders, [plain.key, app.key], 'the waiting plain folder renders first');
    assert.deepEqual(
      checks.findings().filter((finding) => finding.code === 'missing-configmap'),
      [],
      'the ConfigMap of the plain folder is seen',
    );
    assert.deepEqual([...(checks.readsOf(plain.key) ?? [])], ['/repo/config/cm.yaml']);

    checks.retain(new Set([app.key]));
    assert.equal(await checks.run([app], { render, registry, signal, read }), true);
    assert.ok(
      checks.findings().some((finding) => finding.code === 'missing-configmap'),
      'without the plain folder the ConfigMap is missing',
    );
    assert.deepEqual(renders, [plain.key, app.key, app.key]);
  });
});
