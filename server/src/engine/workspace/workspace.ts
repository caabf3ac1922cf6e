/**
 * The workspace: what the editor, the CLI and the benchmarks know of the repositories they look
 * at, decided once. One walk of each repository (kept current by file events), its units, CRDs
 * and kustomization facts, and the answers every face asks for: the root of a path, the unit a
 * path belongs to, a unit's findings, a render with the configured tools, history and impact.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { gitRootOf, isDirectory } from '../files/repositoryRoot';
import { PathNotFoundError, collectYamlFiles } from '../files/yamlFiles';
import { isInside } from '../files/pathInside';
import { PatchFileIndex } from '../kustomize/patchFiles';
import type { WorkspaceUnits } from '../render/renderUnits';
import type { RenderResult, RenderUnit } from '../render/types';
import { WorkspaceCrds } from '../schemas/schemaRegistry';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { RenderedImpact } from '../git/types';
import type { FileFinding, Finding } from '../types';
import { RootModel } from './rootModel';
import type { FileChangeEffect } from './rootModel';
import { UnitChecks, readSourceFile } from './unitChecks';
import type { CheckEntry } from './unitChecks';
import { describeUnit, unitsHolding } from './unitChoices';
import type { UnitDescription } from './unitChoices';
import { gitSide } from './gitSide';
import type * as WorkspaceHistory from './workspaceHistory';
import type { GitAsk, HistoryAnswer, HistoryTarget } from './workspaceHistory';
import { WorkspaceRenderer } from './workspaceRenderer';
import {
  valuesAssistOf,
  valuesContextOf,
  valuesExplainRefusal,
  valuesFindingsOf,
} from './workspaceValues';
import type { ValuesAssistContext, ValuesContext } from './workspaceValues';
import type { FileEvent, WorkspaceChange, WorkspaceOptions, WorkspaceUnit } from './workspaceTypes';

export class Workspace {
  readonly crds: WorkspaceCrds;
  /** What kustomizations and manifests say about files: patches, namespaces, encryption. */
  readonly facts = new PatchFileIndex();
  readonly renderer: WorkspaceRenderer;
  private readonly models = new Map<string, Promise<RootModel>>();
  private readonly loaded = new Map<string, RootModel>();
  private readonly scope: string[] = [];
  private readonly checks = new UnitChecks();
  /** The file events applied so far, one batch after another (see `applyChanges`). */
  private applying: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WorkspaceOptions) {
    this.crds = options.crds ?? new WorkspaceCrds();
    this.renderer = new WorkspaceRenderer(options.render);
  }

  /** A workspace of `folders`, each one's repository read. */
  static async open(
    folders: readonly string[],
    options: WorkspaceOptions,
    signal?: AbortSignal,
  ): Promise<Workspace> {
    const workspace = new Workspace(options);
    await workspace.addFolders(folders, signal);
    return workspace;
  }

  /** Adds folders the faces look at; each one's repository is walked once (the first time). */
  async addFolders(folders: readonly string[], signal?: AbortSignal): Promise<void> {
    for (const folder of folders.map((entry) => path.resolve(entry))) {
      if (!this.scope.includes(folder)) this.scope.push(folder);
      await this.model(this.rootOf(folder), signal);
    }
  }

  /** The folders the faces look at (workspace folders, CLI targets). */
  folders(): readonly string[] {
    return this.scope;
  }

  /**
   * The repository root `target` renders in: the `root` option when it holds the path, else the
   * nearest folder above with `.git`, else the workspace folder holding it, else its own folder.
   */
  rootOf(target: string): string {
    const resolved = path.resolve(target);
    if (this.options.root && isInside(this.options.root, resolved)) {
      return path.resolve(this.options.root);
    }
    const git = gitRootOf(resolved);
    if (git) return git;
    const folder = this.scope
      .filter((entry) => isInside(entry, resolved))
      .sort((a, b) => b.length - a.length)[0];
    return folder ?? (isDirectory(resolved) ? resolved : path.dirname(resolved));
  }

  /** True when a repository of the workspace holds `target` (outside its skipped folders). */
  holds(target: string): boolean {
    return this.modelHolding(target) !== undefined;
  }

  /** Reads the repository of `target` if it is not read yet (a file opened alone). */
  async include(target: string, signal?: AbortSignal): Promise<void> {
    await this.model(this.rootOf(target), signal);
  }

  /**
   * The YAML files `targets` name, as `collectYamlFiles` gives them (files as given, folders'
   * `.yaml`/`.yml` files in the form of the target, sorted), from the walk already made: a
   * folder is walked again only when no repository read holds it (a skipped folder named).
   */
  async yamlFiles(targets: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const found = new Set<string>();
    for (const target of targets) {
      const resolved = path.resolve(target);
      const stat = statSync(resolved, { throwIfNoEntry: false });
      if (!stat) throw new PathNotFoundError(target);
      if (!stat.isDirectory()) {
        found.add(target);
        continue;
      }
      const model = await this.model(this.rootOf(resolved), signal);
      const files = model.holds(resolved)
        ? model.yamlFilesUnder(resolved)
        : (await collectYamlFiles([resolved], signal)).map((file) => path.resolve(file));
      for (const file of files) found.add(path.join(target, path.relative(resolved, file)));
    }
    return [...found].sort();
  }

  /** The YAML files under `folder` that a repository already read holds; undefined if none does. */
  knownYamlFiles(folder: string): string[] | undefined {
    const model = this.modelHolding(folder);
    return model?.yamlFilesUnder(folder);
  }

  /** Every unit of every repository read. */
  units(): WorkspaceUnit[] {
    return [...this.loaded.values()].flatMap((model) =>
      model.units().units.map((unit) => ({ key: keyOf(model.root, unit), unit, root: model.root })),
    );
  }

  /**
   * The units of the repository holding `folder`, and its index (for units of resources found
   * elsewhere): what the status engine asks instead of walking the folder again.
   */
  async unitsOfFolder(folder: string, signal?: AbortSignal): Promise<WorkspaceUnits> {
    return (await this.model(this.rootOf(folder), signal)).units();
  }

  /** The units defined or rooted in `folders` (default: the workspace's folders). */
  unitsIn(folders: readonly string[] = this.scope): WorkspaceUnit[] {
    return this.units().filter(({ unit }) => {
      const where = unit.definedIn?.file ?? unit.root;
      return folders.some((folder) => isInside(folder, where));
    });
  }

  /** The unit `target` belongs to (see unitLookup); its repository is read first if needed. */
  async unitOf(
    target: string,
    options: { line?: number; signal?: AbortSignal } = {},
  ): Promise<WorkspaceUnit | undefined> {
    return (await this.unitsOf(target, options))[0];
  }

  /**
   * Every unit `target` belongs to (see unitChoices), the one `unitOf` gives first: a chart's
   * defaults, then the HelmReleases and Applications that deploy it.
   */
  async unitsOf(
    target: string,
    options: { line?: number; signal?: AbortSignal } = {},
  ): Promise<WorkspaceUnit[]> {
    const resolved = path.resolve(target);
    const model = await this.model(this.rootOf(resolved), options.signal);
    return unitsHolding(model.units().units, resolved, {
      directory: isDirectory(resolved),
      ...(options.line !== undefined ? { line: options.line } : {}),
      reads: (candidate) => this.checks.readsOf(keyOf(model.root, candidate)),
    }).map((unit) => ({ key: keyOf(model.root, unit), unit, root: model.root }));
  }

  /** How a unit of the workspace is named to the user: its label and where it is defined. */
  describe(entry: Pick<WorkspaceUnit, 'unit' | 'root'>): UnitDescription {
    const units = this.loaded.get(entry.root)?.units().units ?? [entry.unit];
    return describeUnit(entry.unit, units, entry.root);
  }

  /** Renders a unit of the workspace with the configured tools, the editor's buffers included. */
  render(
    entry: Pick<WorkspaceUnit, 'unit' | 'root'>,
    options: { signal?: AbortSignal; withOverlays?: boolean } = {},
  ): Promise<RenderResult> {
    return this.renderer.render(entry.unit, entry.root, options);
  }

  /**
   * Renders and checks the units of the workspace's folders (the plain folders only rendered, so
   * each unit's checks know what they define). False when `signal` stopped it.
   */
  async check(options: {
    registry: SchemaRegistry;
    signal: AbortSignal;
    /** Only these units (keys) are rendered again; default: all. */
    keys?: ReadonlySet<string>;
    /** The folders whose units are checked (default: the workspace's folders). */
    folders?: readonly string[];
    /** Told when each unit has rendered, and how. */
    progress?: (entry: CheckEntry, result: RenderResult) => void;
  }): Promise<boolean> {
    this.checks.retain(new Set(this.units().map(({ key }) => key)));
    const settings = await this.renderer.settings();
    const overlays = this.renderer.overlays();
    return this.checks.run(
      this.unitsIn(options.folders).filter(({ key }) => !options.keys || options.keys.has(key)),
      {
        registry: options.registry,
        signal: options.signal,
        render: (entry, signal) => this.render(entry, { signal }),
        read: (file) => overlays.get(file) ?? readSourceFile(file),
        ...(settings.external ? { external: settings.external } : {}),
        ...(this.options.log ? { log: this.options.log } : {}),
        explainsRefusal: (unit) => this.valuesExplain(unit, overlays),
        // One more than the tool processes the queue runs at once: while one unit's output is
        // read, the cores keep rendering.
        parallel: os.availableParallelism() + 1,
        ...(options.progress ? { progress: options.progress } : {}),
      },
    );
  }

  /**
   * True when the values findings of a helm unit (its own values sources, its chart's values
   * files) are not empty: they say on the keys what helm's values-schema refusal says on the
   * unit. Another unit's findings in the same file do not count.
   */
  private async valuesExplain(
    unit: RenderUnit,
    overlays: ReadonlyMap<string, string>,
  ): Promise<boolean> {
    const model = this.modelHolding(path.resolve(unit.definedIn?.file ?? unit.root));
    if (!model) return false;
    return valuesExplainRefusal(unit, this.valuesContext(model, overlays));
  }

  /** The findings of the units checked, each once; a missing tool is one warning per tool. */
  findings(): FileFinding[] {
    return this.checks.findings(this.units().map(({ key }) => key));
  }

  /**
   * What the charts' `values.schema.json` say of the values `file` holds (`text`: its buffer):
   * a values file of a chart folder, the `spec.values` of the HelmReleases it defines.
   */
  async valuesFindings(file: string, text: string): Promise<Finding[]> {
    const resolved = path.resolve(file);
    const model = this.modelHolding(resolved);
    if (!model) return [];
    return valuesFindingsOf(resolved, text, this.valuesContext(model));
  }

  /** What the values findings of `model` read: its units, the editor's buffers, remote charts. */
  private valuesContext(model: RootModel, overlays?: ReadonlyMap<string, string>): ValuesContext {
    return valuesContextOf(model.root, model.units().units, this.renderer, overlays);
  }

  /**
   * The chart whose values `file` holds at `line` (a values file of a chart folder, a
   * HelmRelease's `spec.values`, its remote chart once downloaded), for hover and completion of
   * values keys.
   */
  async valuesAssist(file: string, line: number): Promise<ValuesAssistContext | undefined> {
    const resolved = path.resolve(file);
    const model = this.modelHolding(resolved);
    if (!model) return undefined;
    return valuesAssistOf(resolved, line, this.valuesContext(model));
  }

  /** The units (keys) whose last render read `file`. */
  unitsReading(file: string): string[] {
    const resolved = path.resolve(file);
    return this.units()
      .filter(({ key }) => this.checks.dependsOn(key, resolved))
      .map(({ key }) => key);
  }

  /** The units (keys) a change of `file` may change: they render it, read it or define it. */
  unitsAffectedBy(files: readonly string[]): string[] {
    const changed = files.map((file) => path.resolve(file));
    return this.units()
      .filter(({ key, unit }) =>
        changed.some(
          (file) =>
            isInside(unit.root, file) ||
            unit.definedIn?.file === file ||
            this.checks.dependsOn(key, file),
        ),
      )
      .map(({ key }) => key);
  }

  /**
   * Files or folders were created, changed or deleted (the editor's file events and buffers):
   * each repository holding one reads it again. Returns what changed and the units to render.
   */
  applyChanges(events: readonly FileEvent[]): Promise<WorkspaceChange> {
    // One batch at a time, in the order given: an edit typed after another is never overtaken
    // by it, and a question asked after an edit (see `model`) waits until the edit is in.
    const change = this.applying.then(() => this.apply(events));
    this.applying = change.catch(() => undefined);
    return change;
  }

  private async apply(events: readonly FileEvent[]): Promise<WorkspaceChange> {
    const effect: FileChangeEffect = { units: false, crds: false, facts: false };
    const before = new Map(this.units().map(({ key, unit }) => [key, unit]));
    for (const event of events) {
      const model = this.modelHolding(event.path);
      if (!model) continue;
      const result =
        event.type === 'deleted'
          ? await model.deleted(event.path)
          : await model.changed(event.path, event.text, event.type === 'created');
      effect.units ||= result.units;
      effect.crds ||= result.crds;
      effect.facts ||= result.facts;
    }
    // New units, and units defined anew (an ApplicationSet's parameters changed).
    const added = this.units()
      .filter(({ key, unit }) => !before.has(key) || redefined(before.get(key), unit))
      .map(({ key }) => key);
    const affected = new Set([
      ...added,
      ...this.unitsAffectedBy(events.map((event) => event.path)),
    ]);
    return { ...effect, affected: [...affected] };
  }

  /** The commits that touched what a path's unit (or a known unit) renders from. */
  async history(
    target: HistoryTarget,
    options: GitAsk & { readonly limit?: number } = {},
  ): Promise<HistoryAnswer> {
    return (await gitSide()).workspaceHistory(this, target, options);
  }

  /** What a commit changes in the rendered output, or (`direction: 'revert'`) what its revert does. */
  async impact(
    repoRoot: string,
    sha: string,
    options: Parameters<typeof WorkspaceHistory.workspaceImpact>[3] = {},
  ): Promise<RenderedImpact[]> {
    return (await gitSide()).workspaceImpact(this, repoRoot, sha, options);
  }

  private modelHolding(target: string): RootModel | undefined {
    return [...this.loaded.values()]
      .filter((model) => model.holds(path.resolve(target)))
      .sort((a, b) => b.root.length - a.root.length)[0];
  }

  /** The model of the repository at `root`, read once, with every file event given so far. */
  private async model(root: string, signal?: AbortSignal): Promise<RootModel> {
    await this.applying;
    const key = path.resolve(root);
    let model = this.models.get(key);
    if (!model) {
      model = RootModel.load(key, { crds: this.crds, facts: this.facts }, signal).then((loaded) => {
        this.loaded.set(key, loaded);
        return loaded;
      });
      this.models.set(key, model);
      // A walk stopped by its signal is tried again by the next caller.
      model.catch(() => this.models.delete(key));
    }
    return model;
  }
}

/** A unit built again whose definition differs (the same object when nothing was rebuilt). */
function redefined(before: RenderUnit | undefined, after: RenderUnit): boolean {
  return before !== after && JSON.stringify(before) !== JSON.stringify(after);
}

function keyOf(root: string, unit: RenderUnit): string {
  return `${root}\u0000${unit.id}`;
}
