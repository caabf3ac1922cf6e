import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { includedOnlyUnits, renderedByApps } from '../../server/src/engine/workspace/includedBases';
import { UnitQueue } from '../../server/src/engine/workspace/unitQueue';
import type { WorkspaceUnit } from '../../server/src/engine/workspace';
import type { RenderUnit } from '../../server/src/engine/render/types';

const LIMITS = { open: 10, changed: 10, background: 2 };

describe('the order units render in the editor', () => {
  it("takes the open documents' units first, then changed units, then the background in small batches", () => {
    const queue = new UnitQueue();
    queue.add(['b1', 'b2', 'b3', 'b4', 'b5'], 'background');
    queue.add(['c1'], 'changed');
    queue.add(['o1', 'b4'], 'open');
    assert.deepEqual(queue.take(LIMITS), { tier: 'open', keys: new Set(['o1', 'b4']) });
    assert.deepEqual(queue.take(LIMITS), { tier: 'changed', keys: new Set(['c1']) });
    assert.deepEqual(queue.take(LIMITS), { tier: 'background', keys: new Set(['b1', 'b2']) });
    assert.deepEqual(queue.take(LIMITS), { tier: 'background', keys: new Set(['b3', 'b5']) });
    assert.equal(queue.take(LIMITS), undefined);
  });

  it('keeps a unit in the most urgent tier it was asked for, and forgets units that are gone', () => {
    const queue = new UnitQueue();
    queue.add(['a'], 'open');
    queue.add(['a', 'b'], 'background');
    assert.equal(queue.tierOf('a'), 'open');
    assert.equal(queue.size, 2);
    queue.retain(new Set(['b']));
    assert.equal(queue.tierOf('a'), undefined);
    assert.equal(queue.top(), 'background');
  });
});

describe('bases only included by overlays', () => {
  const unit = (root: string, kind: RenderUnit['kind'], definedIn?: string): WorkspaceUnit => ({
    key: `${kind}:${root}`,
    root: '/repo',
    unit: {
      id: `${kind}:${root}`,
      kind,
      name: root,
      root,
      renderer: kind === 'kustomize' || kind === 'flux-kustomization' ? 'kustomize' : 'plain',
      ...(definedIn ? { definedIn: { file: definedIn, line: 1 } } : {}),
    },
  });

  it('are left out unless a Flux Kustomization or Argo CD Application deploys them', () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'gw-included-'));
    try {
      const write = (relative: string, text: string): void => {
        const file = path.join(repo, relative);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text);
      };
      write('apps/web/base/kustomization.yaml', 'resources:\n  - deployment.yaml\n');
      write(
        'apps/web/overlays/prod/kustomization.yaml',
        'resources:\n  - ../../base\n  - https://github.com/example/remote//base?ref=v1\n  - extra.yaml\n',
      );
      write('apps/api/base/kustomization.yaml', 'resources: [deployment.yaml]\n');
      write('apps/api/overlays/prod/kustomization.yaml', 'resources: [../../base]\n');
      write('components/tls/kustomization.yaml', 'kind: Component\n');
      write(
        'apps/web/overlays/dev/kustomization.yaml',
        'resources: [../../base]\ncomponents: [../../../../components/tls]\n',
      );
      const units = [
        unit(path.join(repo, 'apps/web/base'), 'kustomize'),
        unit(path.join(repo, 'apps/web/overlays/prod'), 'kustomize'),
        unit(path.join(repo, 'apps/web/overlays/dev'), 'kustomize'),
        unit(path.join(repo, 'apps/api/base'), 'kustomize'),
        unit(path.join(repo, 'apps/api/overlays/prod'), 'kustomize'),
        unit(path.join(repo, 'components/tls'), 'kustomize'),
        // The api base is deployed on its own too, by a Flux Kustomization.
        unit(path.join(repo, 'apps/api/base'), 'flux-kustomization', path.join(repo, 'flux.yaml')),
      ];
      const read = (file: string): string | undefined => {
        try {
          return readFileSync(file, 'utf8');
        } catch {
          return undefined;
        }
      };
      assert.deepEqual(
        [...includedOnlyUnits(units, read)].sort(),
        [
          `kustomize:${path.join(repo, 'apps/web/base')}`,
          `kustomize:${path.join(repo, 'components/tls')}`,
        ].sort(),
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
  it('leave out a folder a Flux Kustomization or Argo CD Application renders from the workspace', () => {
    const deployed = unit('/repo/apps/web/overlays/prod', 'kustomize');
    const alone = unit('/repo/apps/api/overlays/prod', 'kustomize');
    const sameNameElsewhere = unit('/repo/apps/db/overlays/prod', 'kustomize');
    const app = unit('/repo/apps/web/overlays/prod', 'flux-kustomization', '/repo/web.yaml');
    // The path of another repository's app has the same name: the app does not render it.
    const remoteApp = unit('/repo/apps/db/overlays/prod', 'flux-kustomization', '/repo/db.yaml');
    const unrenderable = {
      ...remoteApp,
      unit: { ...remoteApp.unit, unrenderable: { reason: 'notRendered' as const, message: 'x' } },
    };
    const units = [deployed, alone, sameNameElsewhere, app, unrenderable];
    assert.deepEqual([...renderedByApps(units)], [[app.key, [deployed.key]]]);
  });
});
