/**
 * Renders kept on disk for the next session: a new render cache on the same store answers an
 * unchanged unit without running the tool, and the answer is exactly the tool's output; a changed
 * input is rendered again.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  RenderCache,
  RenderStore,
  discoverRenderUnits,
  renderUnit,
} from '../../server/src/engine/render';
import type { RenderOptions, RenderResult, RenderUnit } from '../../server/src/engine/render';
import { PODINFO, renderTools, runDirect } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

let tools: Tools;
let work: string;
let repo: string;
let storeDir: string;

/** A new session: its own memory cache, the store the earlier sessions wrote. */
function session(): RenderOptions {
  const cache = new RenderCache();
  cache.attach(new RenderStore(storeDir));
  return {
    workspaceRoot: repo,
    overlays: new Map(),
    binaries: { helm: tools.helm, kustomize: tools.kustomize },
    allowNetwork: false,
    cache,
  };
}

function ok(result: RenderResult): Extract<RenderResult, { ok: true }> {
  if (!result.ok) assert.fail(`render failed: ${result.error.reason}: ${result.error.message}`);
  return result;
}

async function unit(kind: RenderUnit['kind'], name: string): Promise<RenderUnit> {
  const found = (await discoverRenderUnits(repo)).find((u) => u.kind === kind && u.name === name);
  assert.ok(found, `no ${kind} unit ${name}`);
  return found;
}

before(async () => {
  tools = await renderTools();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'render-store-'));
  repo = path.join(work, 'podinfo');
  storeDir = path.join(work, 'storage', 'renders');
  await fs.cp(PODINFO, repo, { recursive: true });
});
after(() => fs.rm(work, { recursive: true, force: true }));

describe('renders kept for the next session', () => {
  it('answers an unchanged kustomize unit from disk in a new session, byte for byte', async () => {
    const kustomize = await unit('kustomize', 'kustomize');
    const first = ok(await renderUnit(kustomize, session()));
    assert.equal(first.fromCache, false);
    const next = ok(await renderUnit(kustomize, session()));
    assert.equal(next.fromCache, true, 'the new session did not run kustomize again');
    const expected = await runDirect(
      tools.kustomize,
      ['build', path.join(repo, 'kustomize')],
      repo,
    );
    assert.equal(next.yaml, expected);
    assert.deepEqual(next.resources, first.resources, 'origins come back too');
  });

  it('renders again when an input changed since the session that kept it', async () => {
    const kustomize = await unit('kustomize', 'kustomize');
    ok(await renderUnit(kustomize, session()));
    const hpa = path.join(repo, 'kustomize', 'hpa.yaml');
    const text = await fs.readFile(hpa, 'utf8');
    assert.match(text, /minReplicas: 2/);
    await fs.writeFile(hpa, text.replace('minReplicas: 2', 'minReplicas: 3'));
    const changed = ok(await renderUnit(kustomize, session()));
    assert.equal(changed.fromCache, false);
    assert.match(changed.yaml, /minReplicas: 3/);
  });

  it('keeps a chart render whose values hold no Secret, with its values origins', async () => {
    const chart = await unit('helm', 'podinfo');
    const first = ok(await renderUnit(chart, session()));
    const next = ok(await renderUnit(chart, session()));
    assert.equal(next.fromCache, true);
    const deployment = next.resources.find((resource) => resource.kind === 'Deployment');
    assert.deepEqual(
      deployment?.origin?.values?.find((value) => value.key === 'replicaCount'),
      first.resources
        .find((resource) => resource.kind === 'Deployment')
        ?.origin?.values?.find((value) => value.key === 'replicaCount'),
    );
  });
});
