/**
 * Walks a kustomization and everything it references, checking each path against the workspace
 * and the safety rules, and collects the files a render needs and the patches it applies. Every
 * kustomization is read by readKustomization, so the walk sees every value kustomize could use.
 */
import * as path from 'node:path';
import { visit } from 'yaml';
import { parse, parseDocument } from '../parse/boundedYaml';
import { LineIndex } from '../parse/lineIndex';
import { GoYamlError, readGoYaml } from '../kustomize/goYaml';
import type { GoNode } from '../kustomize/goYaml';
import { KustomizationReadError, readKustomization } from '../kustomize/kustomizationReader';
import type { Kustomization } from '../kustomize/kustomizationReader';
import {
  checkKustomizationFields,
  checkPluginConfig,
  checkPluginConfigText,
  checkRemote,
  checkRemoteFile,
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

/** Reads a kustomization file; refuses one that kustomize might read differently. */
async function readKustomizationFile(
  file: string,
  context: WalkContext,
): Promise<{ kustomization: Kustomization; text: string }> {
  const text = await context.reader.readText(file);
  try {
    return { kustomization: readKustomization(text), text };
  } catch (error) {
    if (!(error instanceof KustomizationReadError)) throw error;
    throw refused(
      `${path.relative(context.workspaceRoot, file) || file} ${error.detail}: fix it to render.`,
      file,
    );
  }
}

/**
 * Runs a check of `reference`, an entry of the kustomization `file`; a refusal it throws about
 * that file is placed on the entry's line, so the editor underlines the entry to correct.
 */
function placed<T>(file: string, text: string, reference: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof RenderFailure && error.error.file === file && !error.error.line) {
      const line = referenceLine(text, reference);
      if (line) error.error.line = line;
    }
    throw error;
  }
}

