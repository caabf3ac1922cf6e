import * as path from 'node:path';
import { isInside } from '../files/pathInside';
import type { FileContext } from '../validate/fileContext';
import { fluxFacts, hasFluxFacts } from './fluxFacts';
import type { FluxFacts } from './fluxFacts';
import { kustomizationFacts } from './kustomizationFacts';
import type { KustomizationFacts } from './kustomizationFacts';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'kustomization']);
const SOPS_CONFIG_NAMES = new Set(['.sops.yaml', '.sops.yml']);

export function isKustomizationFile(filePath: string): boolean {
  return KUSTOMIZATION_NAMES.has(path.basename(filePath).toLowerCase());
}

/**
 * The patch files a kustomization names (`patches[].path`, `patchesJson6902[].path`,
 * `patchesStrategicMerge`), as absolute paths, read as kustomize reads them (any key case, merge
 * keys, aliases). A patch holds only the fields it changes, so it is validated as a partial
 * resource. A kustomization that cannot be read names none.
 */
export function patchFilesOf(kustomizationPath: string, text: string): string[] {
  return kustomizationFacts(kustomizationPath, text).patches;
}

/**
 * What the repository says about its files before they are applied: which are kustomize
 * patches, generator inputs or chart values, which are renamed by a kustomization's
 * `namespace:`, which kinds Flux Kustomizations patch, and whether Secrets are kept
 * SOPS-encrypted. Kept up to date as kustomizations and manifests change.
 */
export class PatchFileIndex {
  private readonly kustomizations = new Map<string, KustomizationFacts>();
  private readonly manifests = new Map<string, FluxFacts>();
  private readonly charts = new Set<string>();
  /** Folders with a `.sops.yaml`: SOPS encrypts the files below them by its rules. */
  private readonly sopsConfigs = new Set<string>();
  private derived: Derived | undefined;

  /** Records what a kustomization names; returns true when what it says about files changed. */
  update(kustomizationPath: string, text: string | undefined): boolean {
    const file = path.resolve(kustomizationPath);
    const before = JSON.stringify(this.kustomizations.get(file) ?? null);
    const facts = text === undefined ? undefined : kustomizationFacts(file, text);
    if (JSON.stringify(facts ?? null) === before) {
      return false;
    }
    if (facts) {
      this.kustomizations.set(file, facts);
    } else {
      this.kustomizations.delete(file);
    }
    this.derived = undefined;
    return true;
  }

  /**
   * Records what a manifest file says about the repository (Flux Kustomization patches,
   * SOPS-encrypted Secrets); returns true when that changed.
   */
  updateManifest(file: string, text: string | undefined): boolean {
    const key = path.resolve(file);
    if (SOPS_CONFIG_NAMES.has(path.basename(key))) {
      const folder = path.dirname(key);
      const had = this.sopsConfigs.has(folder);
      if (text === undefined) this.sopsConfigs.delete(folder);
      else this.sopsConfigs.add(folder);
      this.derived = undefined;
      return had !== (text !== undefined);
    }
    const facts = text === undefined ? undefined : fluxFacts(text);
    const before = JSON.stringify(this.manifests.get(key) ?? null);
    const keep = facts && hasFluxFacts(facts) ? facts : undefined;
    if (JSON.stringify(keep ?? null) === before) {
      return false;
    }
    if (keep) {
      this.manifests.set(key, keep);
    } else {
      this.manifests.delete(key);
    }
    this.derived = undefined;
    return true;
  }

  /** Records a chart folder (one with Chart.yaml): its values files are data, not manifests. */
  addChart(chartYamlPath: string): void {
    this.charts.add(path.dirname(path.resolve(chartYamlPath)));
  }

  /** Forgets a chart folder whose Chart.yaml was deleted. */
  removeChart(chartYamlPath: string): void {
    this.charts.delete(path.dirname(path.resolve(chartYamlPath)));
  }

  isPatch(filePath: string): boolean {
    return this.state().patches.has(path.resolve(filePath));
  }

  get size(): number {
    return this.state().patches.size;
  }

