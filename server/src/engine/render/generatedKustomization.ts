/**
 * The kustomization Flux's kustomize-controller generates for a folder without one: every YAML
 * file holding Kubernetes resources, recursively, with sub-folders that have a kustomization
 * included as a whole. Argo CD's directory source is the same without sub-folders (unless
 * `recurse`) and without kustomizations.
 */
import * as path from 'node:path';
import { stringify } from 'yaml';
import { isRemoteReference } from '../kustomize/remoteReference';
import { isYamlFileName } from '../parse/fileKinds';
import { kustomizationFileIn } from './sourceReader';
import type { SourceReader } from './sourceReader';
import { resourceDocs } from './yamlDocs';

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

export interface GeneratedKustomization {
  text: string;
  /** Manifest files listed as resources. */
  files: string[];
  /** Sub-folders with their own kustomization, listed as resources. */
  kustomizationDirs: string[];
}

export async function fluxGeneratedKustomization(
  root: string,
  reader: SourceReader,
  mode: 'flux' | 'argocd' | 'argocd-recurse',
): Promise<GeneratedKustomization> {
  const files: string[] = [];
  const kustomizationDirs: string[] = [];
  const visit = async (dir: string, top: boolean): Promise<void> => {
    if (!top && mode === 'flux' && (await kustomizationFileIn(reader, dir))) {
      kustomizationDirs.push(dir);
      return;
    }
    for (const name of await reader.filesIn(dir)) {
      const file = path.join(dir, name);
      if (!isYamlFileName(name)) continue;
      const text = await reader.readText(file).catch(() => '');
      if (resourceDocs(text).length > 0) files.push(file);
    }
    if (mode === 'argocd') return;
    for (const name of await reader.foldersIn(dir)) {
      if (!SKIPPED_FOLDERS.has(name)) await visit(path.join(dir, name), false);
    }
  };
  await visit(root, true);
  const resources = [...files, ...kustomizationDirs].map((target) => {
    const relative = path.relative(root, target).split(path.sep).join('/');
    // kustomize would clone a folder named like a URL (`github.com/org/repo`), and fetch a file
    // so named that it cannot parse: `./` keeps both local.
    return isRemoteReference(relative) ? `./${relative}` : relative;
  });
  const text = stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources,
  });
  return { text, files, kustomizationDirs };
}
