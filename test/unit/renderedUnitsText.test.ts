// What Show Rendered Manifests shows of units: the pick list, the tab title after the unit, and
// the preview address that keeps the chosen unit across refreshes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chosenUnit,
  previewQuery,
  previewTargetOf,
  previewTitle,
  unitItems,
} from '../../client/src/renderedUnitsText';
import type { RenderUnitChoice } from '../../server/src/protocol';

const defaults: RenderUnitChoice = {
  id: 'helm:charts/podinfo',
  kind: 'helm',
  name: 'podinfo',
  label: 'podinfo (chart defaults)',
  where: 'charts/podinfo',
};
const staging: RenderUnitChoice = {
  id: 'flux-helmrelease:/repo/clusters/staging/podinfo.yaml:1',
  kind: 'flux-helmrelease',
  name: 'podinfo',
  file: '/repo/clusters/staging/podinfo.yaml',
  label: 'podinfo (HelmRelease staging/podinfo)',
  where: 'clusters/staging/podinfo.yaml:1',
};

describe('the units of Show Rendered Manifests', () => {
  it('lists the units in order, the default marked, each with where it is defined', () => {
    assert.deepEqual(
      unitItems([defaults, staging]).map(({ label, description, detail }) => ({
        label,
        description,
        detail,
      })),
      [
        {
          label: 'podinfo (chart defaults)',
          description: 'rendered when none is chosen',
          detail: 'folder charts/podinfo',
        },
        {
          label: 'podinfo (HelmRelease staging/podinfo)',
          description: '',
          detail: 'defined in clusters/staging/podinfo.yaml:1',
        },
      ],
    );
  });

  it('titles the preview after the unit, its slashes kept out of the path', () => {
    const title = previewTitle('apps/podinfo/overlays/staging (kustomize)');
    assert.equal(title, 'Rendered apps\u2215podinfo\u2215overlays\u2215staging (kustomize)');
    assert.ok(!title.includes('/'));
  });

  it('keeps the source and the chosen unit in the preview address', () => {
    const source = 'file:///repo/charts/podinfo/templates/deployment.yaml?x=1&y=2';
    const query = previewQuery({ source, unit: chosenUnit(staging) });
    assert.deepEqual(previewTargetOf(query), {
      source,
      unit: {
        id: staging.id,
        kind: 'flux-helmrelease',
        name: 'podinfo',
        file: '/repo/clusters/staging/podinfo.yaml',
      },
    });
    assert.deepEqual(previewTargetOf(previewQuery({ source })), { source });
    assert.equal(previewTargetOf(''), undefined);
  });
});
