/**
 * Renders a kustomization with the real kustomize on a mirror of its inputs: no exec, plugin,
 * helm or load-restriction flag is ever passed, and origin annotations are added to the copy so
 * every resource maps back to its file.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, stringify } from 'yaml';
import { parseDocument } from '../parse/boundedYaml';
import { parseManifestFast } from '../parse/fastManifest';
import { withoutTopLevelGaps } from '../parse/fastLines';
import { goFold } from '../kustomize/goYaml';
import { binaryIdentity, resolveBinary } from './binaries';
import { substituteOutput, substitutionVariables } from './fluxSubstitution';
import { fluxGeneratedKustomization } from './generatedKustomization';
import { applyCommonMetadata } from './fluxCommonMetadata';
import { editKustomization, fluxEditOf, isEmptyEdit } from './fluxKustomizationEdit';
import type { FluxEdit } from './fluxKustomizationEdit';
import { KustomizationReadError, readKustomization } from '../kustomize/kustomizationReader';
import { collectKustomizeInputs, emptyInputs } from './kustomizeInputs';
import type { KustomizeInputFiles } from './kustomizeInputs';
import { kustomizeOrigin, readRendered, splitDocuments, stripOriginAnnotation } from './provenance';
import { RenderCache } from './renderCache';
import type { CachedRender } from './renderCache';
import { checkRemote } from './renderSafety';
import { GENERATED_DIR, inputsOnlyOutput } from './renderContext';
import type { RenderContext, RenderOutput } from './renderContext';
import { kustomizationFileIn } from './sourceReader';
import { runOnMirror } from './mirrorRun';
import { toolArgs } from './toolArgs';
import type { KustomizeInputs, RenderUnit, RenderedResource } from './types';
import { RenderFailure, notRendered, refused } from './types';
import { addGenerated, collectMirrorFiles, hashMirror } from './workspaceMirror';
import type { MirrorFiles } from './workspaceMirror';
import { resolveInside, workspaceRelative } from './workspacePaths';

function hasWrapperOptions(options: KustomizeInputs | undefined): options is KustomizeInputs {
  if (!options) return false;
  return Boolean(
    options.namePrefix ||
    options.nameSuffix ||
    options.namespace ||
    options.images?.length ||
    options.patches?.length ||
    options.components?.length ||
    (options.commonLabels && Object.keys(options.commonLabels).length) ||
    (options.commonAnnotations && Object.keys(options.commonAnnotations).length),
  );
}

/** Adds `originAnnotations` to a kustomization's `buildMetadata`; says whether it was there. */
export function withOriginAnnotations(text: string): { text: string; hadOrigin: boolean } {
  const appended = appendedOrigin(text);
  if (appended !== undefined) return { text: appended, hadOrigin: false };
  const doc = parseDocument(text, { uniqueKeys: false });
  // Several documents, or YAML this parser rejects: kustomize gets the file as written and the
  // render has no origins, rather than a copy that might read differently.
  if (doc.errors.length > 0) return { text, hadOrigin: false };
  const current = doc.get('buildMetadata');
  if (isSeq(current)) {
    const has = current.items.some(
      (item) =>
        String(item) === 'originAnnotations' ||
        (item as { value?: unknown }).value === 'originAnnotations',
    );
    if (has) return { text, hadOrigin: true };
    current.add('originAnnotations');
  } else {
    doc.set('buildMetadata', ['originAnnotations']);
  }
  return { text: String(doc), hadOrigin: false };
}

/**
 * The usual case without a YAML round trip: a plain block map with no `buildMetadata` key in any
 * case, ending in a line break, gets the key as its last line. Undefined for anything else.
 */
function appendedOrigin(text: string): string | undefined {
  if (!text.endsWith('\n')) return undefined;
  const docs = parseManifestFast(withoutTopLevelGaps(text))?.documents;
  const contents = docs?.length === 1 ? docs[0]?.ast.contents : undefined;
  if (!isMap(contents)) return undefined;
  const keys = contents.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
  if (keys.some((key) => goFold(key) === BUILD_METADATA)) return undefined;
  return `${text}buildMetadata:\n  - originAnnotations\n`;
}

