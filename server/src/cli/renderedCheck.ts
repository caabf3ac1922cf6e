import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import {
  renderFailureFinding,
  renderedFindings,
  unitResourcesOf,
} from '../engine/check/renderedFindings';
import { WorkspaceResources } from '../engine/crossref';
import { discoverRenderUnits, renderUnit } from '../engine/render';
import type { RenderBinaries, RenderResult, RenderUnit } from '../engine/render';
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
  const results: Array<{ unit: RenderUnit; result: RenderResult }> = [];
  const { checked, plain } = await unitsUnder(options.folders, options.root, options.signal);
  for (const unit of [...checked, ...plain]) {
    options.signal.throwIfAborted();
    const root = options.root ? path.resolve(options.root) : workspaceRootOf(unit.root);
    const result = await renderUnit(unit, {
      workspaceRoot: root,
      overlays: new Map(),
      binaries: options.binaries,
      allowNetwork: options.allowNetwork,
      signal: options.signal,
    });
    results.push({ unit, result });
  }
  // What every unit renders, so each unit's checks know what the others provide.
  const workspace = new WorkspaceResources(
    results.flatMap(({ unit, result }) =>
      result.ok
        ? [
            {
              resources: unitResourcesOf(result.resources),
              options: unit.namespace ? { defaultNamespace: unit.namespace } : {},
            },
          ]
        : [],
    ),
  );
  for (const { unit, result } of results.slice(0, checked.length)) {
    if (result.ok) {
      findings.push(
        ...renderedFindings(
          unit,
          result.resources,
          options.registry,
          readSource,
          { workspace },
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
  return { findings, units: checked.length };
}

/**
 * The units to check (kustomizations, charts, Flux and Argo CD apps under the folders) and the
 * plain folders of manifests under them, rendered only so the checks of the others know what
 * they define.
 */
async function unitsUnder(
  folders: readonly string[],
  explicitRoot: string | undefined,
  signal: AbortSignal,
): Promise<{ checked: RenderUnit[]; plain: RenderUnit[] }> {
  const checked = new Map<string, RenderUnit>();
  const plain = new Map<string, RenderUnit>();
  for (const folder of folders.map((f) => path.resolve(f))) {
    const root = explicitRoot ? path.resolve(explicitRoot) : workspaceRootOf(folder);
    for (const unit of await discoverRenderUnits(root, signal)) {
      const where = unit.definedIn?.file ?? unit.root;
      if (!isInside(where, folder)) {
        continue;
      }
      (unit.renderer === 'plain' ? plain : checked).set(unit.id, unit);
    }
  }
  return { checked: [...checked.values()], plain: [...plain.values()] };
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
