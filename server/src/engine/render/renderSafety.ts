/**
 * Static checks on kustomization content before anything runs: nothing in a repo may turn on
 * exec or container functions, alpha plugins or `--enable-helm`, clone a repository from this
 * machine, or fetch a remote base or file while network rendering is off.
 */
import * as path from 'node:path';
import { parse } from '../parse/boundedYaml';
import { GoYamlError, fieldValues, keyMatches, mapsOf, readGoYaml } from '../kustomize/goYaml';
import type { GoNode } from '../kustomize/goYaml';
import type { Kustomization } from '../kustomize/kustomizationReader';
import { isRemoteFile, remoteReferenceKind } from '../kustomize/remoteReference';
import { notRendered, refused } from './types';

export { isRemoteFile, isRemoteReference, remoteReferenceKind } from '../kustomize/remoteReference';

const FUNCTION_ANNOTATIONS = ['config.kubernetes.io/function', 'config.k8s.io/function'];

/**
 * Fields of kustomize's built-in generators and transformers that name a file it loads (and
 * would fetch over HTTP): PatchTransformer, PatchJson6902Transformer, ReplacementTransformer,
 * ValueAddTransformer, ConfigMapGenerator, SecretGenerator, PatchStrategicMergeTransformer.
 */
const PLUGIN_FILE_FIELDS = [
  'path',
  'paths',
  'files',
  'envs',
  'env',
  'targetFilePath',
  'valuesFile',
  'additionalValuesFiles',
];

function declaredName(declaredIn: string, workspaceRoot: string | undefined): string {
  return workspaceRoot
    ? path.relative(workspaceRoot, declaredIn) || declaredIn
    : path.basename(declaredIn);
}

/**
 * Refuses `reference` when kustomize would fetch it: a clone from this machine (`file://`)
 * always, anything else unless network rendering is on. `what` names the field ("resource").
 * Returns true when the reference is remote (and allowed), false when it is local.
 */
export function checkRemote(
  reference: string,
  what: string,
  allowNetwork: boolean,
  declaredIn: string,
  workspaceRoot?: string,
): boolean {
  const kind = remoteReferenceKind(reference);
  if (kind === undefined) return false;
  const where = declaredName(declaredIn, workspaceRoot);
  if (kind === 'localGit') {
    throw refused(
      `The ${what} "${reference}" in ${where} clones a git repository from this machine, outside the workspace, so it was not read: copy that base into the workspace and reference it by path.`,
      declaredIn,
    );
  }
  if (!allowNetwork) {
    // Not a mistake of the repository: the tool cannot know what is there, so an information.
    throw notRendered(
      `The remote ${what} "${reference}" in ${where} was not fetched because network rendering is off: turn on network rendering in the settings to render it.`,
      declaredIn,
    );
  }
  return true;
}

/** Refuses a file path kustomize would fetch over HTTP while network rendering is off. */
export function checkRemoteFile(
  reference: string,
  what: string,
  allowNetwork: boolean,
  declaredIn: string,
  workspaceRoot?: string,
): boolean {
  if (!isRemoteFile(reference)) return false;
  if (!allowNetwork) {
    throw notRendered(
      `The remote ${what} "${reference}" in ${declaredName(declaredIn, workspaceRoot)} was not fetched because network rendering is off: turn on network rendering in the settings to render it.`,
      declaredIn,
    );
  }
  return true;
}

/** Refuses kustomization fields that need flags repo content may never turn on. */
export function checkKustomizationFields(kustomization: Kustomization, file: string): void {
  if (kustomization.helmFields.length > 0) {
    // Valid where the flag is on (Argo CD's kustomize.buildOptions): not a mistake of the repo.
    throw notRendered(
      `${path.basename(file)} uses helmCharts, which needs kustomize --enable-helm; GitOps Workbench never turns that on for repo content: render the chart as a Helm unit instead.`,
      file,
    );
  }
}

function texts(node: GoNode): string[] {
  if (node.kind === 'scalar') return node.texts;
  if (node.kind === 'seq') return node.items.flatMap(texts);
  return [];
}

/** Every string of a file field anywhere in a built-in plugin config. */
function pluginFiles(node: GoNode): string[] {
  if (node.kind === 'seq') return node.items.flatMap(pluginFiles);
  if (node.kind !== 'map') return [];
  return node.entries.flatMap((entry) => [
    ...(PLUGIN_FILE_FIELDS.some((field) => keyMatches(entry.keys, field))
      ? texts(entry.value)
      : []),
    ...pluginFiles(entry.value),
  ]);
}

/**
 * Refuses a generator, transformer or validator config (inline or read from a file) that runs
 * an exec or container KRM function, that is not a built-in (an alpha plugin), or that loads a
 * file over HTTP while network rendering is off.
 */
export function checkPluginConfig(
  config: GoNode,
  file: string,
  field: string,
  allowNetwork: boolean,
): void {
  if (config.kind !== 'map') return;
  const metadata = mapsOf(fieldValues(config, 'metadata'));
  for (const annotations of mapsOf(metadata.flatMap((meta) => fieldValues(meta, 'annotations')))) {
    for (const entry of annotations.entries) {
      const key = entry.keys.find((text) => FUNCTION_ANNOTATIONS.includes(text.toLowerCase()));
      if (key === undefined) continue;
      const spec = texts(entry.value).join('\n');
      let isExec =
        entry.value.kind === 'map' &&
        keyMatches(
          entry.value.entries.flatMap((e) => e.keys),
          'exec',
        );
      try {
        const parsed = parse(spec);
        isExec ||= typeof parsed === 'object' && parsed !== null && 'exec' in parsed;
      } catch {
        // Not YAML: still a function annotation.
      }
      throw refused(
        `The ${field} entry in ${path.basename(file)} runs ${isExec ? 'an exec' : 'a container'} KRM function (${key}); GitOps Workbench never runs functions from repo content: render it with kustomize in a terminal you trust.`,
        file,
      );
    }
  }
  for (const apiVersion of texts({ kind: 'seq', items: fieldValues(config, 'apiVersion') })) {
    if (apiVersion !== 'builtin') {
      throw refused(
        `The ${field} entry in ${path.basename(file)} is a kustomize plugin (${apiVersion}), which needs alpha plugins; GitOps Workbench never enables them: use a built-in generator or transformer.`,
        file,
      );
    }
  }
  for (const source of pluginFiles(config)) {
    for (const candidate of [source, source.slice(source.indexOf('=') + 1)]) {
      checkRemoteFile(candidate, `file of a ${field} entry`, allowNetwork, file);
    }
  }
}

/** The documents of a plugin config text; refuses a text kustomize might read differently. */
export function pluginConfigDocs(text: string, file: string, field: string): GoNode[] {
  try {
    return readGoYaml(text);
  } catch (error) {
    if (!(error instanceof GoYamlError)) throw error;
    throw refused(
      `The ${field} config in ${path.basename(file)} ${error.message}: fix it to render.`,
      file,
    );
  }
}

/** Checks every document of a plugin config file. */
export function checkPluginConfigText(
  text: string,
  file: string,
  field: string,
  allowNetwork: boolean,
): void {
  for (const doc of pluginConfigDocs(text, file, field)) {
    checkPluginConfig(doc, file, field, allowNetwork);
  }
}