/** One-based line of the first value or list item of a kustomization that is `reference`. */
function referenceLine(text: string, reference: string): number | undefined {
  let offset: number | undefined;
  try {
    visit(parseDocument(text), {
      Scalar(key, node) {
        if (key !== 'key' && node.value === reference && node.range) {
          offset = node.range[0];
          return visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    return undefined;
  }
  return offset === undefined ? undefined : new LineIndex(text).positionAt(offset).line + 1;
}

/**
 * The documents of an inline plugin config; none when the text is not YAML (then kustomize
 * takes it as a path). YAML that kustomize might read differently is refused.
 */
function inlineConfigDocs(entry: string, field: string, file: string, where: string): GoNode[] {
  try {
    return readGoYaml(entry).filter((doc) => doc.kind === 'map');
  } catch (error) {
    if (!(error instanceof GoYamlError)) throw error;
    if (error.reason === 'invalidYaml') return [];
    throw refused(`A ${field} entry in ${where} ${error.message}: fix it to render.`, file);
  }
}

async function walkKustomization(
  dir: string,
  context: WalkContext,
  pluginField: string | undefined,
): Promise<void> {
  const { reader, workspaceRoot, inputs, allowNetwork } = context;
  if (context.visited.has(dir)) return;
  context.visited.add(dir);
  const file = await kustomizationFileIn(reader, dir);
  if (!file) {
    throw noKustomization(dir, workspaceRoot);
  }
  inputs.files.add(file);
  const { kustomization, text } = await readKustomizationFile(file, context);
  checkKustomizationFields(kustomization, file);
  const where = path.relative(workspaceRoot, file) || file;
  const inside = (reference: string, what: string): string =>
    placed(file, text, reference, () => resolveInside(workspaceRoot, dir, reference, what, file));
  const remote = (reference: string, what: string): boolean =>
    placed(file, text, reference, () =>
      checkRemote(reference, what, allowNetwork, file, workspaceRoot),
    );
  /** A file kustomize loads: fetched over HTTP when it is a URL, else read from the workspace. */
  const addFile = async (reference: string, what: string): Promise<string | undefined> => {
    if (checkRemoteFile(reference, what, allowNetwork, file, workspaceRoot)) return undefined;
    const target = inside(reference, what);
    if (await reader.isDirectory(target)) inputs.folders.add(target);
    else inputs.files.add(target);
    return target;
  };
  const notFound = (reference: string, what: string): RenderFailure =>
    refused(
      `The ${what} "${reference}" in ${where} was not found in the workspace, so kustomize was not run (it would look for it elsewhere): correct the path or add it to the workspace.`,
      file,
      referenceLine(text, reference),
    );
  /**
   * kustomize's accumulateResources: a local file, else a base (a remote URL is cloned before a
   * local folder of the same name is looked at), else an error. `maybeInline` is set for a
   * plugin entry that is also YAML: kustomize took it as a config if it could.
   */
  const addResource = async (
    reference: string,
    what: string,
    field: string | undefined,
    maybeInline = false,
  ): Promise<void> => {
    if (remote(reference, what)) return;
    const target = inside(reference, what);
    if (await reader.isFile(target)) {
      inputs.files.add(target);
      if (field) checkPluginConfigText(await reader.readText(target), target, field, allowNetwork);
    } else if (await reader.isDirectory(target)) {
      await walkKustomization(target, context, field);
    } else if (!maybeInline) {
      throw notFound(reference, what);
    }
  };

  for (const reference of kustomization.resources) {
    await addResource(reference, 'resource', pluginField);
  }
  for (const reference of kustomization.components) {
    if (remote(reference, 'component')) continue;
    const target = inside(reference, 'component');
    if (!(await reader.isDirectory(target)) && !(await reader.isFile(target))) {
      throw notFound(reference, 'component');
    }
    await walkKustomization(target, context, pluginField);
  }
  for (const field of ['generators', 'transformers', 'validators'] as const) {
    for (const entry of kustomization[field]) {
      const docs = inlineConfigDocs(entry, field, file, where);
      for (const doc of docs) checkPluginConfig(doc, file, field, allowNetwork);
      await addResource(entry, field.slice(0, -1), field, docs.length > 0);
    }
  }
  for (const patch of kustomization.patches) {
    for (const patchPath of patch.paths) {
      const patchFile = await addFile(patchPath, 'patch');
      if (patchFile) {
        inputs.patches.push({
          file: patchFile,
          target: patch.target ?? (await ownTarget(reader, patchFile)),
        });
      }
    }
    for (const text of patch.inline) {
      inputs.patches.push({ file, target: patch.target ?? inlineTarget(text) });
    }
  }
  for (const patch of kustomization.patchesStrategicMerge) {
    // kustomize tries the text as an inline patch first, then as a file.
    if (patch.includes('\n')) {
      inputs.patches.push({ file, target: inlineTarget(patch) });
      checkRemoteFile(patch, 'patch', allowNetwork, file, workspaceRoot);
    } else {
      const patchFile = await addFile(patch, 'patch');
      if (patchFile) {
        inputs.patches.push({ file: patchFile, target: await ownTarget(reader, patchFile) });
      }
    }
  }
  for (const generator of [...kustomization.configMapGenerator, ...kustomization.secretGenerator]) {
    for (const source of generator.files) {
      const at = source.indexOf('=');
      // `key=path`: kustomize splits at the first `=`; a URL without a key is fetched whole.
      checkRemoteFile(source, 'generator file', allowNetwork, file, workspaceRoot);
      await addFile(at >= 0 ? source.slice(at + 1) : source, 'generator file');
    }
    for (const env of generator.envs) await addFile(env, 'generator env file');
  }
  for (const replacementPath of kustomization.replacementPaths) {
    await addFile(replacementPath, 'replacement');
  }
  for (const reference of [...kustomization.crds, ...kustomization.configurations]) {
    await addFile(reference, 'configuration');
  }
  for (const openapi of kustomization.openapiPaths) await addFile(openapi, 'OpenAPI schema');
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
    const value = parse(text.split(/^---$/m)[0] ?? '');
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
