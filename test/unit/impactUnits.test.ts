import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { appRenderedFolders } from '../../server/src/engine/git/impactUnits';
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

describe('the folders an impact (of a branch or a commit) shows through the app that deploys them', () => {
  it('is a folder a Flux app renders', () => {
    const units = [
      kustomization('apps/web/base'),
      kustomization('apps/web/staging'),
      fluxApp('web-staging', 'apps/web/staging'),
    ];
    assert.deepEqual(
      appRenderedFolders(units).map((unit) => unit.name),
      ['apps/web/staging'],
    );
  });

  it('is none when the app cannot render it from this repository', () => {
    const units = [
      kustomization('apps/web/staging'),
      fluxApp(
        'web-staging',
        'apps/web/staging',
        'its source GitRepository web is another repository, not this workspace',
      ),
    ];
    assert.deepEqual(
      appRenderedFolders(units).map((unit) => unit.name),
      [],
    );
  });
});
