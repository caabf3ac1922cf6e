/**
 * Renders a chart with `helm template` on a mirror of the chart and its values files: no DNS
 * lookups, no repositories config, no cluster; a remote chart only with network rendering on.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { binaryIdentity, resolveBinary } from './binaries';
import { postRender } from './helmPostRender';
import { templateSources, valueOriginsOf, valuesSources } from './helmValueOrigins';
import { mergedInlineValues } from './helmValues';
import { helmOrigin, readRendered, splitDocuments } from './provenance';
import { RenderCache } from './renderCache';
import { GENERATED_DIR, inputsOnlyOutput } from './renderContext';
import type { RenderContext, RenderOutput } from './renderContext';
import { runOnMirror } from './mirrorRun';
import { chartArchiveFinding, chartSchemaRefusal, checkChartSchemas } from './chartSchemas';
import { remoteChartArchive, remoteChartArgs } from './helmRemoteChart';
import { checkHelmInputs, isRemoteValuesFile } from './helmInputsCheck';
import { toolArgs } from './toolArgs';
import type { ToolFlag } from './toolArgs';
import type { HelmInputs, RenderUnit, RenderedResource, ValueOrigin } from './types';
import { dependencyPlan, requireBuildable } from './chartDependencies';
import { addGenerated, collectMirrorFiles, hashMirror } from './workspaceMirror';
import { resolveInside, workspaceRelative } from './workspacePaths';
import { argoSetValue } from '../helm/setValues';

const VALUES_FILE = `${GENERATED_DIR}/values.yaml`;
/** Where a remote chart downloaded by `helm pull` is put in the mirror. */
const PULLED_CHART = `${GENERATED_DIR}/remote-chart.tgz`;

function defaultInputs(unit: RenderUnit): HelmInputs {
  return { releaseName: unit.name, valueFiles: [] };
}

/**
 * `helm template` of the unit, then its Flux post-renderers, if any. Strings of `valuesFrom`
 * Secrets that the output holds are listed in `secretValues`, to be masked wherever it is shown.
 */
export async function renderHelm(unit: RenderUnit, context: RenderContext): Promise<RenderOutput> {
  const output = await templateHelm(unit, context);
  if (context.inputsOnly) return output;
  const rendered = await postRender(output, unit.helm?.postRenderers ?? [], unit, context);
  const secretValues = (output.secretValues ?? []).filter((value) => rendered.yaml.includes(value));
  return secretValues.length > 0 ? { ...rendered, secretValues } : rendered;
}

