import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ChunkCache,
  PatchFileIndex,
  connectKubeApi,
  crdsInText,
  gitRootOf,
  isKustomizationFile,
  kubeconfigFiles,
  readClusterSchemas,
  scanKustomizations,
  scanWorkspaceCrds,
  validateManifestTextAsync,
} from './engine';
import type { SchemaCatalog, SchemaRegistry, ValidationResult } from './engine';
import type { DocumentSettings } from './settingsCache';

/** What the service needs to know about where it runs. */
export interface ServiceEnvironment {
  /** Cluster schemas are read only in a trusted workspace (kubeconfig exec plugins run code). */
  trusted(): boolean;
  /** Where cluster schemas are cached; undefined: not cached on disk. */
  storagePath(): string | undefined;
}

type SchemaSettings = Pick<DocumentSettings, 'kubernetesVersion' | 'clusterContext' | 'kubeconfig'>;

/**
 * The language server's side of validation: one chunk cache per open document (so an edit
 * re-validates only the document it touches), the schema registry of the document's target
 * Kubernetes version, and CRDs registered as their files are edited.
 */
export class ValidationService {
  private readonly caches = new Map<string, ChunkCache>();
  private readonly warnedVersions = new Set<string>();
  /** Which files are Kustomize patches, validated as partial resources. */
  readonly patches = new PatchFileIndex();
  private patchChanges = 0;

  /** Registries over cluster schemas by kubeconfig and context: undefined while loading or failed. */
  private readonly clusterRegistries = new Map<string, SchemaRegistry | undefined>();
  private clusterChanges = 0;

  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly onSchemasChanged: () => void,
    private readonly warn: (message: string) => void,
    private readonly environment: ServiceEnvironment,
  ) {}

  async validate(
    uri: string,
    text: string,
    settings: SchemaSettings,
    signal: AbortSignal,
  ): Promise<ValidationResult> {
    const path = filePathOf(uri);
    const registry = await this.registry(settings);
    if (text.includes('CustomResourceDefinition') || this.hadCrds.has(uri)) {
      this.updateCrds(uri, path ?? uri, text);
    }
    if (path) {
      this.scanRepositoryOf(path);
      const changed = isKustomizationFile(path)
        ? this.patches.update(path, text)
        : this.patches.updateManifest(path, text);
      if (changed) {
        this.patchChanges++;
        this.onSchemasChanged();
      }
    }
    let cache = this.caches.get(uri);
    if (!cache) {
      cache = new ChunkCache();
      this.caches.set(uri, cache);
    }
    return validateManifestTextAsync(text, {
      ...(path ? { path, context: this.patches.contextOf(path) } : {}),
      ...(registry ? { schemas: registry } : {}),
      cache,
      signal,
    });
  }

  /** Changes when the workspace's CRDs change: diagnostics computed before are stale. */
  get generation(): number {
    return this.catalog.workspaceCrds.generation + this.patchChanges + this.clusterChanges;
  }

  forget(uri: string): void {
    this.caches.delete(uri);
  }

  /** Folders whose CRDs and kustomizations are read (the workspace folders, scanned at start). */
  private readonly scanned = new Set<string>();

  markScanned(folders: readonly string[]): void {
    for (const folder of folders) {
      this.scanned.add(nodePath.resolve(folder));
    }
  }

  /**
   * A file outside every scanned folder (opened alone) is validated with its repository's CRDs
   * and kustomizations, as when the repository is the workspace: its git root is read once.
   */
  private scanRepositoryOf(file: string): void {
    const inside = [...this.scanned].some((folder) => {
      const relative = nodePath.relative(folder, file);
      return !relative.startsWith('..') && !nodePath.isAbsolute(relative);
    });
    const root = inside ? undefined : gitRootOf(file);
    if (!root || this.scanned.has(root)) {
      return;
    }
    this.scanned.add(root);
    void (async () => {
      try {
        const signal = AbortSignal.timeout(60_000);
        await scanKustomizations([root], this.patches, signal);
        await scanWorkspaceCrds([root], this.catalog.workspaceCrds, { signal });
        this.patchChanges++;
        this.onSchemasChanged();
      } catch (error) {
        this.warn(`Reading the repository ${root} stopped: ${String(error)}`);
      }
    })();
  }

  private readonly hadCrds = new Set<string>();

  private updateCrds(uri: string, file: string, text: string): void {
    const schemas = crdsInText(text);
    if (schemas.length > 0) {
      this.hadCrds.add(uri);
    } else {
      this.hadCrds.delete(uri);
    }
    if (this.catalog.workspaceCrds.set(file, schemas)) {
      this.onSchemasChanged();
    }
  }

  /**
   * The schemas for a document: its cluster's when a context is set and has been read (reading
   * starts in the background; diagnostics are refreshed when it is done), else the bundled ones.
   */
  async registry(settings: SchemaSettings): Promise<SchemaRegistry | undefined> {
    if (settings.clusterContext !== '' && this.environment.trusted()) {
      const fromCluster = this.clusterRegistry(settings.clusterContext, settings.kubeconfig);
      if (fromCluster) {
        return fromCluster;
      }
    }
    return this.bundledRegistry(settings.kubernetesVersion);
  }

  private clusterRegistry(context: string, kubeconfig: string): SchemaRegistry | undefined {
    const key = `${kubeconfig}\u0000${context}`;
    if (!this.clusterRegistries.has(key)) {
      this.clusterRegistries.set(key, undefined);
      void this.loadClusterRegistry(key, context, kubeconfig);
    }
    return this.clusterRegistries.get(key);
  }

  private async loadClusterRegistry(
    key: string,
    context: string,
    kubeconfig: string,
  ): Promise<void> {
    try {
      const api = await connectKubeApi({
        kubeconfigFiles: kubeconfigFiles({
          ...(kubeconfig ? { explicitPath: kubeconfig } : {}),
          ...(process.env['KUBECONFIG'] ? { kubeconfigEnv: process.env['KUBECONFIG'] } : {}),
        }),
        context,
      });
      const { bundle } = await readClusterSchemas(
        api,
        this.environment.storagePath(),
        AbortSignal.timeout(120_000),
      );
      this.clusterRegistries.set(key, await this.catalog.registryFor(bundle));
      this.clusterChanges++;
      this.onSchemasChanged();
    } catch (error) {
      this.warn(
        `${error instanceof Error ? error.message : String(error)} Validating with the bundled Kubernetes schemas instead.`,
      );
      // Try again on a later validation, not on every keystroke.
      setTimeout(() => this.clusterRegistries.delete(key), 60_000).unref();
    }
  }

  private async bundledRegistry(version: string): Promise<SchemaRegistry | undefined> {
    const wanted = version.trim() === '' ? await this.catalog.defaultVersion() : version.trim();
    if (!wanted) {
      return undefined;
    }
    try {
      return await this.catalog.registry(wanted);
    } catch (error) {
      if (!this.warnedVersions.has(wanted)) {
        this.warnedVersions.add(wanted);
        this.warn(error instanceof Error ? error.message : String(error));
      }
      const fallback = await this.catalog.defaultVersion();
      return fallback && fallback !== wanted ? this.catalog.registry(fallback) : undefined;
    }
  }
}

export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) {
    return undefined;
  }
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
