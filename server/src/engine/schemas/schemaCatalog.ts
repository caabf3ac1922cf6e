import { bundledKubernetesVersions, loadCrdBundle, loadKubernetesBundle } from './bundles';
import type { CrdBundle, KubernetesBundle } from './bundles';
import { SchemaRegistry, WorkspaceCrds } from './schemaRegistry';

/**
 * The registries of every bundled Kubernetes version, loaded on first use and sharing the
 * workspace's CRDs. The language server and the CLI each hold one.
 */
export class SchemaCatalog {
  readonly workspaceCrds = new WorkspaceCrds();
  private readonly registries = new Map<string, Promise<SchemaRegistry>>();
  private crds: Promise<CrdBundle | undefined> | undefined;
  private bundledVersions: Promise<string[]> | undefined;

  constructor(private readonly bundleDir: string) {}

  /** The bundled versions, newest first (read once: the bundles ship with the product). */
  versions(): Promise<string[]> {
    this.bundledVersions ??= bundledKubernetesVersions(this.bundleDir);
    return this.bundledVersions;
  }

  /** The newest bundled version, the default target. */
  async defaultVersion(): Promise<string | undefined> {
    return (await this.versions())[0];
  }

  /** The registry for a Kubernetes minor version ("1.34"); rejects when it is not bundled. */
  registry(version: string): Promise<SchemaRegistry> {
    let registry = this.registries.get(version);
    if (!registry) {
      registry = this.load(version);
      registry.catch(() => this.registries.delete(version));
      this.registries.set(version, registry);
    }
    return registry;
  }

  /** A registry over schemas read from a cluster, with the bundled and workspace CRDs. */
  async registryFor(kubernetes: KubernetesBundle): Promise<SchemaRegistry> {
    this.crds ??= loadCrdBundle(this.bundleDir).catch(() => undefined);
    return new SchemaRegistry(kubernetes, await this.crds, this.workspaceCrds);
  }

  private async load(version: string): Promise<SchemaRegistry> {
    this.crds ??= loadCrdBundle(this.bundleDir).catch(() => undefined);
    const [kubernetes, crds] = await Promise.all([
      loadKubernetesBundle(this.bundleDir, version),
      this.crds,
    ]);
    return new SchemaRegistry(kubernetes, crds, this.workspaceCrds);
  }
}
