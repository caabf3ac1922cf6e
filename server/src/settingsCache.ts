import type { Connection } from 'vscode-languageserver';

/** The settings the server reads, per document. */
export interface DocumentSettings {
  readonly validationEnabled: boolean;
  /** Kubernetes minor version ("1.34") to validate against; empty means the newest bundled. */
  readonly kubernetesVersion: string;
  /** Kubeconfig context whose cluster's schemas validate the document; empty: bundled ones. */
  readonly clusterContext: string;
  /** The machine-scoped kubeconfig setting; empty: KUBECONFIG, then ~/.kube/config. */
  readonly kubeconfig: string;
}

const DEFAULTS: DocumentSettings = {
  validationEnabled: true,
  kubernetesVersion: '',
  clusterContext: '',
  kubeconfig: '',
};

/**
 * Asks the client for settings per resource and caches the answer until the configuration
 * changes (the vscode-eslint way).
 */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<DocumentSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly clientSupportsConfiguration: () => boolean,
  ) {}

  get(uri: string): Promise<DocumentSettings> {
    if (!this.clientSupportsConfiguration()) {
      return Promise.resolve(DEFAULTS);
    }
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.fetch(uri);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }

  private async fetch(uri: string): Promise<DocumentSettings> {
    try {
      const section: unknown = await this.connection.workspace.getConfiguration({
        scopeUri: uri,
        section: 'gitopsWorkbench',
      });
      const settings = section as {
        validation?: { enable?: unknown; context?: unknown };
        kubernetesVersion?: unknown;
        kubeconfig?: unknown;
      } | null;
      const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
      return {
        validationEnabled: settings?.validation?.enable !== false,
        kubernetesVersion: text(settings?.kubernetesVersion),
        clusterContext: text(settings?.validation?.context),
        kubeconfig: text(settings?.kubeconfig),
      };
    } catch {
      this.cache.delete(uri);
      return DEFAULTS;
    }
  }
}
