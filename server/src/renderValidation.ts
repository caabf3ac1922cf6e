import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { isKustomizationFile } from './engine/kustomize/patchFiles';
import type { FileEvent, Workspace, WorkspaceUnit } from './engine/workspace';
import type { Finding, SchemaRegistry } from './engine';
import type { ChosenUnit, RenderUnitsResult, RenderedManifestsResult } from './protocol';
import { backgroundPlan } from './engine/workspace/includedBases';
import type { BackgroundPlan } from './engine/workspace/includedBases';
import { UNTRUSTED_PREVIEW, previewUnits, renderedPreview } from './renderPreview';
import { UnitQueue, outranks } from './engine/workspace/unitQueue';
import type { UnitBatch, UnitTier } from './engine/workspace/unitQueue';
import { readSourceFile } from './engine/workspace/unitChecks';

export interface RenderEnvironment {
  /** Renders run binaries: only in a trusted workspace. */
  trusted(): boolean;
  /** The workspace: its units, its renderer (with the unsaved buffers), its checks. */
  readonly workspace: Workspace;
  registry(): Promise<SchemaRegistry | undefined>;
  /** Diagnostics of some files changed: ask the client to pull again. */
  changed(): void;
  log(message: string): void;
  /**
   * How far the workspace's rendering is: `done` of `total` units since it last had nothing to
   * do; undefined when it has nothing left (the editor shows work done progress).
   */
  progress?(report: RenderProgress | undefined): void;
}

export interface RenderProgress {
  readonly done: number;
  readonly total: number;
}

const DEBOUNCE_MS = 300;
/** Units rendered at once per tier: a background batch is small, so an opened file waits little. */
const BATCH: Readonly<Record<UnitTier, number>> = {
  open: 64,
  changed: 64,
  background: Math.max(4, os.availableParallelism() * 2),
};
/** The background's plan is made again this long after the last change of the units. */
const REPLAN_MS = 1000;
/** The background tells the editor of new findings at most this often. */
const BACKGROUND_REFRESH_MS = 1000;

/**
 * Validation of rendered output in the editor: the workspace's units (kustomizations, charts,
 * Flux and Argo CD apps) are rendered with the unsaved buffers, debounced when a file they read
 * changes; their findings are kept per source file for the diagnostics. What a unit is, which
 * units a change touches, and how findings are made is the workspace's.
 *
 * Units render in the order of a `UnitQueue`: those of the open documents first, then those a
 * change touches, then the rest of the workspace in small batches. A more urgent unit stops a
 * background batch (its units wait again; their renders are cached), so an opened file never
 * waits behind the workspace. Findings are published after each batch.
 */
