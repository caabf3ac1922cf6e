/**
 * The render of the bench app measured apart: the engine's render (a mirror of the inputs,
 * kustomize with origin annotations, each document read once, provenance) against
 * `kustomize build` of the same folder run alone, in the same moment, so what our side of the
 * render costs is their difference.
 */
import { spawn } from 'node:child_process';
import { toolPath } from '../harness/toolchain';
import { RenderCache, renderUnit } from '../../server/src/engine/render';
import { indexWorkspace } from '../../server/src/engine/render/renderUnits';
import type { BenchRepo } from './statusApp';

/** Bound for one render. */
const LIMIT_MS = 120_000;

export interface RenderSplit {
  /** The engine's render of the Flux Kustomization, nothing cached. */
  readonly renderMs: number;
  /** `kustomize build <app folder>` alone, output discarded. */
  readonly kustomizeMs: number;
}

async function kustomizeAlone(appDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(toolPath('kustomize'), ['build', appDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    shell: false,
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`kustomize build exited with ${String(code)}: ${errors}`);
  return performance.now() - started;
}

/** One render of the bench app by the engine, then one `kustomize build` of it alone. */
export async function renderSplit(repo: BenchRepo): Promise<RenderSplit> {
  const { units } = await indexWorkspace(repo.root);
  const unit = units.find((candidate) => candidate.kind === 'flux-kustomization');
  if (!unit) throw new Error('the bench repository has no Flux Kustomization unit');
  const started = performance.now();
  const result = await renderUnit(unit, {
    workspaceRoot: repo.root,
    overlays: new Map(),
    binaries: { kustomize: toolPath('kustomize'), helm: toolPath('helm') },
    allowNetwork: false,
    timeoutMs: LIMIT_MS,
    cache: new RenderCache(),
  });
  const renderMs = performance.now() - started;
  if (!result.ok) throw new Error(`the bench app did not render: ${result.error.message}`);
  return { renderMs, kustomizeMs: await kustomizeAlone(repo.appDir) };
}
