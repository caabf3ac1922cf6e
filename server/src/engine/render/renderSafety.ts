/**
 * Static checks on kustomization content before anything runs: nothing in a repo may turn on
 * exec or container functions, alpha plugins or `--enable-helm`, and remote bases are refused
 * while network rendering is off.
 */
import * as path from 'node:path';
import { parse } from 'yaml';
import { isMapValue, parseYamlDocs, valueAt } from './yamlDocs';
import { notRendered, refused } from './types';

const FUNCTION_ANNOTATIONS = ['config.kubernetes.io/function', 'config.k8s.io/function'];

/** True for a kustomize resource that names a remote base or file rather than a local path. */
export function isRemoteReference(reference: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(reference) ||
    /^git(::|@)/.test(reference) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//i.test(reference) ||
    reference.includes('?ref=') ||
    reference.includes('?version=') ||
    reference.includes('.git//')
  );
}

/** Refuses a remote resource unless network rendering is on. */
export function checkRemote(reference: string, allowNetwork: boolean, declaredIn: string): void {
  if (isRemoteReference(reference) && !allowNetwork) {
    throw notRendered(
      `The remote resource "${reference}" in ${path.basename(declaredIn)} was not fetched because network rendering is off: turn on network rendering in the settings to render it.`,
      declaredIn,
    );
  }
}

/** Refuses kustomization fields that need flags repo content may never turn on. */
export function checkKustomizationFields(
  kustomization: Record<string, unknown>,
  file: string,
): void {
  if (
    ['helmCharts', 'helmChartInflationGenerator', 'helmGlobals'].some(
      (field) => field in kustomization,
    )
  ) {
    // Valid where the flag is on (Argo CD's kustomize.buildOptions): not a mistake of the repo.
    throw notRendered(
      `${path.basename(file)} uses helmCharts, which needs kustomize --enable-helm; GitOps Workbench never turns that on for repo content: render the chart as a Helm unit instead.`,
      file,
    );
  }
}

/**
 * Refuses a generator, transformer or validator config (inline or read from a file) that runs
 * an exec or container KRM function, or that is not a built-in (an alpha plugin).
 */
export function checkPluginConfig(config: unknown, file: string, field: string): void {
  if (!isMapValue(config)) return;
  const annotations = valueAt(config, 'metadata', 'annotations');
  if (isMapValue(annotations)) {
    for (const key of FUNCTION_ANNOTATIONS) {
      const spec = annotations[key];
      if (spec === undefined) continue;
      let parsed: unknown = spec;
      if (typeof spec === 'string') {
        try {
          parsed = parse(spec) as unknown;
        } catch {
          parsed = spec;
        }
      }
      const kind = isMapValue(parsed) && 'exec' in parsed ? 'an exec' : 'a container';
      throw refused(
        `The ${field} entry in ${path.basename(file)} runs ${kind} KRM function (${key}); GitOps Workbench never runs functions from repo content: render it with kustomize in a terminal you trust.`,
        file,
      );
    }
  }
  const apiVersion = config.apiVersion;
  if (typeof apiVersion === 'string' && apiVersion !== 'builtin') {
    throw refused(
      `The ${field} entry in ${path.basename(file)} is a kustomize plugin (${apiVersion}), which needs alpha plugins; GitOps Workbench never enables them: use a built-in generator or transformer.`,
      file,
    );
  }
}

/** Checks every document of a plugin config file. */
export function checkPluginConfigText(text: string, file: string, field: string): void {
  for (const doc of parseYamlDocs(text)) checkPluginConfig(doc.value, file, field);
}
