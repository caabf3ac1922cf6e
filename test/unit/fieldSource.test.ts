// The source link of a drifted resource goes to the line of Git that sets the changed field: the
// overlay's patch, not line 1 of the base (issue 18).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { changedFieldOrigin } from '../../server/src/engine/status/fieldSource';

const BASE = path.resolve('/repo/apps/podinfo/base/deployment.yaml');
const PATCH = path.resolve('/repo/apps/podinfo/overlays/staging/replicas-patch.yaml');
const FILES = new Map([
  [
    BASE,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\nspec:\n  minReadySeconds: 3\n  template:\n    spec:\n      containers:\n        - name: podinfod\n          image: podinfo:6.7.1\n',
  ],
  [
    PATCH,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\nspec:\n  replicas: 2\n',
  ],
]);
const read = (file: string): Promise<string | undefined> => Promise.resolve(FILES.get(file));
const RESOURCE = { kind: 'Deployment', name: 'staging-podinfo' };
const ORIGIN = { file: BASE, line: 1, via: PATCH };

describe('the source of a drifted field', () => {
  it('is the patch line that sets it', async () => {
    assert.deepEqual(await changedFieldOrigin(ORIGIN, RESOURCE, ['spec.replicas'], read), {
      file: PATCH,
      line: 6,
    });
  });

  it('is the base line when the patch does not write the field', async () => {
    assert.deepEqual(await changedFieldOrigin(ORIGIN, RESOURCE, ['spec.minReadySeconds'], read), {
      file: BASE,
      line: 6,
    });
    assert.deepEqual(
      await changedFieldOrigin(ORIGIN, RESOURCE, ['spec.template.spec.containers[0].image'], read),
      { file: BASE, line: 11 },
    );
  });

  it('is none when no source writes the field (the link stays where the resource comes from)', async () => {
    assert.equal(
      await changedFieldOrigin(ORIGIN, RESOURCE, ['spec.progressDeadlineSeconds'], read),
      undefined,
    );
  });

  it('never reads a place that is not an absolute file (a chart output’s own Source path)', async () => {
    const asked: string[] = [];
    const origin = { file: BASE, via: 'podinfo/templates/deployment.yaml' };
    await changedFieldOrigin(origin, RESOURCE, ['spec.replicas'], (file) => {
      asked.push(file);
      return read(file);
    });
    assert.deepEqual(asked, [BASE]);
  });
});