  /** Everything the index knows about `filePath`, as validation options. */
  contextOf(filePath: string): FileContext {
    const file = path.resolve(filePath);
    const state = this.state();
    const valuesOfChart =
      /^values[^/\\]*\.ya?ml$/i.test(path.basename(file)) && this.charts.has(path.dirname(file));
    const partial = state.patches.has(file) || (namedAsPatch(file) && !state.namespaced.has(file));
    return {
      ...(partial ? { partial: true } : {}),
      ...(state.namespaced.has(file) ? { namespaceSetByKustomize: true } : {}),
      ...(state.patchedKinds.length > 0 ? { patchedKinds: state.patchedKinds } : {}),
      ...(this.keepsSecretsEncrypted(file, state) ? { encryptedSecrets: true } : {}),
      ...(state.data.has(file) || valuesOfChart ? { data: true } : {}),
    };
  }

  /**
   * Secrets are kept encrypted where a `.sops.yaml` governs the file (the nearest one above it)
   * and at least one Secret below that `.sops.yaml` is SOPS-encrypted.
   */
  private keepsSecretsEncrypted(file: string, state: Derived): boolean {
    for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
      if (this.sopsConfigs.has(folder)) {
        return state.encryptedFiles.some((encrypted) => isInside(folder, encrypted));
      }
      if (path.dirname(folder) === folder) {
        return false;
      }
    }
  }

  private state(): Derived {
    this.derived ??= derive(this.kustomizations, this.manifests);
    return this.derived;
  }
}

interface Derived {
  readonly patches: Set<string>;
  readonly data: Set<string>;
  readonly namespaced: Set<string>;
  readonly patchedKinds: string[];
  /** Files that hold a SOPS-encrypted Secret. */
  readonly encryptedFiles: string[];
}

function derive(
  kustomizations: ReadonlyMap<string, KustomizationFacts>,
  manifests: ReadonlyMap<string, FluxFacts>,
): Derived {
  const patches = new Set<string>();
  const data = new Set<string>();
  const byFolder = new Map<string, KustomizationFacts>();
  for (const [file, facts] of kustomizations) {
    facts.patches.forEach((patch) => patches.add(patch));
    facts.dataFiles.forEach((dataFile) => data.add(dataFile));
    byFolder.set(path.dirname(file), facts);
  }
  const namespaced = new Set<string>();
  for (const facts of kustomizations.values()) {
    if (facts.setsNamespace) {
      reachable(facts, byFolder, namespaced, new Set());
    }
  }
  const patchedKinds = new Set<string>();
  const encryptedFiles: string[] = [];
  for (const [file, facts] of manifests) {
    facts.patchedKinds.forEach((kind) => patchedKinds.add(kind));
    if (facts.encryptedSecrets) encryptedFiles.push(file);
  }
  return {
    patches,
    data,
    namespaced,
    patchedKinds: [...patchedKinds].sort(),
    encryptedFiles,
  };
}

/** The files a kustomization's resources and components reach, through local kustomizations. */
function reachable(
  facts: KustomizationFacts,
  byFolder: ReadonlyMap<string, KustomizationFacts>,
  found: Set<string>,
  seen: Set<KustomizationFacts>,
): void {
  if (seen.has(facts)) {
    return;
  }
  seen.add(facts);
  for (const entry of facts.resources) {
    const nested = byFolder.get(entry);
    if (nested) {
      reachable(nested, byFolder, found, seen);
    } else {
      found.add(entry);
    }
  }
}

/**
 * A file named or kept as a patch (`*_patch.yaml`, `patches/`), as kubebuilder scaffolds them
 * and leaves them commented out of the kustomization: it holds only the fields it would change,
 * so it is checked as a patch, not as a whole resource missing the rest. (One a kustomization
 * with a namespace lists as a resource is a whole resource, whatever its name.)
 */
function namedAsPatch(file: string): boolean {
  const parts = file.split(/[\\/]/);
  const name = parts.at(-1) ?? '';
  return parts.slice(0, -1).includes('patches') || /(?:^|[-_.])patch(?:es)?[-_.]/i.test(name);
}
