/**
 * One repository of a workspace as it is now: its folders (from the one walk), what each file
 * says to unit discovery, and its git remotes; each file's CRDs and kustomization facts go to the
 * workspace's shared stores as it is read. Kept current file by file: a change reads the file it
 * names, never the whole repository again.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isSkippedPath, readFolder, walkFolders } from '../files/folderWalk';
import type { WalkedFolder } from '../files/folderWalk';
import { isInside, isStrictlyInside } from '../files/pathInside';
import { readRepoText } from '../files/repoFile';
import { isKustomizationFile } from '../kustomize/patchFiles';
import type { PatchFileIndex } from '../kustomize/patchFiles';
import { isYamlFileName } from '../parse/fileKinds';
import { discoveryFacts } from '../render/discoveryFacts';
import type { DiscoveryFacts } from '../render/discoveryFacts';
import { buildUnits } from '../render/renderUnits';
import type { WorkspaceUnits } from '../render/renderUnits';
import { crdsInText } from '../schemas/workspaceCrdFiles';
import type { WorkspaceCrds } from '../schemas/schemaRegistry';
import { readGitRemotes } from '../status/repoUrls';

/** Files read per repository: a huge one cannot stall a check or the server. */
export const MAX_READ_FILES = 20_000;
/** Larger files are neither CRDs, kustomizations nor manifests worth a fact: left unread. */
const MAX_READ_BYTES = 8 * 1024 * 1024;
/** Files read at once while the workspace is first read. */
const READ_AHEAD = 16;

/** The stores every repository of a workspace writes its files' facts to. */
export interface FactStores {
  readonly crds: WorkspaceCrds;
  readonly facts: PatchFileIndex;
}

/** What a change did to the workspace's knowledge. */
export interface FileChangeEffect {
  /** The units may be different (a kustomization, a chart or a Flux resource changed). */
  units: boolean;
  /** The CRDs changed: custom resources validate differently. */
  crds: boolean;
  /** What kustomizations say about files (patches, namespaces, encryption) changed. */
  facts: boolean;
}

export class RootModel {
  private readonly folders = new Map<string, WalkedFolder>();
  private readonly discovery = new Map<string, DiscoveryFacts>();
  /** Files that define CRDs, so a change that removes them is noticed. */
  private readonly crdFiles = new Set<string>();
  /** The hash of the text a file was last read with: an unchanged text is not read again. */
  private readonly hashes = new Map<string, string>();
  private remotes: readonly string[] = [];
  private built: WorkspaceUnits | undefined;
  private read = 0;

  private constructor(
    readonly root: string,
    private readonly stores: FactStores,
  ) {}

  /** Walks `root` once and reads its files into the stores. */
  static async load(root: string, stores: FactStores, signal?: AbortSignal): Promise<RootModel> {
    const model = new RootModel(path.resolve(root), stores);
    model.remotes =
      (await readGitRemotes(model.root, signal).catch(() => undefined))?.remotes ?? [];
    for (const folder of await walkFolders(model.root, signal)) {
      model.folders.set(folder.dir, folder);
    }
    const files = [...model.folders.values()].flatMap((folder) => filesOf(folder));
    // Files are read a few at a time ahead of the one whose facts are taken (in walk order, so
    // the stores fill as they always did): the reads wait on the disk together, not in a row.
    const ahead = new Map<number, Promise<string | undefined>>();
    const readAhead = (index: number): void => {
      const file = files[index];
      if (file === undefined || ahead.has(index) || index >= MAX_READ_FILES) return;
      ahead.set(
        index,
        readRepoText(file, MAX_READ_BYTES).catch((): string | undefined => undefined),
      );
    };
    for (const [index, file] of files.entries()) {
      signal?.throwIfAborted();
      for (let next = index; next < index + READ_AHEAD; next++) readAhead(next);
      const read = ahead.get(index);
      ahead.delete(index);
      await model.readFile(file, undefined, read);
    }
    return model;
  }

  /** The repository's units, built again only after a change that may alter them. */
  units(): WorkspaceUnits {
    this.built ??= buildUnits(
      this.root,
      [...this.folders.values()],
      (file) => this.discovery.get(file),
      this.remotes,
    );
    return this.built;
  }

  holds(target: string): boolean {
    return isInside(this.root, target) && !isSkippedPath(this.root, target);
  }