const BUILD_METADATA = goFold('buildMetadata');

/**
 * Refuses a build whose kustomization reads differently once `buildMetadata` is added (the copy
 * kustomize runs on must hold exactly what the safety checks saw).
 */
function assertSameReading(original: string, annotated: string, file: string): void {
  const reading = (text: string): string => {
    try {
      return JSON.stringify({ ...readKustomization(text), buildMetadata: [] });
    } catch (error) {
      return error instanceof KustomizationReadError ? error.detail : String(error);
    }
  };
  if (reading(original) !== reading(annotated)) {
    throw refused(
      `${path.basename(file)} could not be given origin annotations without changing what kustomize reads from it, so it was not rendered: simplify its YAML (anchors, tags) and render again.`,
      file,
    );
  }
}

function posix(relative: string): string {
  return relative.split(path.sep).join('/') || '.';
}

interface BuildPlan {
  inputs: KustomizeInputFiles;
  generated: Map<string, string>;
  /** Workspace-relative folder that `kustomize build` runs on. */
  buildDir: string;
  /** A Flux Kustomization's edit of the kustomization of `buildDir` (built in place). */
  edit?: FluxEdit;
}

async function planBuild(unit: RenderUnit, context: RenderContext): Promise<BuildPlan> {
  const { workspaceRoot, reader, allowNetwork } = context;
  const inputs = emptyInputs();
  const generated = new Map<string, string>();
  const rootRel = workspaceRelative(workspaceRoot, unit.root) || '.';
  if (await kustomizationFileIn(reader, unit.root)) {
    await collectKustomizeInputs(unit.root, workspaceRoot, reader, allowNetwork, inputs);
  } else if (unit.kustomize?.generateIfMissing) {
    const generatedKustomization = await fluxGeneratedKustomization(
      unit.root,
      reader,
      unit.kustomize.generateIfMissing,
    );
    for (const file of generatedKustomization.files) inputs.files.add(file);
    for (const dir of generatedKustomization.kustomizationDirs) {
      await collectKustomizeInputs(dir, workspaceRoot, reader, allowNetwork, inputs);
    }
    generated.set(path.posix.join(rootRel, 'kustomization.yaml'), generatedKustomization.text);
  } else {
    throw new RenderFailure({
      reason: 'failed',
      message: `${rootRel} has no kustomization.yaml: add one to render it with kustomize.`,
      file: unit.root,
    });
  }
  if (unit.kustomize?.applyAs === 'flux') {
    // As kustomize-controller: the folder's own kustomization is edited and built in place.
    const components = await checkedComponents(unit, context, inputs, unit.root);
    const edit = fluxEditOf(unit.kustomize, components);
    recordSpecPatches(unit, inputs);
    return { inputs, generated, buildDir: rootRel, ...(isEmptyEdit(edit) ? {} : { edit }) };
  }
  if (!hasWrapperOptions(unit.kustomize)) return { inputs, generated, buildDir: rootRel };
  const options = unit.kustomize;
  // Named by the unit's id within the folder, so the same unit in another folder (a snapshot
  // of another commit) is built from the same paths.
  const id = createHash('sha256')
    .update(unit.id.split(workspaceRoot).join('<root>'))
    .digest('hex')
    .slice(0, 12);
  const buildDir = `${GENERATED_DIR}/${id}`;
  const wrapperAbs = path.join(workspaceRoot, ...buildDir.split('/'));
  const components = await checkedComponents(unit, context, inputs, wrapperAbs);
  // Argo CD patches are inline: a `path` from a resource spec is never followed.
  const patches = (options.patches ?? []).flatMap((patch) => {
    const { patch: text, target, options: patchOptions } = patch as Record<string, unknown>;
    if (typeof text !== 'string') return [];
    return [
      {
        patch: text,
        ...(target ? { target } : {}),
        ...(patchOptions ? { options: patchOptions } : {}),
      },
    ];
  });
  const wrapper: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [posix(path.relative(wrapperAbs, unit.root))],
    ...(components.length ? { components } : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.namePrefix ? { namePrefix: options.namePrefix } : {}),
    ...(options.nameSuffix ? { nameSuffix: options.nameSuffix } : {}),
    ...(options.commonLabels ? { commonLabels: options.commonLabels } : {}),
    ...(options.commonAnnotations ? { commonAnnotations: options.commonAnnotations } : {}),
    ...(options.images?.length ? { images: options.images } : {}),
    ...(patches.length ? { patches } : {}),
  };
  generated.set(`${buildDir}/kustomization.yaml`, stringify(wrapper));
  recordSpecPatches(unit, inputs);
  return { inputs, generated, buildDir };
}

