/**
 * Renders a chart with `helm template` on a mirror of the chart and its values files: no DNS
 * lookups, no repositories config, no cluster; a remote chart only with network rendering on.
 */
import * as path from 'node:path';
import { stringify } from 'yaml';
import { binaryIdentity, resolveBinary } from './binaries';
import { postRender } from './helmPostRender';
import { valueOriginsOf, valuesSources } from './helmValueOrigins';
import { mergedInlineValues } from './helmValues';
import { helmOrigin, identityOf, splitDocuments } from './provenance';
import { RenderCache } from './renderCache';
import { GENERATED_DIR } from './renderContext';
import type { RenderContext, RenderOutput } from './renderContext';
import { runOnMirror } from './mirrorRun';
import type { HelmInputs, RenderUnit, RenderedResource } from './types';
import { notRendered } from './types';
import { dependencyPlan, requireBuildable } from './chartDependencies';
import { addGenerated, collectMirrorFiles, hashMirror } from './workspaceMirror';
import { resolveInside, workspaceRelative } from './workspacePaths';

const VALUES_FILE = `${GENERATED_DIR}/values.yaml`;

function defaultInputs(unit: RenderUnit): HelmInputs {
  return { releaseName: unit.name, valueFiles: [] };
}

/** `helm template` of the unit, then its Flux post-renderers, if any. */
export async function renderHelm(unit: RenderUnit, context: RenderContext): Promise<RenderOutput> {
  const output = await templateHelm(unit, context);
  return postRender(output, unit.helm?.postRenderers ?? [], unit, context);
}

async function templateHelm(unit: RenderUnit, context: RenderContext): Promise<RenderOutput> {
  const { workspaceRoot, reader, signal } = context;
  const helm = unit.helm ?? defaultInputs(unit);
  const declaredIn = unit.definedIn?.file ?? unit.root;
  if (helm.remote && !context.allowNetwork) {
    const { chart, repoUrl } = helm.remote;
    // An OCI chart reference names the chart in its last path segment.
    const name =
      chart ||
      repoUrl
        .replace(/[:@][^/:@]*$/, '')
        .split('/')
        .pop() ||
      repoUrl;
    throw notRendered(
      `chart ${name} comes from ${repoUrl} and network rendering is off: turn it on (gitopsWorkbench.render.allowNetwork, or --allow-network) to render it.`,
      unit.definedIn?.file,
      unit.definedIn?.line,
    );
  }
  const valueFiles: string[] = [];
  for (const file of helm.valueFiles) {
    if (/^[a-z]+:\/\//i.test(file)) {
      if (!context.allowNetwork) {
        throw notRendered(
          `its values file ${file} is remote and network rendering is off: turn on network rendering in the settings, or use a values file in the workspace.`,
          declaredIn,
        );
      }
      valueFiles.push(file);
      continue;
    }
    valueFiles.push(resolveInside(workspaceRoot, unit.root, file, 'values file', declaredIn));
  }
  const inline = await mergedInlineValues(helm, reader, unit.definedIn?.file);
  const binary = await resolveBinary('helm', context.binaries);

  // Dependencies missing from charts/ are built in the mirror, never in the user's tree.
  const dependencies = helm.remote
    ? undefined
    : await dependencyPlan(unit.root, workspaceRoot, reader);
  if (dependencies) {
    requireBuildable(
      dependencies,
      unit.name,
      context.allowNetwork,
      path.join(unit.root, 'Chart.yaml'),
    );
  }
  const chartFolders = helm.remote ? [] : [unit.root, ...(dependencies?.localFolders ?? [])];
  const mirror = await collectMirrorFiles(
    workspaceRoot,
    reader,
    [
      ...valueFiles.filter((file) => path.isAbsolute(file)),
      // Not read by helm, but provenance lines come from them: part of the cache key.
      ...(unit.definedIn ? [unit.definedIn.file] : []),
      ...(helm.valuesFrom ?? []).flatMap((reference) => (reference.file ? [reference.file] : [])),
    ],
    chartFolders,
    signal,
  );
  if (inline) addGenerated(mirror, VALUES_FILE, stringify(inline));
  const chartRel = workspaceRelative(workspaceRoot, unit.root) || '.';
  const argsFor = (tempRoot: string): string[] => {
    const inTemp = (file: string): string =>
      path.isAbsolute(file)
        ? path.join(tempRoot, ...workspaceRelative(workspaceRoot, file).split('/'))
        : file;
    const args = ['template', helm.releaseName];
    if (helm.remote) {
      const { repoUrl, chart, version } = helm.remote;
      if (repoUrl.startsWith('oci://'))
        args.push(chart ? `${repoUrl.replace(/\/$/, '')}/${chart}` : repoUrl);
      else args.push(chart, '--repo', repoUrl);
      if (version) args.push('--version', version);
    } else {
      args.push(path.join(tempRoot, ...chartRel.split('/')));
    }
    if (helm.namespace) args.push('--namespace', helm.namespace);
    if (unit.kind !== 'helm') args.push('--include-crds');
    for (const file of valueFiles) args.push('--values', inTemp(file));
    if (inline) args.push('--values', path.join(tempRoot, ...VALUES_FILE.split('/')));
    for (const parameter of helm.parameters ?? []) {
      args.push(
        parameter.forceString ? '--set-string' : '--set',
        `${parameter.name}=${parameter.value}`,
      );
    }
    return args;
  };

  const prepareFor = (tempRoot: string): string[] | undefined => {
    if (!dependencies || dependencies.missing.length === 0) return undefined;
    const args = ['dependency', 'update', path.join(tempRoot, ...chartRel.split('/'))];
    return context.allowNetwork ? args : [...args, '--skip-refresh'];
  };
  const key = RenderCache.key(hashMirror(mirror), await binaryIdentity(binary), {
    tool: 'helm',
    args: argsFor('<temp>'),
    prepare: prepareFor('<temp>'),
    workspaceRoot: context.workspaceRoot,
  });
  const cached = context.cache.get(key);
  if (cached) return { ...cached, fromCache: true };

  const stdout = await runOnMirror(binary, mirror, {
    label: 'helm',
    timeoutMs: context.timeoutMs,
    ...(signal ? { signal } : {}),
    args: argsFor,
    prepare: prepareFor,
    // With network rendering on, charts and repository indexes helm fetches are kept in the
    // tool cache, so the next render does not fetch them again.
    ...(context.allowNetwork && context.binaries.cacheDir
      ? {
          envOverrides: {
            HELM_REPOSITORY_CACHE: path.join(context.binaries.cacheDir, 'helm', 'repository'),
            HELM_CACHE_HOME: path.join(context.binaries.cacheDir, 'helm', 'cache'),
          },
        }
      : {}),
    errorPaths: () => ({ workspaceRoot, chartRoot: unit.root }),
  });
  const resources: RenderedResource[] = [];
  const sources = await valuesSources(unit, helm, valueFiles, reader);
  const templates = new Map<string, string>();
  for (const doc of splitDocuments(stdout)) {
    const identity = identityOf(doc);
    if (!identity) continue;
    const origin = helm.remote ? undefined : helmOrigin(doc, unit.root);
    if (origin) {
      let template = templates.get(origin.file);
      if (template === undefined) {
        template = await reader.readText(origin.file).catch(() => '');
        templates.set(origin.file, template);
      }
      const values = valueOriginsOf(template, sources);
      if (values.length > 0) origin.values = values;
    }
    resources.push({ ...identity, text: doc, ...(origin ? { origin } : {}) });
  }
  const output = { yaml: stdout, resources };
  context.cache.set(key, output);
  return { ...output, fromCache: false };
}
