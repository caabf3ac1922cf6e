/**
 * Walks a kustomization and everything it references, checking each path against the workspace
 * and the safety rules, and collects the files a render needs and the patches it applies.
 */
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  checkKustomizationFields,
  checkPluginConfig,
  checkPluginConfigText,
  checkRemote,
  isRemoteReference,
} from './renderSafety';
import { kustomizationFileIn } from './sourceReader';
import type { SourceReader } from './sourceReader';
import { RenderFailure, refused } from './types';
import { resolveInside } from './workspacePaths';
import { isMapValue, stringAt } from './yamlDocs';

/** A patch of a kustomization, for provenance. */
export interface PatchReference {
  /** The patch file, or the kustomization file for an inline patch. */
  file: string;
  target?: { kind?: string; name?: string };
}

export interface KustomizeInputFiles {
  /** Every file the render reads (kustomization files included). */
  files: Set<string>;
  /** Folders copied with all their files, recursively. */
  folders: Set<string>;
  patches: PatchReference[];
}

interface WalkContext {
  workspaceRoot: string;
  reader: SourceReader;
  allowNetwork: boolean;
  inputs: KustomizeInputFiles;
  visited: Set<string>;
}

export function emptyInputs(): KustomizeInputFiles {
  return { files: new Set(), folders: new Set(), patches: [] };
}

/** Walks the kustomization in `dir` (which must have one) into `inputs`. */
export async function collectKustomizeInputs(
  dir: string,
  workspaceRoot: string,
  reader: SourceReader,
  allowNetwork: boolean,
  inputs: KustomizeInputFiles = emptyInputs(),
): Promise<KustomizeInputFiles> {
  const context: WalkContext = { workspaceRoot, reader, allowNetwork, inputs, visited: new Set() };
  await walkKustomization(dir, context, undefined);
  return inputs;
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

async function walkKustomization(
  dir: string,
  context: WalkContext,
  pluginField: string | undefined,
): Promise<void> {
  const { reader, workspaceRoot, inputs } = context;
  if (context.visited.has(dir)) return;
  context.visited.add(dir);
  const file = await kustomizationFileIn(reader, dir);
  if (!file) {
    throw noKustomization(dir, workspaceRoot);
  }
  inputs.files.add(file);
  const text = await reader.readText(file);
  let kustomization: unknown;
  try {
    kustomization = parse(text) as unknown;
  } catch (error) {
    throw refused(
      `${path.relative(workspaceRoot, file)} is not valid YAML (${(error as Error).message.split('\n')[0]}): fix it to render.`,
      file,
    );
  }
  if (!isMapValue(kustomization)) return;
  checkKustomizationFields(kustomization, file);
  const inside = (reference: string, what: string): string =>
    resolveInside(workspaceRoot, dir, reference, what, file);
  const addFile = async (reference: string, what: string): Promise<string> => {
    const target = inside(reference, what);
    if (await reader.isDirectory(target)) inputs.folders.add(target);
    else inputs.files.add(target);
    return target;
  };

  for (const reference of [...strings(kustomization.resources), ...strings(kustomization.bases)]) {
    if (isRemoteReference(reference)) {
      checkRemote(reference, context.allowNetwork, file);
      continue;
    }
    const target = inside(reference, 'resource');
    if (await reader.isDirectory(target)) await walkKustomization(target, context, pluginField);
    else {
      inputs.files.add(target);
      if (pluginField) checkPluginConfigText(await reader.readText(target), target, pluginField);
    }
  }
  for (const reference of strings(kustomization.components)) {
    if (isRemoteReference(reference)) {
      checkRemote(reference, context.allowNetwork, file);
      continue;
    }
    await walkKustomization(inside(reference, 'component'), context, pluginField);
  }
  for (const field of ['generators', 'transformers', 'validators']) {
    for (const entry of list(kustomization[field])) {
      if (typeof entry !== 'string') {
        checkPluginConfig(entry, file, field);
        continue;
      }
      if (entry.includes('\n')) {
        checkPluginConfigText(entry, file, field);
        continue;
      }
      if (isRemoteReference(entry)) {
        checkRemote(entry, context.allowNetwork, file);
        continue;
      }
      const target = inside(entry, field.slice(0, -1));
      if (await reader.isDirectory(target)) await walkKustomization(target, context, field);
      else {
        inputs.files.add(target);
        checkPluginConfigText(await reader.readText(target), target, field);
      }
    }
  }
  for (const patch of list(kustomization.patches).concat(list(kustomization.patchesJson6902))) {
    if (!isMapValue(patch)) continue;
    const target = isMapValue(patch.target)
      ? { kind: stringAt(patch.target, 'kind'), name: stringAt(patch.target, 'name') }
      : undefined;
    const patchPath = stringAt(patch, 'path');
    if (patchPath) {
      const patchFile = await addFile(patchPath, 'patch');
      inputs.patches.push({
        file: patchFile,
        target: target ?? (await ownTarget(reader, patchFile)),
      });
    } else if (typeof patch.patch === 'string') {
      inputs.patches.push({ file, target: target ?? inlineTarget(patch.patch) });
    }
  }
  for (const patch of list(kustomization.patchesStrategicMerge)) {
    if (typeof patch !== 'string') continue;
    if (patch.includes('\n')) {
      inputs.patches.push({ file, target: inlineTarget(patch) });
    } else {
      const patchFile = await addFile(patch, 'patch');
      inputs.patches.push({ file: patchFile, target: await ownTarget(reader, patchFile) });
    }
  }
  for (const generator of [
    ...list(kustomization.configMapGenerator),
    ...list(kustomization.secretGenerator),
  ]) {
    if (!isMapValue(generator)) continue;
    for (const source of strings(generator.files)) {
      const at = source.indexOf('=');
      const generatorFile = at >= 0 ? source.slice(at + 1) : source;
      // kustomize fetches a URL file source itself: only with network rendering on.
      checkRemote(generatorFile, context.allowNetwork, file);
      if (!isRemoteReference(generatorFile)) await addFile(generatorFile, 'generator file');
    }
    for (const env of [...strings(generator.envs), ...strings([generator.env])])
      await addFile(env, 'generator env file');
  }
  for (const replacement of list(kustomization.replacements)) {
    const replacementPath = stringAt(replacement, 'path');
    if (replacementPath) await addFile(replacementPath, 'replacement');
  }
  for (const reference of [
    ...strings(kustomization.crds),
    ...strings(kustomization.configurations),
  ]) {
    await addFile(reference, 'configuration');
  }
  const openapi = stringAt(kustomization, 'openapi', 'path');
  if (openapi) await addFile(openapi, 'OpenAPI schema');
}

async function ownTarget(
  reader: SourceReader,
  patchFile: string,
): Promise<PatchReference['target']> {
  const text = await reader.readText(patchFile).catch(() => '');
  return inlineTarget(text);
}

function inlineTarget(text: string): PatchReference['target'] {
  try {
    const value = parse(text.split(/^---$/m)[0] ?? '') as unknown;
    if (!isMapValue(value)) return undefined;
    return { kind: stringAt(value, 'kind'), name: stringAt(value, 'metadata', 'name') };
  } catch {
    return undefined;
  }
}

function noKustomization(dir: string, workspaceRoot: string): RenderFailure {
  return new RenderFailure({
    reason: 'failed',
    message: `The folder ${path.relative(workspaceRoot, dir) || '.'} has no kustomization.yaml, so kustomize cannot build it: add one, or reference its files one by one.`,
    file: dir,
  });
}
