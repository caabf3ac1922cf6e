import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  renderFailureFinding,
  renderedFindings,
  unitResourcesOf,
} from './engine/check/renderedFindings';
import { WorkspaceResources } from './engine/crossref';
import type { RenderedUnitResources } from './engine/crossref';
import { discoverRenderUnits, renderUnit } from './engine/render';
import { SecretMasks, maskSecrets } from './engine/secrets/secretMasker';
import type { RenderBinaries, RenderResult, RenderUnit } from './engine/render';
import type { FileFinding, Finding, SchemaRegistry } from './engine';

export interface RenderEnvironment {
  /** Renders run binaries: only in a trusted workspace. */
  trusted(): boolean;
  /** Unsaved editor buffers by absolute path. */
  overlays(): ReadonlyMap<string, string>;
  /** helm/kustomize paths from the machine-scoped settings, and the tool cache. */
  binaries(): Promise<RenderBinaries & RenderSettings>;
  registry(): Promise<SchemaRegistry | undefined>;
  /** Diagnostics of some files changed: ask the client to pull again. */
  changed(): void;
  log(message: string): void;
}

const DEBOUNCE_MS = 300;

/** The render-related settings besides the binaries. */
export interface RenderSettings {
  readonly allowNetwork: boolean;
  /** `gitopsWorkbench.externalResources`: names that exist outside the repository, by kind. */
  readonly external: Readonly<Record<string, readonly string[]>>;
}

/**
 * Validation of rendered output in the editor: the workspace's units (kustomizations, charts,
 * Flux and Argo CD apps) are rendered with the unsaved buffers, in the background and debounced,
 * when a file they read changes; their findings are kept per source file for the diagnostics.
 */
export class RenderValidation {
  private units: Array<{ unit: RenderUnit; folder: string }> = [];
  private readonly byUnit = new Map<string, FileFinding[]>();
  /** What each unit rendered last, so each unit's checks know what the others define. */
  private readonly renderedBy = new Map<string, RenderedUnitResources>();
  /** Files each unit's output came from (origins), plus its root folder. */
  private readonly inputs = new Map<string, Set<string>>();
  private byFile = new Map<string, Finding[]>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: AbortController | undefined;
  generation = 0;
  /** Settles when the first discovery of units is done; previews wait for it. */
  private readonly discovered: Promise<void>;
  private markDiscovered: () => void = () => undefined;

  constructor(private readonly environment: RenderEnvironment) {
    this.discovered = new Promise((resolve) => {
      this.markDiscovered = resolve;
    });
  }

  /** Finds the units of the workspace folders and renders them all once. */
  async start(folders: readonly string[]): Promise<void> {
    try {
      await this.discover(folders);
    } finally {
      this.markDiscovered();
    }
  }

  private async discover(folders: readonly string[]): Promise<void> {
    if (!this.environment.trusted()) {
      return;
    }
    const found: Array<{ unit: RenderUnit; folder: string }> = [];
    for (const folder of folders) {
      // Plain folders of manifests are rendered too, only so the others know what they define.
      for (const unit of await discoverRenderUnits(folder, AbortSignal.timeout(60_000))) {
        found.push({ unit, folder });
      }
    }
    this.units = found;
    this.environment.log(
      `Rendering ${found.filter(({ unit }) => unit.renderer !== 'plain').length} unit(s) (kustomizations, charts, Flux and Argo CD apps).`,
    );
    this.schedule(
      found.map(({ unit }) => unit.id),
      0,
    );
  }

  /** A file was edited (or saved): re-render the units that read it. */
  fileChanged(file: string): void {
    const affected = this.units
      .filter(
        ({ unit }) =>
          isInside(file, unit.root) ||
          this.inputs.get(unit.id)?.has(file) ||
          unit.definedIn?.file === file,
      )
      .map(({ unit }) => unit.id);
    if (affected.length > 0) {
      this.schedule(affected, DEBOUNCE_MS);
    }
  }