export class RenderValidation {
  private byFile = new Map<string, Finding[]>();
  /** The editor buffer of each file with one, by hash: as edited last, and as the last render read it. */
  private readonly buffers = new Map<string, string>();
  private renderedFrom = new Map<string, string>();
  private readonly queue = new UnitQueue();
  /** Units whose findings are of the current texts: rendered since their files last changed. */
  private readonly fresh = new Set<string>();
  /** Files changed since the units they touch last rendered: their findings wait for those. */
  private readonly dirtyFiles = new Set<string>();
  /** The documents open in the editor. */
  private readonly open = new Set<string>();
  /**
   * Units left out of the background (bases only ever included by overlays, folders apps
   * render), made again a moment after the units change; undefined until the workspace is read.
   */
  private plan: BackgroundPlan | undefined;
  private replanTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private timer: NodeJS.Timeout | undefined;
  private running: { controller: AbortController; batch: UnitBatch } | undefined;
  private pumping = false;
  private lastRefresh = 0;
  /** Units rendered since the loop last had nothing to do, and left in the running batch. */
  private done = 0;
  private batchLeft = 0;
  /** The loop takes no batch before this time (the debounce of edits). */
  private notBefore = 0;
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
    const plan = this.planOf(units);
    this.plan = plan;
    const background = units.filter(({ key }) => !plan.leftOut.has(key));
    this.environment.log(
      `Rendering ${background.filter(({ unit }) => unit.renderer !== 'plain').length} unit(s) (kustomizations, charts, Flux and Argo CD apps); ${plan.includedOnly} base(s) only included by overlays and ${plan.byApps} folder(s) a Flux or Argo CD app renders render when opened.`,
    );
    for (const file of this.open) await this.documentOpened(file);
    this.schedule(
      background.map(({ key }) => key),
      'background',
      0,
    );
  }

  /**
   * A document was opened: the units it belongs to and those that read it render first, unless
   * their findings are of its current text already.
   */
  async documentOpened(file: string): Promise<void> {
    this.open.add(file);
    if (!this.environment.trusted()) return;
    await this.discovery();
    // A file outside the workspace's repositories (opened alone) has no units to render.
    if (!this.workspace.holds(file)) return;
    const keys = [
      ...(await this.workspace.unitsOf(file).catch(() => [])).map(({ key }) => key),
      ...this.workspace.unitsReading(file),
    ].filter((key) => !this.fresh.has(key));
    if (keys.length > 0) this.schedule(keys, 'open', 0);
  }

  documentClosed(file: string): void {
    this.open.delete(file);
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
    // Units come and go, or a kustomization includes other folders: what is left out may change.
    const including = events.some((event) => isKustomizationFile(event.path));
    if ((change.units || including) && this.environment.trusted()) this.replanSoon();
    if (change.affected.length === 0 || !this.environment.trusted()) return;
    for (const key of change.affected) this.fresh.delete(key);
    for (const event of events) this.dirtyFiles.add(event.path);
    // The units of an open document are the user's; the others are changed units.
    const opened = new Set(
      (
        await Promise.all(
          events
            .filter((event) => this.open.has(event.path))
            .map((event) => this.workspace.unitsOf(event.path).catch(() => [])),
        )
      ).flatMap((entries) => entries.map(({ key }) => key)),
    );
    const affected = new Set(change.affected);
    this.schedule(
      [...affected].filter((key) => opened.has(key)),
      'open',
      DEBOUNCE_MS,
    );
    this.schedule(
      [...affected].filter((key) => !opened.has(key)),
      'changed',
      DEBOUNCE_MS,
    );
  }

  /** The units a file belongs to, the one rendered when nobody chooses first (no tool runs). */
  async units(file: string, signal: AbortSignal): Promise<RenderUnitsResult> {
    await this.discovery();
    return previewUnits(this.workspace, file, signal);
  }

  /** The rendered YAML of `chosen` (else the first unit `file` belongs to): see `renderedPreview`. */
  async preview(
    file: string,
    signal: AbortSignal,
    chosen?: ChosenUnit,
  ): Promise<RenderedManifestsResult> {
    await this.discovery();
    if (!this.environment.trusted()) return UNTRUSTED_PREVIEW;
    return renderedPreview(this.workspace, file, signal, chosen);
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
    this.disposed = true;
    clearTimeout(this.timer);
    clearTimeout(this.replanTimer);
    this.queue.clear();
    this.running?.controller.abort();
  }

  /**
   * The units changed: once edits pause, the background's plan is made again, and units it no
   * longer leaves out (the overlay or the app that covered them is gone) render in the background;
   * when none does, the findings are published again, without those of units that are gone.
   */
  private replanSoon(): void {
    if (!this.plan || this.disposed) return;
    clearTimeout(this.replanTimer);
    this.replanTimer = setTimeout(() => {
      const before = this.plan;
      if (!before || this.disposed) return;
      const units = this.workspace.unitsIn();
      const plan = this.planOf(units);
      this.plan = plan;
      const now = new Set(units.map(({ key }) => key));
      const running = this.running?.batch.keys;
      const released = [...before.leftOut].filter(
        (key) =>
          now.has(key) && !plan.leftOut.has(key) && !this.fresh.has(key) && !running?.has(key),
      );
      if (released.length > 0) this.schedule(released, 'background', 0);
      // Nothing to render, nor a change on its way to: the findings of units gone go now.
      else if (!this.pumping && this.dirtyFiles.size === 0) {
        this.publish(this.renderedFrom, 'changed');
      }
    }, REPLAN_MS);
  }

  /** The background's plan for `units`, kustomizations read as the editor holds them. */
  private planOf(units: readonly WorkspaceUnit[]): BackgroundPlan {
    const overlays = this.workspace.renderer.overlays();
    return backgroundPlan(units, (file) => overlays.get(file) ?? readSourceFile(file));
  }

  private schedule(keys: readonly string[], tier: UnitTier, delayMs: number): void {
    if (keys.length === 0 || this.disposed) return;
    this.queue.add(keys, tier);
    // A running batch that a change touched, or that is less urgent, gives way.
    const running = this.running;
    if (
      running &&
      (outranks(tier, running.batch.tier) || keys.some((key) => running.batch.keys.has(key)))
    ) {
      running.controller.abort();
    }
    this.notBefore = Math.max(this.notBefore, Date.now() + delayMs);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), delayMs);
  }

  /** Renders batches, most urgent first, until nothing waits. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      const registry = await this.environment.registry();
      if (!registry) return;
      this.queue.retain(new Set(this.workspace.units().map(({ key }) => key)));
      for (;;) {
        // An edit waits for the typing to pause, the loop with it.
        const wait = this.notBefore - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const batch = this.queue.take(BATCH);
        if (!batch) break;
        this.batchLeft = batch.keys.size;
        const controller = new AbortController();
        this.running = { controller, batch };
        const renderedFrom = new Map(this.buffers);
        const done = await this.workspace.check({
          registry,
          signal: controller.signal,
          keys: batch.keys,
          progress: (entry, result) => {
            this.done++;
            this.batchLeft--;
            this.reportProgress();
            // A failed app leaves its folder's findings to the folder: queued after this batch
            // (stopping it would render the app again), unless fresh or in this batch.
            const folders = result.ok ? [] : (this.plan?.renderedByApps.get(entry.key) ?? []);
            const waiting = folders.filter((key) => !this.fresh.has(key) && !batch.keys.has(key));
            if (waiting.length > 0) this.queue.add(waiting, 'background');
          },
        });
        this.running = undefined;
        if (!done || controller.signal.aborted) {
          // Stopped for something more urgent or newer: its units wait again (cached renders
          // make the second run of an unchanged unit cheap).
          this.queue.add(batch.keys, batch.tier);
          continue;
        }
        for (const key of batch.keys) this.fresh.add(key);
        this.publish(renderedFrom, batch.tier);
      }
    } catch (error) {
      // A unit that could not be checked leaves the others waiting, not a broken server.
      this.environment.log(
        `Rendering the workspace stopped: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.queue.clear();
    } finally {
      this.pumping = false;
      this.running = undefined;
      this.done = 0;
      this.environment.progress?.(undefined);
      // Something waits that arrived when the loop ended: go on.
      if (this.queue.size > 0) this.timer = setTimeout(() => void this.pump(), 0);
    }
  }

  private reportProgress(): void {
    const total = this.done + Math.max(0, this.batchLeft) + this.queue.size;
    this.environment.progress?.({ done: this.done, total });
  }

  /** Findings after a batch; a changed file's findings wait until what it touches rendered. */
  private publish(renderedFrom: ReadonlyMap<string, string>, tier: UnitTier): void {
    const byFile = new Map<string, Finding[]>();
    for (const { file, ...finding } of this.workspace.findings()) {
      byFile.set(file, [...(byFile.get(file) ?? []), finding]);
    }
    const settled = this.queue.top() === undefined || this.queue.top() === 'background';
    if (settled) this.dirtyFiles.clear();
    const next = new Map(renderedFrom);
    for (const file of this.dirtyFiles) {
      const previous = this.renderedFrom.get(file);
      if (previous === undefined) next.delete(file);
      else next.set(file, previous);
    }
    this.byFile = byFile;
    this.renderedFrom = next;
    this.generation++;
    const now = Date.now();
    if (
      tier !== 'background' ||
      now - this.lastRefresh >= BACKGROUND_REFRESH_MS ||
      this.queue.size === 0
    ) {
      this.lastRefresh = now;
      this.environment.changed();
    }
  }
}

function textHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
