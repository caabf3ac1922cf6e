/**
 * `unitInputKey`: a hash of what a unit renders from, the same in any folder, so the impact of a
 * branch renders only units whose inputs differ between the refs. Checked on a real repository
 * (fluxcd/flux2-kustomize-helm-example, see test/fixtures/render) in two folders: units whose key
 * is the same render the same output, and an edit changes the key of exactly the units that
 * read the file.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { indexWorkspace } from '../../server/src/engine/render/renderUnits';
import { RenderCache, renderUnit, unitInputKey } from '../../server/src/engine/render';
import type { RenderOptions } from '../../server/src/engine/render';
import type { RenderUnit } from '../../server/src/engine/render/types';
import { FLUX_EXAMPLE, renderTools } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

describe('the input key of a unit', () => {
  let work = '';
  let tools: Tools;
  const sides = { a: '', b: '' };
  before(async () => {
    tools = await renderTools();
    work = mkdtempSync(path.join(os.tmpdir(), 'gw-input-key-'));
    for (const side of ['a', 'b'] as const) {
      sides[side] = path.join(work, side);
      cpSync(FLUX_EXAMPLE, sides[side], { recursive: true });
    }
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const options = (root: string): RenderOptions => ({
    workspaceRoot: root,
    overlays: new Map(),
    binaries: { kustomize: tools.kustomize, helm: tools.helm },
    allowNetwork: false,
    cache: new RenderCache(),
  });

  async function keys(root: string): Promise<Map<string, { unit: RenderUnit; key?: string }>> {
    const { units } = await indexWorkspace(root);
    const found = new Map<string, { unit: RenderUnit; key?: string }>();
    for (const unit of units) {
      const key = await unitInputKey(unit, options(root));
      found.set(unit.id.split(root).join('<root>'), { unit, ...(key ? { key } : {}) });
    }
    return found;
  }

  /** HelmReleases of a chart repository need the network (off here): no key, they render. */
  const keyed = (entry: { unit: RenderUnit }): boolean => entry.unit.kind !== 'flux-helmrelease';

  it('is the same for the same files in another folder, and so is the render', async () => {
    const [a, b] = await Promise.all([keys(sides.a), keys(sides.b)]);
    assert.ok(a.size >= 10, `the example's units: ${[...a.keys()].join(', ')}`);
    for (const [id, entry] of [...a].filter(([, value]) => keyed(value))) {
      assert.ok(entry.key, `${id} has an input key`);
      assert.equal(b.get(id)?.key, entry.key, `${id}: same inputs, same key`);
    }
    for (const [id, entry] of [...a].filter(([, value]) => !keyed(value))) {
      assert.equal(entry.key, undefined, `${id}: a remote chart with the network off has no key`);
    }
    // Same key, same output.
    for (const [id, entry] of [...a].filter(([, value]) => value.unit.renderer === 'kustomize')) {
      const left = await renderUnit(entry.unit, options(sides.a));
      const right = await renderUnit(b.get(id)?.unit as RenderUnit, options(sides.b));
      assert.equal(left.ok, right.ok, id);
      if (left.ok && right.ok) {
        assert.equal(
          left.yaml.split(sides.a).join('<root>'),
          right.yaml.split(sides.b).join('<root>'),
          id,
        );
      }
    }
  });

  it('changes for exactly the units that read an edited file', async () => {
    const issuers = path.join(sides.b, 'infrastructure', 'configs', 'cluster-issuers.yaml');
    writeFileSync(
      issuers,
      readFileSync(issuers, 'utf8').replace(
        'fluxcdbot@users.noreply.github.com',
        'ops@example.com',
      ),
    );
    const [a, b] = await Promise.all([keys(sides.a), keys(sides.b)]);
    const changed = [...a]
      .filter(([id, entry]) => keyed(entry) && b.get(id)?.key !== entry.key)
      .map(([, entry]) => `${entry.unit.kind} ${entry.unit.name}`)
      .sort();
    // The folder's kustomization and the Flux Kustomization of each cluster that deploys it.
    assert.deepEqual(changed, [
      'flux-kustomization infra-configs',
      'flux-kustomization infra-configs',
      'kustomize infrastructure/configs',
    ]);
  });
});
