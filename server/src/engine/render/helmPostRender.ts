/**
 * Flux HelmRelease `spec.postRenderers`: kustomize patches and images applied to helm's output,
 * one post-renderer after the other, as helm-controller does. Inline patches only.
 */
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { stringify } from 'yaml';
import { binaryIdentity, resolveBinary } from './binaries';
import { readRendered, splitDocuments } from './provenance';
import { RenderCache } from './renderCache';
import type { RenderContext, RenderOutput } from './renderContext';
import { toolArgs } from './toolArgs';
import { makeScratch, removeScratch, runTool } from './toolProcess';
import { toolFailure } from './toolErrors';
import type { PostRenderer, RenderUnit, RenderedResource } from './types';
import { RenderFailure } from './types';
import { addGenerated, hashMirror, writeMirror } from './workspaceMirror';
import type { MirrorFiles } from './workspaceMirror';
import { isMapValue, resourceDocs, valueAt } from './yamlDocs';

/** `spec.postRenderers[].kustomize` of a HelmRelease, inline patches and images only. */
export function fluxPostRenderers(spec: unknown): PostRenderer[] {
  const entries = valueAt(spec, 'postRenderers');
  if (!Array.isArray(entries)) return [];
  return (entries as unknown[]).flatMap((entry): PostRenderer[] => {
    const kustomize = valueAt(entry, 'kustomize');
    if (!isMapValue(kustomize)) return [];
    const patches = (
      Array.isArray(kustomize.patches) ? (kustomize.patches as unknown[]) : []
    ).flatMap((patch) => {
      const text = valueAt(patch, 'patch');
      const target = valueAt(patch, 'target');
      return typeof text === 'string'
        ? [{ patch: text, ...(isMapValue(target) ? { target } : {}) }]
        : [];
    });
    const images = Array.isArray(kustomize.images) ? (kustomize.images as unknown[]) : [];
    return patches.length || images.length ? [{ patches, images }] : [];
  });
}

function identityKey(resource: Pick<RenderedResource, 'kind' | 'name' | 'namespace'>): string {
  return `${resource.kind}/${resource.namespace ?? ''}/${resource.name}`;
}

/** Applies the post-renderers to helm's output; resources keep their template as origin. */
export async function postRender(
  output: RenderOutput,
  postRenderers: readonly PostRenderer[],
  unit: RenderUnit,
  context: RenderContext,
): Promise<RenderOutput> {
  if (postRenderers.length === 0) return output;
  const binary = await resolveBinary('kustomize', context.binaries);
  const mirror: MirrorFiles = new Map();
  addGenerated(mirror, 'step-0/helm-output.yaml', output.yaml);
  postRenderers.forEach((renderer, position) => {
    const previous = position === 0 ? 'helm-output.yaml' : `../step-${position - 1}`;
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [previous],
      ...(renderer.patches.length ? { patches: renderer.patches } : {}),
      ...(renderer.images.length ? { images: renderer.images } : {}),
    };
    addGenerated(mirror, `step-${position}/kustomization.yaml`, stringify(kustomization));
  });
  const last = `step-${postRenderers.length - 1}`;
  const key = RenderCache.key(hashMirror(mirror), await binaryIdentity(binary), {
    tool: 'helm-post-render',
    workspaceRoot: context.workspaceRoot,
  });
  const cached = context.cache.get(key);
  if (cached) return { ...cached, fromCache: output.fromCache };
  const scratch = makeScratch();
  try {
    const tempRoot = path.join(scratch, 'post-render');
    await writeMirror(mirror, tempRoot);
    const args = toolArgs({ subcommand: ['build'], positional: [path.join(tempRoot, last)] });
    const run = await runTool(binary, args, {
      cwd: tempRoot,
      scratch,
      timeoutMs: context.timeoutMs,
      label: 'kustomize (HelmRelease post-renderer)',
      subject: unit.name,
      ...(context.binaries.memoryLimitMB ? { memoryLimitMB: context.binaries.memoryLimitMB } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
    });
    if (run.code !== 0) {
      const failure = toolFailure(
        'kustomize (HelmRelease post-renderer)',
        run.stderr,
        run.code,
        { tempRoot, workspaceRoot: context.workspaceRoot },
        mirror,
      );
      throw new RenderFailure({
        ...failure,
        file: unit.definedIn?.file ?? failure.file ?? '',
        ...(unit.definedIn ? { line: unit.definedIn.line } : {}),
      });
    }
    const before = new Map(output.resources.map((resource) => [identityKey(resource), resource]));
    const resources: RenderedResource[] = [];
    for (const text of splitDocuments(run.stdout)) {
      const identity = readRendered(text);
      if (!identity) continue;
      const original = before.get(identityKey(identity));
      const changed =
        !original ||
        !isDeepStrictEqual(resourceDocs(original.text)[0]?.value, resourceDocs(text)[0]?.value);
      const origin = original?.origin
        ? { ...original.origin, ...(changed && unit.definedIn ? { via: unit.definedIn.file } : {}) }
        : unit.definedIn
          ? { file: unit.definedIn.file, line: unit.definedIn.line }
          : undefined;
      resources.push({ ...identity, text, ...(origin ? { origin } : {}) });
    }
    const result = { yaml: run.stdout, resources };
    // Not kept on disk when Secret values were substituted into the chart's output.
    context.cache.set(key, result, !output.secretValues?.length);
    return { ...result, fromCache: false };
  } finally {
    await removeScratch(scratch);
  }
}
