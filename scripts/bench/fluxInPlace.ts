/**
 * `npx tsx scripts/bench/fluxInPlace.ts [runs]`: the bench app of `npm run bench:status` (a Flux
 * Kustomization of 1,000 resources with targetNamespace) rendered by the engine as Flux does it
 * (the folder's kustomization edited in place) and through a wrapper kustomization (as Argo CD
 * units still are), nothing cached. Prints the median wall time of a render and the median CPU
 * time of its kustomize process (the children's CPU from /proc/self/stat: Linux only).
 */
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toolPath } from '../harness/toolchain';
import { RenderCache, renderUnit } from '../../server/src/engine/render';
import { indexWorkspace } from '../../server/src/engine/render/renderUnits';
import type { RenderUnit } from '../../server/src/engine/render/types';
import { writeBenchRepo } from './statusApp';

/** CPU seconds of the waited-for children of this process (cutime + cstime). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of stat(5), counted from 1 with pid and comm before the cut.
  const ticks = Number(fields[13]) + Number(fields[14]);
  return (ticks * 1000) / 100;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function measure(root: string, unit: RenderUnit, runs: number): Promise<string> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cpuBefore = childrenCpuMs();
    const started = performance.now();
    const result = await renderUnit(unit, {
      workspaceRoot: root,
      overlays: new Map(),
      binaries: { kustomize: toolPath('kustomize'), helm: toolPath('helm') },
      allowNetwork: false,
      timeoutMs: 120_000,
      cache: new RenderCache(),
    });
    wall.push(performance.now() - started);
    cpu.push(childrenCpuMs() - cpuBefore);
    if (!result.ok) throw new Error(`the bench app did not render: ${result.error.message}`);
    if (result.resources.length < 1000) throw new Error('the bench app rendered too few resources');
  }
  return `wall ${median(wall).toFixed(0)} ms, kustomize CPU ${median(cpu).toFixed(0)} ms (median of ${runs}; wall ${wall.map((v) => v.toFixed(0)).join(', ')})`;
}

async function main(runs: number): Promise<void> {
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'bench-flux-')));
  try {
    const repo = await writeBenchRepo(root);
    const { units } = await indexWorkspace(repo.root);
    const unit = units.find((candidate) => candidate.kind === 'flux-kustomization');
    if (!unit?.kustomize) throw new Error('the bench repository has no Flux Kustomization unit');
    const { applyAs: _flux, ...wrapped } = unit.kustomize;
    console.log(
      `load: ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
    for (let round = 0; round < 2; round++) {
      console.log(`in place: ${await measure(root, unit, runs)}`);
      console.log(`wrapper:  ${await measure(root, { ...unit, kustomize: wrapped }, runs)}`);
    }
    console.log(
      `load: ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

main(Number(process.argv[2] ?? 5)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
