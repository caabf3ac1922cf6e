import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { renderFailureFinding, renderedFindings } from '../engine/check/renderedFindings';
import { discoverRenderUnits, renderUnit } from '../engine/render';
import type { RenderBinaries, RenderUnit } from '../engine/render';
import type { FileFinding, SchemaRegistry } from '../engine';
import { workspaceRootOf } from './renderSupport';

export interface RenderedCheckOptions {
  readonly folders: readonly string[];
  readonly root: string | undefined;
  readonly registry: SchemaRegistry | undefined;
  readonly binaries: RenderBinaries;
  readonly allowNetwork: boolean;
  readonly signal: AbortSignal;
}

/**
 * Renders every unit (kustomization, chart, Flux and Argo CD app) under the checked folders and
 * validates what they render, reporting on the source lines. A missing helm or kustomize is one
 * warning per tool, not an error per unit: the files themselves were still checked.
 */
export async function checkRenderedUnits(
  options: RenderedCheckOptions,
): Promise<{ findings: FileFinding[]; units: number }> {
  if (!options.registry || options.folders.length === 0) {
    return { findings: [], units: 0 };
  }
  const findings: FileFinding[] = [];
  const missingTools = new Set<string>();
  let units = 0;
  for (const unit of await unitsUnder(options.folders, options.root, options.signal)) {
    options.signal.throwIfAborted();
    const root = options.root ? path.resolve(options.root) : workspaceRootOf(unit.root);
    const result = await renderUnit(unit, {
      workspaceRoot: root,
      overlays: new Map(),
      binaries: options.binaries,
      allowNetwork: options.allowNetwork,
      signal: options.signal,
    });
    units++;
    if (result.ok) {
      findings.push(
        ...renderedFindings(
          unit,
          result.resources,
          options.registry,
          readSource,
          {},
          result.secretValues,
        ),
      );
    } else if (result.error.reason === 'binaryMissing') {
      if (!missingTools.has(unit.renderer)) {
        missingTools.add(unit.renderer);
        findings.push({
          ...renderFailureFinding(unit, result.error),
          severity: 'warning',
          code: 'render-skipped',
        });
      }
    } else {
      findings.push(renderFailureFinding(unit, result.error));
    }
  }
  return { findings, units };
}

async function unitsUnder(
  folders: readonly string[],
  explicitRoot: string | undefined,
  signal: AbortSignal,
): Promise<RenderUnit[]> {
  const found = new Map<string, RenderUnit>();
  for (const folder of folders.map((f) => path.resolve(f))) {
    const root = explicitRoot ? path.resolve(explicitRoot) : workspaceRootOf(folder);
    for (const unit of await discoverRenderUnits(root, signal)) {
      const where = unit.definedIn?.file ?? unit.root;
      if (unit.renderer !== 'plain' && isInside(where, folder)) {
        found.set(unit.id, unit);
      }
    }
  }
  return [...found.values()];
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
