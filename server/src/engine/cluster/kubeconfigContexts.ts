import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from '../parse/boundedYaml';

export interface KubeContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace: string | undefined;
  /** The server URL of the context's cluster, when the kubeconfig names one. */
  readonly server: string | undefined;
  /** The kubeconfig file that defines the context. */
  readonly file: string;
}

export interface KubeconfigProblem {
  readonly file: string;
  readonly message: string;
}

export interface KubeContexts {
  readonly files: readonly string[];
  readonly contexts: readonly KubeContext[];
  readonly currentContext: string | undefined;
  readonly problems: readonly KubeconfigProblem[];
}

export interface KubeconfigSource {
  /** An explicit kubeconfig path (the machine-scoped setting); wins over the environment. */
  readonly explicitPath?: string;
  /** The value of KUBECONFIG: several files joined by the platform's path delimiter. */
  readonly kubeconfigEnv?: string;
  readonly homeDir?: string;
}

/** The kubeconfig files to read, in kubectl's order of precedence. */
export function kubeconfigFiles(source: KubeconfigSource): string[] {
  if (source.explicitPath) {
    return [source.explicitPath];
  }
  const fromEnv = (source.kubeconfigEnv ?? '').split(path.delimiter).filter((p) => p !== '');
  if (fromEnv.length > 0) {
    return [...new Set(fromEnv)];
  }
  return [path.join(source.homeDir ?? os.homedir(), '.kube', 'config')];
}

/**
 * Reads the contexts of every kubeconfig file without contacting any cluster and without running
 * exec plugins. As kubectl does, the first file to define a name wins. Missing files are not a
 * problem (there may simply be no cluster); unreadable or malformed ones are reported.
 */
export async function readKubeContexts(source: KubeconfigSource): Promise<KubeContexts> {
  const files = kubeconfigFiles(source);
  const contexts = new Map<string, KubeContext>();
  const clusters = new Map<string, string | undefined>();
  const problems: KubeconfigProblem[] = [];
  let currentContext: string | undefined;
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') {
        problems.push({
          file,
          message: `Cannot read kubeconfig ${file}: ${error.code ?? 'error'}.`,
        });
      }
      return undefined;
    });
    if (text === undefined) {
      continue;
    }
    let config: unknown;
    try {
      config = parse(text, { maxAliasCount: 50 });
    } catch {
      problems.push({ file, message: `Kubeconfig ${file} is not valid YAML: fix or remove it.` });
      continue;
    }
    const root = asRecord(config);
    currentContext ??= stringOrUndefined(root['current-context']);
    for (const entry of asArray(root['clusters'])) {
      const named = asRecord(entry);
      const name = stringOrUndefined(named['name']);
      if (name && !clusters.has(name)) {
        clusters.set(name, stringOrUndefined(asRecord(named['cluster'])['server']));
      }
    }
    for (const entry of asArray(root['contexts'])) {
      const named = asRecord(entry);
      const name = stringOrUndefined(named['name']);
      const context = asRecord(named['context']);
      if (!name || contexts.has(name)) {
        continue;
      }
      contexts.set(name, {
        name,
        cluster: stringOrUndefined(context['cluster']) ?? '',
        user: stringOrUndefined(context['user']) ?? '',
        namespace: stringOrUndefined(context['namespace']),
        server: undefined,
        file,
      });
    }
  }
  const resolved = [...contexts.values()].map((context) => ({
    ...context,
    server: clusters.get(context.cluster),
  }));
  return { files, contexts: resolved, currentContext, problems };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