/**
 * The unit's components, checked: a remote one only when the network is allowed, a local one
 * inside the workspace (its inputs collected), written relative to the folder `from`.
 */
async function checkedComponents(
  unit: RenderUnit,
  context: RenderContext,
  inputs: KustomizeInputFiles,
  from: string,
): Promise<string[]> {
  const { workspaceRoot, reader, allowNetwork } = context;
  const components: string[] = [];
  for (const component of unit.kustomize?.components ?? []) {
    // Flux and Argo CD components are local folders; a URL would make kustomize clone it.
    if (checkRemote(component, 'component', allowNetwork, unit.definedIn?.file ?? unit.root)) {
      components.push(component);
      continue;
    }
    const dir = resolveInside(
      workspaceRoot,
      unit.root,
      component,
      'component',
      unit.definedIn?.file ?? unit.root,
    );
    await collectKustomizeInputs(dir, workspaceRoot, reader, allowNetwork, inputs);
    components.push(posix(path.relative(from, dir)));
  }
  return components;
}

/** The spec's inline patches, so a patched resource's origin can name the defining file. */
function recordSpecPatches(unit: RenderUnit, inputs: KustomizeInputFiles): void {
  for (const patch of unit.kustomize?.patches ?? []) {
    const target = (patch as { target?: { kind?: unknown; name?: unknown } }).target;
    inputs.patches.push({
      file: unit.definedIn?.file ?? unit.root,
      target: {
        ...(typeof target?.kind === 'string' ? { kind: target.kind } : {}),
        ...(typeof target?.name === 'string' ? { name: target.name } : {}),
      },
    });
  }
}

/**
 * kustomize refuses, by default, a file outside the kustomization's folder ("is not in or below");
 * Flux builds with LoadRestrictionsNone and accepts it. In a workspace Flux deploys that is not a
 * mistake: the unit is not rendered (the restrictor is never lifted for repository content).
 */
function asFluxLoadRestriction(error: unknown): unknown {
  if (error instanceof RenderFailure && /is not in or below/.test(error.error.message)) {
    return notRendered(
      `it names a file outside its folder, which kustomize's default load restrictor refuses; Flux builds without that restriction, so Flux accepts it, but it is not rendered here (${error.error.message})`,
      error.error.file,
      error.error.line,
    );
  }
  return error;
}

/** kustomize's output for `unit`, with Flux post-build substitution when the unit has one. */
export async function renderKustomize(
  unit: RenderUnit,
  context: RenderContext,
): Promise<RenderOutput> {
  const postBuild = unit.kustomize?.postBuild;
  const variables = postBuild ? await substitutionVariables(postBuild, context.reader) : undefined;
  const output = await buildKustomize(unit, context);
  if (context.inputsOnly) {
    return inputsOnlyOutput(output.inputKey ?? '', JSON.stringify(variables ?? null));
  }
  const substituted = variables ? substituteOutput(output, variables) : output;
  // kustomize-controller merges commonMetadata after the build and the substitution.
  const metadata = unit.kustomize?.commonMetadata;
  return metadata ? applyCommonMetadata(substituted, metadata) : substituted;
}

