import { fileURLToPath } from 'node:url';
import {
  ChunkCache,
  SchemaBundleError,
  connectKubeApi,
  crdsInText,
  gitRootOf,
  isKustomizationFile,
  kubeconfigFiles,
  readClusterSchemas,
  validateManifestTextAsync,
} from './engine';
import type { SchemaCatalog, SchemaRegistry, ValidationResult, Workspace } from './engine';
import { editorText } from './editorHints';
import type { DocumentSettings } from './settings';

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
 * Kubernetes version, and the workspace's CRDs and kustomization facts, kept current as files
 * are edited.
 */
export class ValidationService {
  private readonly caches = new Map<string, ChunkCache>();
  private readonly warnedVersions = new Set<string>();
  private patchChanges = 0;

  /** Registries over cluster schemas by kubeconfig and context: undefined while loading or failed. */
  private readonly clusterRegistries = new Map<string, SchemaRegistry | undefined>();
  private clusterChanges = 0;

  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly onSchemasChanged: () => void,
    private readonly warn: (message: string) => void,
    private readonly environment: ServiceEnvironment,
    private readonly workspace: Workspace,
  ) {}

  async validate(
    uri: string,
    text: string,
    settings: SchemaSettings,
    signal: AbortSignal,
  ): Promise<ValidationResult> {
    const path = filePathOf(uri);
    const registry = await this.registry(settings);
    if (path && this.workspace.holds(path)) {
      // The buffer is what the workspace knows of the file: its CRDs, what it says of others.
      const change = await this.workspace.applyChanges([{ type: 'changed', path, text }]);
      if (change.facts) this.patchChanges++;
      if (change.facts || change.crds) this.onSchemasChanged();
    } else {
      if (path) {
        this.readRepositoryOf(path);
        // A buffer outside every repository read still says what it patches (or is patched by).
        const facts = isKustomizationFile(path)
          ? this.workspace.facts.update(path, text)
          : this.workspace.facts.updateManifest(path, text);
        if (facts) {
          this.patchChanges++;
          this.onSchemasChanged();
        }
      }
      if (text.includes('CustomResourceDefinition') || this.hadCrds.has(uri)) {
        this.updateCrds(uri, path ?? uri, text);
      }
    }
    let cache = this.caches.get(uri);
    if (!cache) {
      cache = new ChunkCache();
      this.caches.set(uri, cache);
    }
    const result = await validateManifestTextAsync(text, {
      ...(path ? { path, context: this.workspace.facts.contextOf(path) } : {}),
      ...(registry ? { schemas: registry } : {}),
      cache,
      signal,
    });
    // Values a chart's values.schema.json refuses: in a chart's values file, in a HelmRelease.
    const values = path ? await this.workspace.valuesFindings(path, text) : [];
    return values.length === 0 ? result : { ...result, findings: [...result.findings, ...values] };
  }

  /** Changes when the workspace's CRDs change: diagnostics computed before are stale. */
  get generation(): number {
    return this.catalog.workspaceCrds.generation + this.patchChanges + this.clusterChanges;
  }

  forget(uri: string): void {
    this.caches.delete(uri);
  }

  /**
   * A file outside the workspace's repositories (opened alone) is validated with its
   * repository's CRDs and kustomizations, as when the repository is the workspace: its git root
   * is read once, then the workspace keeps it current.
   */
  private readRepositoryOf(file: string): void {
    const root = gitRootOf(file);
    if (!root || this.reading.has(root)) {
      return;
    }
    this.reading.add(root);
    void (async () => {
      try {
        await this.workspace.include(root, AbortSignal.timeout(60_000));
        this.patchChanges++;
        this.onSchemasChanged();
      } catch (error) {
        this.reading.delete(root);
        this.warn(`Reading the repository ${root} stopped: ${String(error)}`);
      }
    })();
  }

  /** Repositories of files opened alone, read or being read. */
  private readonly reading = new Set<string>();

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
        this.warn(
          error instanceof SchemaBundleError
            ? editorText(error.message, error.hint)
            : error instanceof Error
              ? error.message
              : String(error),
        );
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
