import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { SecretMasks, maskSecrets } from './engine/secrets/secretMasker';
import type { FileEvent, Workspace } from './engine/workspace';
import type { Finding, SchemaRegistry } from './engine';
import type { ChosenUnit, RenderUnitsResult, RenderedManifestsResult } from './protocol';
import type { WorkspaceUnit } from './engine/workspace';

export interface RenderEnvironment {
  /** Renders run binaries: only in a trusted workspace. */
  trusted(): boolean;
  /** The workspace: its units, its renderer (with the unsaved buffers), its checks. */
  readonly workspace: Workspace;
  registry(): Promise<SchemaRegistry | undefined>;
  /** Diagnostics of some files changed: ask the client to pull again. */
  changed(): void;
  log(message: string): void;
}

const DEBOUNCE_MS = 300;

/**
 * Validation of rendered output in the editor: the workspace's units (kustomizations, charts,
 * Flux and Argo CD apps) are rendered with the unsaved buffers, in the background and debounced,
 * when a file they read changes; their findings are kept per source file for the diagnostics.
 * What a unit is, which units a change touches, and how findings are made is the workspace's.
 */
export class RenderValidation {
  private byFile = new Map<string, Finding[]>();
  /** The editor buffer of each file with one, by hash: as edited last, and as the last render read it. */
  private readonly buffers = new Map<string, string>();
  private renderedFrom = new Map<string, string>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: AbortController | undefined;
  generation = 0;
  /** Settles when the workspace was first read; previews wait for it. */
  private readonly discovered: Promise<void>;
  private markDiscovered: () => void = () => undefined;

  constructor(private readonly environment: RenderEnvironment) {
    this.discovered = new Promise((resolve) => {
      this.markDiscovered = resolve;
    });
  }

  private get workspace(): Workspace {
    return this.environment.workspace;
  }

  /**
   * Reads the workspace folders (once: their CRDs and kustomization facts validate files even
   * in an untrusted folder) and, in a trusted one, renders all their units.
   */
  async start(folders: readonly string[]): Promise<void> {
    try {
      await this.workspace.addFolders(folders, AbortSignal.timeout(60_000));
      this.environment.log(
        `Workspace read: CRDs in ${this.workspace.crds.size} file(s), ${this.workspace.facts.size} Kustomize patch file(s).`,
      );
    } finally {
      this.markDiscovered();
    }
    if (!this.environment.trusted()) {
      return;
    }
    const units = this.workspace.unitsIn();
    this.environment.log(
      `Rendering ${units.filter(({ unit }) => unit.renderer !== 'plain').length} unit(s) (kustomizations, charts, Flux and Argo CD apps).`,
    );
    this.schedule(
      units.map(({ key }) => key),
      0,
    );
  }

  /** A file was edited: its buffer goes to the workspace, and the units it touches render again. */
  fileChanged(file: string, text?: string): void {
    void this.filesChanged([
      { type: 'changed', path: file, ...(text !== undefined ? { text } : {}) },
    ]);
  }

  /** Files were created, changed or deleted (on disk, or in a buffer). */
  async filesChanged(events: readonly FileEvent[]): Promise<void> {
    for (const event of events) {
      if (event.text !== undefined) this.buffers.set(event.path, textHash(event.text));
      else this.buffers.delete(event.path);
    }
    const change = await this.workspace.applyChanges(events);
    if (change.crds || change.facts) this.environment.changed();
    if (change.affected.length > 0 && this.environment.trusted()) {
      this.schedule(change.affected, DEBOUNCE_MS);
    }
  }

  /** The units a file belongs to, the one rendered when nobody chooses first (no tool runs). */
  async units(file: string, signal: AbortSignal): Promise<RenderUnitsResult> {
    await this.discovery();
    const entries = await this.workspace.unitsOf(file, { signal });
    return {
      units: entries
        .filter(({ unit }) => unit.renderer !== 'plain')
        .map((entry) => ({
          id: entry.unit.id,
          kind: entry.unit.kind,
          name: entry.unit.name,
          ...(entry.unit.definedIn ? { file: entry.unit.definedIn.file } : {}),
          ...this.workspace.describe(entry),
        })),
    };
  }