async function templateHelm(unit: RenderUnit, context: RenderContext): Promise<RenderOutput> {
  const { workspaceRoot, reader, signal } = context;
  const helm = unit.helm ?? defaultInputs(unit);
  const declaredIn = unit.definedIn?.file ?? unit.root;
  await checkHelmInputs(unit, helm, workspaceRoot, reader, context.allowNetwork);
  const valueFiles = helm.valueFiles.map((file) =>
    isRemoteValuesFile(file)
      ? file
      : resolveInside(workspaceRoot, unit.root, file, 'values file', declaredIn),
  );
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
  if (inline) addGenerated(mirror, VALUES_FILE, stringify(inline.values));
  const secretValues = inline?.secretValues.length ? { secretValues: inline.secretValues } : {};
  const chartRel = workspaceRelative(workspaceRoot, unit.root) || '.';
  /** `helm template`'s arguments; `pulled` when a remote chart was downloaded into the mirror. */
  const argsFor = (tempRoot: string, pulled: boolean): string[] => {
    const inTemp = (file: string): string =>
      path.isAbsolute(file)
        ? path.join(tempRoot, ...workspaceRelative(workspaceRoot, file).split('/'))
        : file;
    const flags: ToolFlag[] = [];
    let chart: string;
    if (helm.remote && !pulled) {
      const remote = remoteChartArgs(helm.remote);
      chart = remote.chart;
      flags.push(...remote.flags);
    } else if (helm.remote) {
      chart = path.join(tempRoot, ...PULLED_CHART.split('/'));
    } else {
      chart = path.join(tempRoot, ...chartRel.split('/'));
    }
    if (helm.namespace) flags.push(['namespace', helm.namespace]);
    if (unit.kind !== 'helm') flags.push(['include-crds', true]);
    for (const file of valueFiles) flags.push(['values', inTemp(file)]);
    if (inline) flags.push(['values', path.join(tempRoot, ...VALUES_FILE.split('/'))]);
    for (const parameter of helm.parameters ?? []) {
      flags.push([
        parameter.forceString ? 'set-string' : 'set',
        // Argo CD's own escaping of commas (its only source of parameters).
        `${parameter.name}=${argoSetValue(parameter.value)}`,
      ]);
    }
    return toolArgs({ subcommand: ['template'], flags, positional: [helm.releaseName, chart] });
  };

  /** `helm dependency update` of the chart in the mirror, when dependencies are missing. */
  const prepareFor = (tempRoot: string): string[] | undefined => {
    if (!dependencies || dependencies.missing.length === 0) return undefined;
    return toolArgs({
      subcommand: ['dependency', 'update'],
      flags: context.allowNetwork ? [] : [['skip-refresh', true]],
      positional: [path.join(tempRoot, ...chartRel.split('/'))],
    });
  };
  const key = RenderCache.key(hashMirror(mirror), await binaryIdentity(binary), {
    tool: 'helm',
    args: argsFor('<temp>', false),
    prepare: prepareFor('<temp>'),
    workspaceRoot: context.workspaceRoot,
  });
  if (context.inputsOnly) {
    return inputsOnlyOutput(
      hashMirror(mirror),
      await binaryIdentity(binary),
      JSON.stringify({ args: argsFor('<temp>', false), prepare: prepareFor('<temp>') }),
    );
  }
  const cached = context.cache.get(key);
  if (cached) return { ...cached, fromCache: true, ...secretValues };
  // After the cache: an entry exists only for a chart whose schemas were already checked.
  if (helm.remote) {
    const pulled = await remoteChartArchive(
      context.remoteCharts,
      binary,
      helm.remote,
      unit,
      context,
    );
    const finding = await chartArchiveFinding(pulled.bytes, pulled.name);
    if (finding) throw chartSchemaRefusal(finding, workspaceRoot, unit.definedIn);
    mirror.set(PULLED_CHART, pulled.bytes);
  } else {
    await checkChartSchemas(mirror, chartRel, workspaceRoot);
    for (const folder of dependencies?.localFolders ?? []) {
      await checkChartSchemas(mirror, workspaceRelative(workspaceRoot, folder), workspaceRoot);
    }
  }

  const stdout = await runOnMirror(binary, mirror, {
    label: 'helm',
    subject: unit.name,
    timeoutMs: context.timeoutMs,
    ...(context.binaries.memoryLimitMB ? { memoryLimitMB: context.binaries.memoryLimitMB } : {}),
    ...(signal ? { signal } : {}),
    args: (tempRoot) => argsFor(tempRoot, helm.remote !== undefined),
    prepare: prepareFor,
    inspect: (tempRoot) => checkBuiltDependencies(tempRoot, chartRel, workspaceRoot, unit),
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
  // The origins of a template's values are the same for every resource it renders.
  const templates = new Map<string, ValueOrigin[]>();
  for (const doc of splitDocuments(stdout)) {
    const identity = readRendered(doc);
    if (!identity) continue;
    const origin = helm.remote ? undefined : helmOrigin(doc, unit.root);
    if (origin) {
      let values = templates.get(origin.file);
      if (values === undefined) {
        const template = await reader.readText(origin.file).catch(() => '');
        const read = await templateSources(unit.root, origin.file, sources, reader);
        values = valueOriginsOf(template, read);
        templates.set(origin.file, values);
      }
      if (values.length > 0) origin.values = values;
    }
    resources.push({ ...identity, text: doc, ...(origin ? { origin } : {}) });
  }
  const output = { yaml: stdout, resources };
  // Not kept on disk: values from a Secret (they are in the output), a remote chart (its
  // version range may resolve to a newer chart in the next session).
  context.cache.set(key, output, !inline?.secretValues.length && !helm.remote);
  return { ...output, fromCache: false, ...secretValues };
}

/**
 * The archives `helm dependency update` put in the chart's `charts/` folder of the mirror are
 * checked for schema references like any other chart, before `helm template` reads them.
 */
async function checkBuiltDependencies(
  tempRoot: string,
  chartRel: string,
  workspaceRoot: string,
  unit: RenderUnit,
): Promise<void> {
  const charts = path.join(tempRoot, ...chartRel.split('/'), 'charts');
  for (const name of await fs.readdir(charts).catch(() => [])) {
    if (!name.endsWith('.tgz')) continue;
    const finding = await chartArchiveFinding(await fs.readFile(path.join(charts, name)), name);
    if (finding) throw chartSchemaRefusal(finding, workspaceRoot, unit.definedIn);
  }
}