  /**
   * The rendered YAML (Secrets masked) of the unit a file belongs to: the unit it defines, else
   * the innermost unit folder that holds it, else a unit that reads it.
   */
  async preview(
    file: string,
    signal: AbortSignal,
  ): Promise<{ title: string; yaml: string; error?: string }> {
    // A preview asked for while the workspace is still being scanned waits for the scan.
    await Promise.race([
      this.discovered,
      new Promise((resolve) => setTimeout(resolve, 30_000).unref()),
    ]);
    if (!this.environment.trusted()) {
      return {
        title: 'Rendered manifests',
        yaml: '',
        error:
          'This folder is not trusted, so kustomize and helm are not run. Trust the folder to see rendered manifests.',
      };
    }
    const units = this.units.filter(({ unit }) => unit.renderer !== 'plain');
    const entry =
      units.find(({ unit }) => unit.definedIn?.file === file) ??
      units
        .filter(({ unit }) => isInside(file, unit.root) && !unit.definedIn)
        .sort((a, b) => b.unit.root.length - a.unit.root.length)[0] ??
      units.find(({ unit }) => this.inputs.get(unit.id)?.has(file));
    if (!entry) {
      return {
        title: 'Rendered manifests',
        yaml: '',
        error: `${path.basename(file)} belongs to no kustomization, chart, Flux or Argo CD app of this workspace.`,
      };
    }
    const binaries = await this.environment.binaries();
    const result = await renderUnit(entry.unit, {
      workspaceRoot: entry.folder,
      overlays: this.environment.overlays(),
      binaries,
      allowNetwork: binaries.allowNetwork,
      signal,
    });
    const title = `${entry.unit.kind === 'kustomize' || entry.unit.kind === 'helm' ? entry.unit.kind : entry.unit.kind.replace('-', ' ')} ${entry.unit.name}`;
    return result.ok
      ? { title, yaml: maskSecrets(result.yaml, new SecretMasks(), result.secretValues) }
      : { title, yaml: '', error: result.error.message };
  }

  /** Findings of rendered output that land in `file`. */
  findingsFor(file: string): readonly Finding[] {
    return this.byFile.get(file) ?? [];
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.running?.abort();
  }

  private schedule(ids: readonly string[], delayMs: number): void {
    for (const id of ids) {
      this.pending.add(id);
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renderPending(), delayMs);
  }

  private async renderPending(): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const ids = [...this.pending];
    this.pending.clear();
    const registry = await this.environment.registry();
    const binaries = await this.environment.binaries();
    if (!registry) {
      return;
    }
    const done: Array<{ unit: RenderUnit; result: RenderResult }> = [];
    for (const id of ids) {
      const entry = this.units.find(({ unit }) => unit.id === id);
      if (!entry || controller.signal.aborted) {
        continue;
      }
      const result = await this.renderOne(entry.unit, entry.folder, binaries, controller.signal);
      if (result) {
        done.push({ unit: entry.unit, result });
      }
    }
    if (controller.signal.aborted) {
      return;
    }
    const workspace = new WorkspaceResources([...this.renderedBy.values()]);
    for (const { unit, result } of done) {
      this.record(unit, result, registry, binaries, workspace);
    }
    this.rebuild();
  }

  /** Renders one unit; undefined when cancelled. */
  private async renderOne(
    unit: RenderUnit,
    folder: string,
    binaries: RenderBinaries & RenderSettings,
    signal: AbortSignal,
  ): Promise<RenderResult | undefined> {
    const result = await renderUnit(unit, {
      workspaceRoot: folder,
      overlays: this.environment.overlays(),
      binaries,
      allowNetwork: binaries.allowNetwork,
      signal,
    });
    if (signal.aborted || (!result.ok && result.error.reason === 'cancelled')) {
      return undefined;
    }
    if (result.ok) {
      this.renderedBy.set(unit.id, {
        resources: unitResourcesOf(result.resources),
        options: unit.namespace ? { defaultNamespace: unit.namespace } : {},
      });
    } else {
      this.renderedBy.delete(unit.id);
    }
    return result;
  }

  /** The findings of a unit's render, checked against what the whole workspace defines. */
  private record(
    unit: RenderUnit,
    result: RenderResult,
    registry: SchemaRegistry,
    binaries: RenderBinaries & RenderSettings,
    workspace: WorkspaceResources,
  ): void {
    if (unit.renderer === 'plain') {
      return; // its files are validated as files
    }
    if (result.ok) {
      const overlays = this.environment.overlays();
      const read = (file: string): string | undefined =>
        overlays.get(file) ?? readOrUndefined(file);
      this.byUnit.set(
        unit.id,
        renderedFindings(
          unit,
          result.resources,
          registry,
          read,
          { external: binaries.external, workspace },
          result.secretValues,
        ),
      );
      this.inputs.set(
        unit.id,
        new Set(
          result.resources.flatMap((resource) =>
            [resource.origin?.file, resource.origin?.via].filter(
              (f): f is string => f !== undefined,
            ),
          ),
        ),
      );
    } else {
      this.environment.log(`${unit.id}: ${result.error.message}`);
      this.byUnit.set(
        unit.id,
        result.error.reason === 'binaryMissing' ? [] : [renderFailureFinding(unit, result.error)],
      );
    }
  }

  private rebuild(): void {
    const byFile = new Map<string, Finding[]>();
    for (const findings of this.byUnit.values()) {
      for (const { file, ...finding } of findings) {
        const list = byFile.get(file) ?? [];
        if (
          !list.some(
            (other) =>
              other.code === finding.code &&
              other.range.start.line === finding.range.start.line &&
              other.range.start.character === finding.range.start.character,
          )
        ) {
          list.push(finding);
        }
        byFile.set(file, list);
      }
    }
    this.byFile = byFile;
    this.generation++;
    this.environment.changed();
  }
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