  /**
   * The rendered YAML (Secrets masked) of `chosen`, one of the units a file belongs to, else of
   * its first (the workspace's one rule: the unit it defines, else the innermost kustomization
   * or chart folder holding it, else a unit that reads it).
   */
  async preview(
    file: string,
    signal: AbortSignal,
    chosen?: ChosenUnit,
  ): Promise<RenderedManifestsResult> {
    await this.discovery();
    if (!this.environment.trusted()) {
      return {
        title: 'Rendered manifests',
        yaml: '',
        error:
          'This folder is not trusted, so kustomize and helm are not run. Trust the folder to see rendered manifests.',
        reason: 'untrusted',
      };
    }
    const entries = (await this.workspace.unitsOf(file, { signal })).filter(
      ({ unit }) => unit.renderer !== 'plain',
    );
    const entry = chosen ? chosenOf(entries, chosen) : entries[0];
    if (!entry) {
      return chosen
        ? {
            title: 'Rendered manifests',
            yaml: '',
            error: `${chosen.name} no longer renders ${path.basename(file)}: run Show Rendered Manifests again to choose a unit.`,
            reason: 'unitGone',
          }
        : {
            title: 'Rendered manifests',
            yaml: '',
            error: `${path.basename(file)} belongs to no kustomization, chart, Flux or Argo CD app of this workspace.`,
            reason: 'noUnit',
          };
    }
    const result = await this.workspace.render(entry, { signal });
    const title = this.workspace.describe(entry).label;
    return result.ok
      ? { title, yaml: maskSecrets(result.yaml, new SecretMasks(), result.secretValues) }
      : {
          title,
          yaml: '',
          error: result.error.message,
          reason: result.error.reason,
          ...(result.error.hint ? { hint: result.error.hint } : {}),
        };
  }

  /** A preview or a list asked for while the workspace is still being scanned waits for the scan. */
  private async discovery(): Promise<void> {
    await Promise.race([
      this.discovered,
      new Promise((resolve) => setTimeout(resolve, 30_000).unref()),
    ]);
  }

  /**
   * Findings of rendered output that land in `file`. With `text` (the editor's buffer), none
   * while the last render read another text of it: they would point at lines of an older text
   * (a key half typed, placed on line 1); the render of this text follows.
   */
  findingsFor(file: string, text?: string): readonly Finding[] {
    const from = this.renderedFrom.get(file);
    if (text !== undefined && from !== undefined && from !== textHash(text)) return [];
    return this.byFile.get(file) ?? [];
  }

  /** Findings of rendered output by the file they land in. */
  findingFiles(): ReadonlyMap<string, readonly Finding[]> {
    return this.byFile;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.running?.abort();
  }

  private schedule(keys: readonly string[], delayMs: number): void {
    for (const key of keys) {
      this.pending.add(key);
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renderPending(), delayMs);
  }

  private async renderPending(): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const keys = new Set(this.pending);
    this.pending.clear();
    const registry = await this.environment.registry();
    if (!registry) {
      return;
    }
    const renderedFrom = new Map(this.buffers);
    const done = await this.workspace.check({ registry, signal: controller.signal, keys });
    if (!done || controller.signal.aborted) {
      return;
    }
    const byFile = new Map<string, Finding[]>();
    for (const { file, ...finding } of this.workspace.findings()) {
      byFile.set(file, [...(byFile.get(file) ?? []), finding]);
    }
    this.byFile = byFile;
    this.renderedFrom = renderedFrom;
    this.generation++;
    this.environment.changed();
  }
}

/** The unit chosen: by id, else (its defining line moved) the same kind and name in the same file. */
function chosenOf(
  entries: readonly WorkspaceUnit[],
  chosen: ChosenUnit,
): WorkspaceUnit | undefined {
  return (
    entries.find(({ unit }) => unit.id === chosen.id) ??
    entries.find(
      ({ unit }) =>
        unit.kind === chosen.kind &&
        unit.name === chosen.name &&
        unit.definedIn?.file === chosen.file,
    )
  );
}

function textHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
