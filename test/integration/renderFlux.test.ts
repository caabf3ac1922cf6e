import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RenderCache, discoverRenderUnits, renderUnit } from '../../server/src/engine/render';
import type { RenderResult } from '../../server/src/engine/render';
import { renderTools, tempWorkspace } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

let tools: Tools;
const temporary: string[] = [];

function ok(result: RenderResult): Extract<RenderResult, { ok: true }> {
  if (!result.ok) assert.fail(`render failed: ${result.error.reason}: ${result.error.message}`);
  return result;
}

const configMap = (name: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

before(async () => {
  tools = await renderTools();
});

after(async () => {
  for (const dir of temporary) await fs.rm(dir, { recursive: true, force: true });
});

describe('Flux Kustomization of a folder without kustomization.yaml', () => {
  it('renders every manifest recursively, sub-kustomizations whole, with targetNamespace, namePrefix and postBuild substitution', async () => {
    const { root, workspace } = await tempWorkspace({
      'workspace/clusters/dev/app.yaml': [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata:',
        '  name: app',
        '  namespace: flux-system',
        'spec:',
        '  interval: 5m',
        '  path: ./deploy/app',
        '  targetNamespace: dev',
        '  namePrefix: dev-',
        '  sourceRef:',
        '    kind: GitRepository',
        '    name: flux-system',
        '  postBuild:',
        '    substitute:',
        '      env: dev',
        '    substituteFrom:',
        '      - kind: ConfigMap',
        '        name: cluster-vars',
        '',
      ].join('\n'),
      'workspace/clusters/dev/vars.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  region: eu-1\n  env: overridden-by-substitute\n',
      'workspace/deploy/app/settings.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: settings-${env}',
        'data:',
        '  region: ${region}',
        '  tier: ${tier:=standard}',
        '  literal: $${region}',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: raw',
        '  annotations:',
        '    kustomize.toolkit.fluxcd.io/substitute: disabled',
        'data:',
        '  region: ${region}',
        '',
      ].join('\n'),
      'workspace/deploy/app/one.yaml': configMap('one'),
      'workspace/deploy/app/nested/two.yaml': `${configMap('two')}---\n${configMap('three')}`,
      'workspace/deploy/app/nested/notes.yaml': 'just: data\n',
      'workspace/deploy/app/base/kustomization.yaml': 'resources:\n  - four.yaml\n',
      'workspace/deploy/app/base/four.yaml': configMap('four'),
      'workspace/deploy/app/base/ignored.yaml': configMap('ignored'),
    });
    temporary.push(root);
    const units = await discoverRenderUnits(workspace);
    const unit = units.find((candidate) => candidate.kind === 'flux-kustomization');
    assert.ok(unit);
    assert.equal(unit.root, path.join(workspace, 'deploy', 'app'));
    const result = ok(
      await renderUnit(unit, {
        workspaceRoot: workspace,
        overlays: new Map(),
        binaries: { kustomize: tools.kustomize },
        allowNetwork: false,
        cache: new RenderCache(),
      }),
    );
    assert.deepEqual(
      result.resources.map((resource) => `${resource.namespace ?? ''}/${resource.name}`).sort(),
      [
        'dev/dev-four',
        'dev/dev-one',
        'dev/dev-raw',
        'dev/dev-settings-dev',
        'dev/dev-three',
        'dev/dev-two',
      ],
    );
    const settings = result.resources.find((resource) => resource.name === 'dev-settings-dev');
    assert.match(settings?.text ?? '', /region: eu-1\n/);
    assert.match(settings?.text ?? '', /tier: standard\n/);
    assert.match(settings?.text ?? '', /literal: \$\{region\}\n/);
    assert.match(
      result.resources.find((resource) => resource.name === 'dev-raw')?.text ?? '',
      /region: \$\{region\}/,
    );
    assert.match(result.yaml, /name: dev-settings-dev/);
    const three = result.resources.find((resource) => resource.name === 'dev-three');
    assert.deepEqual(three?.origin, {
      file: path.join(workspace, 'deploy', 'app', 'nested', 'two.yaml'),
      line: 8,
    });
    // Nothing was written into the workspace.
    await assert.rejects(fs.stat(path.join(workspace, 'deploy', 'app', 'kustomization.yaml')));
  });
});