  /** The YAML files of the folders the walk found inside `dir` (its own included), sorted. */
  yamlFilesUnder(dir: string): string[] {
    const under = path.resolve(dir);
    return [...this.folders.values()]
      .filter((folder) => isInside(under, folder.dir))
      .flatMap((folder) => folder.yamlFiles)
      .sort();
  }

  /** True when `dir` is a folder the walk found. */
  hasFolder(dir: string): boolean {
    return this.folders.has(path.resolve(dir));
  }

  /**
   * `file` was created or changed; `text` is its editor buffer when it has one. `created`: the
   * file is new (a files generator that lists the repository may now find it).
   */
  async changed(
    file: string,
    text: string | undefined,
    created = false,
  ): Promise<FileChangeEffect> {
    const target = path.resolve(file);
    const generators = this.generatorInput(target, created);
    const stat = text === undefined ? await fs.stat(target).catch(() => undefined) : undefined;
    if (stat?.isDirectory()) return this.folderAdded(target);
    if (text === undefined && !stat) return this.deleted(target);
    const effect = await this.listFolderOf(target, text !== undefined);
    const read = await this.readFile(target, text);
    return merge(merge(effect, read), generators);
  }

  /**
   * An ApplicationSet's files generator read `target`, or lists the files and one came or went:
   * its units are built again, though the file is no manifest (a `config.json`).
   */
  private generatorInput(target: string, createdOrDeleted: boolean): FileChangeEffect {
    const uses = this.built?.repoFileUses;
    const units =
      uses !== undefined && (uses.read.has(target) || (createdOrDeleted && uses.listed));
    if (units) this.built = undefined;
    return { units, crds: false, facts: false };
  }

  /** `target` (a file or a folder) was deleted. */
  async deleted(target: string): Promise<FileChangeEffect> {
    const gone = path.resolve(target);
    const effect = this.generatorInput(gone, true);
    for (const dir of [...this.folders.keys()]) {
      if (!isInside(gone, dir)) continue;
      for (const file of filesOf(this.folders.get(dir) as WalkedFolder)) {
        merge(effect, this.forget(file));
      }
      this.folders.delete(dir);
      effect.units = true;
    }
    const folder = this.folders.get(path.dirname(gone));
    if (folder && filesOf(folder).includes(gone)) {
      this.folders.set(folder.dir, without(folder, gone));
      merge(effect, this.forget(gone));
      effect.units = true;
      if (folder.chart && path.basename(gone) === 'Chart.yaml') await this.chartChanged(folder.dir);
    }
    if (effect.units) this.built = undefined;
    return effect;
  }

  /** A new folder: walked, and its files read. */
  private async folderAdded(dir: string): Promise<FileChangeEffect> {
    const effect: FileChangeEffect = { units: true, crds: false, facts: false };
    await this.listFolderOf(dir, false);
    for (const folder of await walkFolders(dir)) {
      if (isSkippedPath(this.root, folder.dir)) continue;
      this.folders.set(folder.dir, folder);
      for (const file of filesOf(folder)) merge(effect, await this.readFile(file, undefined));
    }
    this.built = undefined;
    return effect;
  }

  /**
   * Lists the folder of `target` again (a file may have appeared in it), and the folders above
   * it that the walk did not know; `buffered`: the file exists in an editor buffer at least.
   */
  private async listFolderOf(target: string, buffered: boolean): Promise<FileChangeEffect> {
    const dir = path.dirname(target);
    if (!isStrictlyInside(this.root, target)) return { units: false, crds: false, facts: false };
    for (let above = path.dirname(dir); isStrictlyInside(this.root, above);) {
      if (!this.folders.has(above)) this.folders.set(above, await readFolder(above));
      above = path.dirname(above);
    }
    const before = this.folders.get(dir);
    let listed = await readFolder(dir);
    if (buffered && !filesOf(listed).includes(target) && isYamlFileName(target)) {
      listed = { ...listed, yamlFiles: [...listed.yamlFiles, target].sort() };
    }
    this.folders.set(dir, listed);
    if (before !== undefined && before.chart !== listed.chart) await this.chartChanged(dir);
    const units =
      before === undefined ||
      before.chart !== listed.chart ||
      before.kustomization !== listed.kustomization ||
      before.yamlFiles.join('\n') !== listed.yamlFiles.join('\n');
    if (units) this.built = undefined;
    return { units, crds: false, facts: false };
  }

