import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar } from 'yaml';
import type { Node } from 'yaml';
import { collectYamlFiles } from '../files/yamlFiles';
import { isFieldKey, kustomizationFieldOf } from '../kustomize/kustomizationReader';
import { isKustomizationFile } from '../kustomize/patchFiles';
import { parseManifestText } from '../parse/manifestDocuments';
import type { Position, Range } from '../types';
import { documentAt } from './documentAt';
import { nodeAtOffset } from './nodePath';
import type { PathSegment } from './nodePath';
import { readRepoText } from '../files/repoFile';

export interface DefinitionTarget {
  readonly file: string;
  readonly range: Range;
}

export interface DefinitionContext {
  readonly file: string;
  /** The workspace folder (Flux paths are relative to the repository root). */
  readonly workspaceRoot: string;
  /** Unsaved buffers by path, read before the disk. */
  readonly readText?: (file: string) => string | undefined;
  /** The YAML files of the workspace root, as the workspace's walk found them; default: walked. */
  readonly yamlFiles?: (root: string) => readonly string[] | undefined;
  readonly signal?: AbortSignal;
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const KUSTOMIZATION_PATH_LISTS = new Set<string>([
  'resources',
  'components',
  'bases',
  'patchesStrategicMerge',
  'crds',
]);
const NAMED_REFERENCES: Record<string, string> = {
  configMapRef: 'ConfigMap',
  configMapKeyRef: 'ConfigMap',
  configMap: 'ConfigMap',
  secretRef: 'Secret',
  secretKeyRef: 'Secret',
  secret: 'Secret',
  persistentVolumeClaim: 'PersistentVolumeClaim',
};

/**
 * Where a reference under the cursor points: a kustomization's resource or patch path, a Flux
 * Kustomization's `spec.path`, a ConfigMap/Secret/PVC named by a pod spec, a ServiceAccount.
 */
export async function definitionAt(
  text: string,
  position: Position,
  context: DefinitionContext,
): Promise<DefinitionTarget[]> {
  const at = documentAt(text, position);
  const contents = at?.document.ast.contents as Node | null | undefined;
  if (!at || !contents) {
    return [];
  }
  const found = nodeAtOffset(contents, at.offset);
  const value = found?.node;
  if (!found || found.on !== 'value' || !isScalar(value) || typeof value.value !== 'string') {
    return [];
  }
  const target = value.value;
  const folder = path.dirname(context.file);
  const route = found.path;
  if (isKustomizationFile(context.file) && isKustomizationPath(route)) {
    return pathTarget(path.resolve(folder, target));
  }
  const kind = at.document.identity?.kind?.value;
  if (kind === 'Kustomization' && route.join('.') === 'spec.path') {
    return pathTarget(path.resolve(context.workspaceRoot, target));
  }
  const referenced = referencedKind(route);
  if (referenced) {
    return findResources(referenced, target, context);
  }
  return [];
}

/** A path entry of a kustomization, its keys matched as kustomize matches them (`Resources`). */
function isKustomizationPath(route: readonly PathSegment[]): boolean {
  const [first, second, third] = route;
  const field = typeof first === 'string' ? kustomizationFieldOf(first) : undefined;
  return (
    (field !== undefined && KUSTOMIZATION_PATH_LISTS.has(field) && typeof second === 'number') ||
    ((field === 'patches' || field === 'patchesJson6902') &&
      typeof second === 'number' &&
      typeof third === 'string' &&
      isFieldKey(third, 'path'))
  );
}

function referencedKind(route: readonly PathSegment[]): string | undefined {
  const last = route.at(-1);
  const parent = route.at(-2);
  if (last === 'serviceAccountName') {
    return 'ServiceAccount';
  }
  if (
    (last === 'name' || last === 'secretName' || last === 'claimName') &&
    typeof parent === 'string'
  ) {
    return NAMED_REFERENCES[parent];
  }
  return undefined;
}

function pathTarget(target: string): DefinitionTarget[] {
  if (!existsSync(target)) {
    return [];
  }
  if (statSync(target).isDirectory()) {
    const entry = ['kustomization.yaml', 'kustomization.yml', 'Kustomization', 'Chart.yaml']
      .map((name) => path.join(target, name))
      .find((file) => existsSync(file));
    return entry ? [{ file: entry, range: START }] : [];
  }
  return [{ file: target, range: START }];
}

/** The documents of the workspace that define `kind` `name` (bounded search). */
async function findResources(
  kind: string,
  name: string,
  context: DefinitionContext,
): Promise<DefinitionTarget[]> {
  const files = (
    context.yamlFiles?.(context.workspaceRoot) ??
    (await collectYamlFiles([context.workspaceRoot], context.signal).catch((): string[] => []))
  ).slice(0, 5000);
  const targets: DefinitionTarget[] = [];
  for (const file of files) {
    const text = context.readText?.(file) ?? (await readRepoText(file).catch(() => ''));
    if (!text.includes(name) || !text.includes(kind)) {
      continue;
    }
    const parsed = parseManifestText(text);
    for (const document of parsed.documents) {
      const identity = document.identity;
      if (
        identity?.kind?.value === kind &&
        identity.name?.value === name &&
        isMap(document.ast.contents)
      ) {
        targets.push({ file, range: identity.name.valueRange });
      }
    }
  }
  return targets;
}
