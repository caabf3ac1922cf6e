import { fileURLToPath } from 'node:url';
import {
  ChunkCache,
  PatchFileIndex,
  crdsInText,
  isKustomizationFile,
  validateManifestTextAsync,
} from './engine';
import type { SchemaCatalog, SchemaRegistry, ValidationResult } from './engine';

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

  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly onSchemasChanged: () => void,
    private readonly warn: (message: string) => void,
  ) {}

  async validate(
    uri: string,
    text: string,
    kubernetesVersion: string,
    signal: AbortSignal,
  ): Promise<ValidationResult> {
    const path = filePathOf(uri);
    const registry = await this.registry(kubernetesVersion);
    if (text.includes('CustomResourceDefinition') || this.hadCrds.has(uri)) {
      this.updateCrds(uri, path ?? uri, text);
    }
    if (path && isKustomizationFile(path) && this.patches.update(path, text)) {
      this.patchChanges++;
      this.onSchemasChanged();
    }
    let cache = this.caches.get(uri);
    if (!cache) {
      cache = new ChunkCache();
      this.caches.set(uri, cache);
    }
    return validateManifestTextAsync(text, {
      ...(path ? { path, partial: this.patches.isPatch(path) } : {}),
      ...(registry ? { schemas: registry } : {}),
      cache,
      signal,
    });
  }

  /** Changes when the workspace's CRDs change: diagnostics computed before are stale. */
  get generation(): number {
    return this.catalog.workspaceCrds.generation + this.patchChanges;
  }

  forget(uri: string): void {
    this.caches.delete(uri);
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

  async registry(version: string): Promise<SchemaRegistry | undefined> {
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
