import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ConfigHint } from '../configHint';
import { bytesText } from '../files/bytesText';
import type { Schema } from './schema';

/** The schema bundle of one Kubernetes version (see bundled/FORMAT.md). */
export interface KubernetesBundle {
  readonly kubernetesVersion: string;
  readonly source: string;
  readonly schemas: Readonly<Record<string, Schema>>;
  readonly kinds: Readonly<Record<string, string>>;
  readonly scopes?: Readonly<Record<string, string>>;
}

/** Schemas taken from CustomResourceDefinitions, keyed "<group>/<version>/<Kind>". */
export interface CrdBundle {
  readonly source: string;
  readonly schemas: Readonly<Record<string, Schema>>;
  readonly scopes?: Readonly<Record<string, string>>;
  readonly deprecated?: Readonly<Record<string, string>>;
}

export class SchemaBundleError extends Error {
  /** `kubernetesVersion` when another version fixes it. */
  readonly hint: ConfigHint | undefined;

  constructor(
    readonly reason: 'versionNotBundled' | 'unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'SchemaBundleError';
    this.hint = reason === 'versionNotBundled' ? 'kubernetesVersion' : undefined;
  }
}

const KUBERNETES_FILE = /^kubernetes-(\d+\.\d+)\.json(\.gz)?$/;

/** The Kubernetes versions ("1.34") whose bundles are in `dir`, newest first. */
export async function bundledKubernetesVersions(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => []);
  return names
    .map((name) => KUBERNETES_FILE.exec(name)?.[1])
    .filter((version): version is string => version !== undefined)
    .sort((a, b) => compareMinor(b, a));
}

export async function loadKubernetesBundle(
  dir: string,
  version: string,
): Promise<KubernetesBundle> {
  const names = await fs.readdir(dir).catch(() => []);
  const file = names.find((name) => KUBERNETES_FILE.exec(name)?.[1] === version);
  if (!file) {
    const available = await bundledKubernetesVersions(dir);
    throw new SchemaBundleError(
      'versionNotBundled',
      `No schemas are bundled for Kubernetes ${version}; bundled versions: ${available.join(', ') || 'none'}. Pick one of them as the Kubernetes version.`,
    );
  }
  return readJson<KubernetesBundle>(path.join(dir, file));
}

export async function loadCrdBundle(dir: string): Promise<CrdBundle> {
  return readJson<CrdBundle>(path.join(dir, 'crds-flux-argocd.json'));
}

async function readJson<T>(file: string): Promise<T> {
  try {
    const read = await fs.readFile(file);
    const raw = file.endsWith('.gz') ? gunzipSync(read) : read;
    // The bundles are ASCII (scripts/genSchemas.ts escapes the rest): a byte per character makes
    // a one-byte string, decoded and parsed in 18 ms instead of 25 for the 1.2 MB bundle.
    const text = bytesText(raw);
    return JSON.parse(text) as T;
  } catch (error) {
    throw new SchemaBundleError(
      'unreadable',
      `The schema bundle ${file} cannot be read (${error instanceof Error ? error.message : String(error)}): reinstall GitOps Workbench.`,
    );
  }
}

function compareMinor(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}