  /** Reads `file` (or takes `text`) into the stores and the discovery facts. */
  private async readFile(
    file: string,
    text: string | undefined,
    read?: Promise<string | undefined>,
  ): Promise<FileChangeEffect> {
    const effect: FileChangeEffect = { units: false, crds: false, facts: false };
    if (text === undefined && !this.hashes.has(file) && this.read >= MAX_READ_FILES) return effect;
    const content =
      text ??
      (await (read ??
        readRepoText(file, MAX_READ_BYTES).catch((): string | undefined => undefined)));
    const hash = content === undefined ? '' : createHash('sha1').update(content).digest('hex');
    if (this.hashes.get(file) === hash) return effect;
    if (!this.hashes.has(file)) this.read++;
    this.hashes.set(file, hash);
    const name = path.basename(file);
    if (name === 'Chart.yaml') this.stores.facts.addChart(file);
    if (isKustomizationFile(file)) {
      effect.facts = this.stores.facts.update(file, content);
    } else if (content !== undefined && name !== 'Chart.yaml') {
      effect.facts = this.stores.facts.updateManifest(file, content);
    }
    if (
      content !== undefined &&
      (content.includes('CustomResourceDefinition') || this.crdFiles.has(file))
    ) {
      const schemas = crdsInText(content);
      if (schemas.length > 0) this.crdFiles.add(file);
      else this.crdFiles.delete(file);
      effect.crds = this.stores.crds.set(file, schemas);
    }
    effect.units = this.discover(file, content);
    return effect;
  }

  /**
   * Records what `file` tells unit discovery; a file of a chart tells nothing (its templates are
   * the chart's, not manifests). True when that changed.
   */
  private discover(file: string, content: string | undefined): boolean {
    const facts =
      this.inChart(file) && path.basename(file) !== 'Chart.yaml'
        ? undefined
        : discoveryFacts(file, content ?? '');
    if (JSON.stringify(facts ?? null) === JSON.stringify(this.discovery.get(file) ?? null)) {
      return false;
    }
    if (facts) this.discovery.set(file, facts);
    else this.discovery.delete(file);
    this.built = undefined;
    return true;
  }

  /** True when a folder holding `file` (its own included) is a chart. */
  private inChart(file: string): boolean {
    for (let dir = path.dirname(file); isInside(this.root, dir); dir = path.dirname(dir)) {
      if (this.folders.get(dir)?.chart) return true;
      if (dir === this.root) break;
    }
    return false;
  }

  /** A chart appeared or went in `dir`: its files tell unit discovery nothing, or again. */
  private async chartChanged(dir: string): Promise<void> {
    for (const folder of [...this.folders.values()]) {
      if (!isInside(dir, folder.dir)) continue;
      for (const file of filesOf(folder)) {
        const text = this.inChart(file)
          ? undefined
          : await readRepoText(file, MAX_READ_BYTES).catch((): string | undefined => undefined);
        this.discover(file, text);
      }
    }
  }

  /** Drops what the stores know of a deleted file. */
  private forget(file: string): FileChangeEffect {
    const effect: FileChangeEffect = { units: false, crds: false, facts: false };
    if (path.basename(file) === 'Chart.yaml') this.stores.facts.removeChart(file);
    effect.facts = isKustomizationFile(file)
      ? this.stores.facts.update(file, undefined)
      : this.stores.facts.updateManifest(file, undefined);
    if (this.crdFiles.delete(file)) effect.crds = this.stores.crds.set(file, []);
    effect.units = this.discovery.delete(file);
    this.hashes.delete(file);
    return effect;
  }
}

/** The files of a folder the workspace reads: its YAML files and its kustomization. */
function filesOf(folder: WalkedFolder): string[] {
  return [
    ...new Set([...folder.yamlFiles, ...(folder.kustomization ? [folder.kustomization] : [])]),
  ];
}

function without(folder: WalkedFolder, file: string): WalkedFolder {
  const { kustomization, ...rest } = folder;
  return {
    ...rest,
    yamlFiles: folder.yamlFiles.filter((entry) => entry !== file),
    ...(kustomization && kustomization !== file ? { kustomization } : {}),
    chart: folder.chart && path.basename(file) !== 'Chart.yaml',
  };
}

function merge(into: FileChangeEffect, from: FileChangeEffect): FileChangeEffect {
  into.units ||= from.units;
  into.crds ||= from.crds;
  into.facts ||= from.facts;
  return into;
}
