import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { impactUnits } from '../../server/src/engine/git/impactUnits';
import type { RenderUnit } from '../../server/src/engine/render/types';

const ROOT = path.resolve('/repo');
const folder = (relative: string): string => path.join(ROOT, ...relative.split('/'));

function kustomization(relative: string): RenderUnit {
  return {
    kind: 'kustomize',
    id: `kustomize:${relative}`,
    name: relative,
    root: folder(relative),
    renderer: 'kustomize',
  };
}

function fluxApp(name: string, relative: string, unrenderable?: string): RenderUnit {
  return {
    kind: 'flux-kustomization',
    id: `flux-kustomization:clusters/staging.yaml:${name}`,
    name,
    root: folder(relative),
    renderer: 'kustomize',
    definedIn: { file: path.join(ROOT, 'clusters', 'staging.yaml'), line: 1 },
    ...(unrenderable ? { unrenderable: { reason: 'notRendered', message: unrenderable } } : {}),
  };
}

describe('the units an impact (of a branch or a commit) renders', () => {
  it('shows a folder a Flux app deploys once, through the app', () => {
    const units = [
      kustomization('apps/web/base'),
      kustomization('apps/web/staging'),
      fluxApp('web-staging', 'apps/web/staging'),
    ];
    assert.deepEqual(
      impactUnits(units).map((unit) => unit.name),
      ['apps/web/base', 'web-staging'],
    );
  });

  it('shows the folder on its own when the app cannot render it from this repository', () => {
    const units = [
      kustomization('apps/web/staging'),
      fluxApp(
        'web-staging',
        'apps/web/staging',
        'its source GitRepository web is another repository, not this workspace',
      ),
    ];
    assert.deepEqual(
      impactUnits(units).map((unit) => unit.name),
      ['apps/web/staging', 'web-staging'],
    );
  });
});