async function buildKustomize(unit: RenderUnit, context: RenderContext): Promise<RenderOutput> {
  const { workspaceRoot, reader, signal } = context;
  const plan = await planBuild(unit, context);
  const binary = await resolveBinary('kustomize', context.binaries);
  const mirror = await collectMirrorFiles(
    workspaceRoot,
    reader,
    // The defining Flux or Argo CD file is not read by kustomize; it is in the cache key.
    unit.definedIn ? [...plan.inputs.files, unit.definedIn.file] : plan.inputs.files,
    plan.inputs.folders,
    signal,
  );
  for (const [relative, text] of plan.generated) addGenerated(mirror, relative, text);
  const buildKustomization =
    [...mirror.keys()].find(
      (key) =>
        /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(key) &&
        path.posix.dirname(key) === plan.buildDir,
    ) ?? `${plan.buildDir}/kustomization.yaml`;
  const buildFile = path.join(workspaceRoot, ...buildKustomization.split('/'));
  const original = mirror.get(buildKustomization)?.toString('utf8') ?? '';
  const edited = plan.edit ? editKustomization(original, plan.edit, buildFile) : original;
  const { text: annotated, hadOrigin } = withOriginAnnotations(edited);
  assertSameReading(edited, annotated, buildFile);
  addGenerated(mirror, buildKustomization, annotated);

  const key = RenderCache.key(hashMirror(mirror), await binaryIdentity(binary), {
    tool: 'kustomize',
    buildDir: plan.buildDir,
    // Origins in the result are absolute paths under the workspace: not shared across folders.
    workspaceRoot: context.workspaceRoot,
    allowNetwork: context.allowNetwork,
  });
  if (context.inputsOnly) {
    return inputsOnlyOutput(hashMirror(mirror), await binaryIdentity(binary), plan.buildDir);
  }
  const cached = context.cache.get(key);
  if (cached) return { ...cached, fromCache: true };
  const { render, shared } = await context.cache.once(
    key,
    () => runKustomize(unit, context, { plan, binary, mirror, hadOrigin, key }),
    signal,
  );
  return { ...render, fromCache: shared };
}

/** A kustomize build ready to run: its plan, binary, inputs and cache key. */
interface KustomizeRun {
  readonly plan: BuildPlan;
  readonly binary: string;
  readonly mirror: MirrorFiles;
  /** The kustomization asked for origin annotations itself: they stay in the output. */
  readonly hadOrigin: boolean;
  readonly key: string;
}

/** kustomize run on the mirror, its output read once and kept in the cache under `key`. */
async function runKustomize(
  unit: RenderUnit,
  context: RenderContext,
  { plan, binary, mirror, hadOrigin, key }: KustomizeRun,
): Promise<CachedRender> {
  const { workspaceRoot, reader, signal } = context;
  const stdout = await runOnMirror(binary, mirror, {
    label: 'kustomize',
    subject: unit.name,
    timeoutMs: context.timeoutMs,
    ...(context.binaries.memoryLimitMB ? { memoryLimitMB: context.binaries.memoryLimitMB } : {}),
    ...(signal ? { signal } : {}),
    args: (tempRoot) =>
      toolArgs({
        subcommand: ['build'],
        positional: [path.join(tempRoot, ...plan.buildDir.split('/'))],
      }),
    errorPaths: () => ({
      workspaceRoot,
      baseDir: path.join(workspaceRoot, ...plan.buildDir.split('/')),
    }),
  }).catch((error: unknown) => {
    throw unit.kustomize?.fluxWorkspace ? asFluxLoadRestriction(error) : error;
  });
  const buildRoot = path.join(workspaceRoot, ...plan.buildDir.split('/'));
  const resources: RenderedResource[] = [];
  const texts: string[] = [];
  for (const doc of splitDocuments(stdout)) {
    const stripped = stripOriginAnnotation(doc);
    const text = hadOrigin ? doc : stripped.text;
    texts.push(text);
    const identity = readRendered(text);
    if (!identity) continue;
    const origin = await kustomizeOrigin(
      stripped.origin,
      identity,
      buildRoot,
      plan.inputs.patches,
      reader,
    );
    resources.push({ ...identity, text, ...(origin ? { origin } : {}) });
  }
  const output = { yaml: texts.join('---\n'), resources };
  // With network rendering, remote bases may name a branch: not kept for the next session.
  context.cache.set(key, output, !context.allowNetwork);
  return output;
}
