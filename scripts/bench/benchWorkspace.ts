/**
 * The benchmarks' side of the workspace: they render and check through the same Workspace as the
 * language server and the CLI (its walk, its unit rule, its renderer, its one check loop), with
 * the tools they were given and edits held as buffers. A test checks that this path finds what
 * the other faces find (test/integration/faceConsistency.test.ts).
 */
import { Workspace } from '../../server/src/engine/workspace';
import type { RenderCache } from '../../server/src/engine/render';
import type { SchemaRegistry } from '../../server/src/engine';
import type { FileFinding } from '../../server/src/engine/types';

export interface BenchTools {
  readonly helm?: string;
  readonly kustomize?: string;
}

/** A workspace of `folder` rendering with `tools`, no network, `buffers` read instead of files. */
export function openBenchWorkspace(
  folder: string,
  tools: BenchTools,
  options: { buffers?: ReadonlyMap<string, string>; cache?: RenderCache } = {},
): Promise<Workspace> {
  const buffers = options.buffers ?? new Map<string, string>();
  return Workspace.open([folder], {
    render: {
      settings: () => ({ binaries: { ...tools }, allowNetwork: false }),
      overlays: () => buffers,
      ...(options.cache ? { cache: options.cache } : {}),
    },
  });
}

/** Renders and checks the units (`keys`, default all) and returns the workspace's findings. */
export async function benchFindings(
  workspace: Workspace,
  registry: SchemaRegistry,
  keys?: ReadonlySet<string>,
): Promise<FileFinding[]> {
  const done = await workspace.check({
    registry,
    signal: AbortSignal.timeout(120_000),
    ...(keys ? { keys } : {}),
  });
  if (!done) throw new Error('the check of the workspace was stopped');
  return workspace.findings();
}
