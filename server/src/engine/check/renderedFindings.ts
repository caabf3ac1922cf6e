import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from '../parse/boundedYaml';
import { crossResourceChecks } from '../crossref';
import type { CrossResourceOptions, UnitResource } from '../crossref';
import type { FieldPath } from '../parse/locate';
import { fieldInFile, parseFieldPath } from './fieldInFile';
import { fieldInFluxPatches, fieldInPatchText } from './fluxPatchPlace';
import { valuePlaceOf } from './valuePlace';
import type { SourcePlace } from './valuePlace';
import { fieldLineInDocument } from '../parse/documentField';
import { GENERATED_DIR } from '../render/renderContext';
import type { RenderedResource, RenderError, RenderUnit } from '../render/types';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import { scrubSecretValues } from '../secrets/secretScrubber';
import type { FileFinding, Finding, Fix } from '../types';
import { renameKeyOnLine } from '../validate/suggest';
import { validateManifestText } from '../validate/validateManifests';

/** Findings about a field's key, not its value: on a key the template writes, the template's. */
const KEY_CODES = new Set(['unknown-field']);

/** Reads a source file (an editor's unsaved buffer or the disk); undefined when unreadable. */
export type SourceReader = (file: string) => string | undefined;

/**
 * Validates the resources a unit renders and reports each finding on the source that produced
 * the field: the field itself in the resource's source file, or in the patch that changed it,
 * else the resource's first line, else the unit's definition. The message names the rendered
 * resource, since the source line may not show the rendered value. No message holds a Secret
 * value: those of the rendered Secrets are never quoted (see `validateManifestText`), and
 * `secretValues` (Secret values substituted into other resources) are scrubbed.
 */
export function renderedFindings(
  unit: RenderUnit,
  resources: readonly RenderedResource[],
  registry: SchemaRegistry,
  readSource: SourceReader,
  crossOptions: CrossResourceOptions = {},
  secretValues: readonly string[] = [],
): FileFinding[] {
  const findings = findingsOf(unit, resources, registry, readSource, crossOptions);
  const values = new Set(secretValues.filter((value) => value.length >= 4));
  return values.size === 0
    ? findings
    : findings.map((finding) => ({
        ...finding,
        message: scrubSecretValues(finding.message, values),
      }));
}

function findingsOf(
  unit: RenderUnit,
  resources: readonly RenderedResource[],
  registry: SchemaRegistry,
  readSource: SourceReader,
  crossOptions: CrossResourceOptions,
): FileFinding[] {
  // One source line that makes the same mistake in many resources (a patch of every
  // HelmRelease) is one finding that says how many resources it is in.
  const rendered: Array<{ make: (more: number) => FileFinding; more: number }> = [];
  const byPlace = new Map<string, { more: number }>();
  for (const resource of resources) {
    const result = validateManifestText(resource.text, { schemas: registry });
    for (const finding of result.findings) {
      if (finding.severity === 'info' || finding.severity === 'hint') {
        continue;
      }
      const at = sourceOf(unit, resource, finding, readSource);
      const place = `${at.file}\0${at.range.start.line}:${at.range.start.character}\0${finding.code}\0${finding.message}`;
      const same = at.exact ? byPlace.get(place) : undefined;
      if (same) {
        same.more += 1;
        continue;
      }
      const fix = renameFixIn(finding, at, readSource);
      const entry = {
        more: 0,
        make: (more: number): FileFinding => ({
          file: at.file,
          range: at.range,
          severity: finding.severity,
          code: finding.code,
          message: `${finding.message} (rendered ${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}${more > 0 ? ` and ${more} more ${more === 1 ? 'resource' : 'resources'}` : ''} of ${unitLabel(unit)}${at.exact ? '' : `, field ${finding.fieldPath ?? '(resource)'}`}${at.note ? `; ${at.note}` : ''})`,
          ...(at.related ? { related: at.related } : {}),
          ...fix,
        }),
      };
      rendered.push(entry);
      if (at.exact) byPlace.set(place, entry);
    }
  }
  return [
    ...crossFindings(unit, resources, readSource, crossOptions),
    ...rendered.map(({ make, more }) => make(more)),
  ];
}

/**
 * A misspelt key found in rendered output keeps its rename fix when the source line it is
 * reported on writes that key plainly (a patch, a base, a template line).
 */
function renameFixIn(
  finding: Finding,
  at: SourcePlace,
  readSource: SourceReader,
): { fixes?: readonly Fix[] } {
  const fix = finding.code === 'unknown-field' ? finding.fixes?.[0] : undefined;
  const path = typeof finding.fieldPath === 'string' ? parseFieldPath(finding.fieldPath) : [];
  const key = path.at(-1);
  if (!fix || typeof key !== 'string') return {};
  const text = readSource(at.file);
  const moved = text && renameKeyOnLine(text, at.range.start.line, key, fix.newText);
  return moved ? { fixes: [moved] } : {};
}

/** The rendered resources as the cross-resource checks read them; ids are their indexes. */
export function unitResourcesOf(resources: readonly RenderedResource[]): UnitResource[] {
  const unitResources: UnitResource[] = [];
  resources.forEach((resource, index) => {
    // The render's own parse when the fast parser read the text (the checks only read it).
    let object: unknown = resource.object;
    if (object === undefined) {
      try {
        object = parse(resource.text, { maxAliasCount: 100 });
      } catch {
        return;
      }
    }
    if (object !== null && typeof object === 'object' && !Array.isArray(object)) {
      unitResources.push({
        id: String(index),
        object: object as Readonly<Record<string, unknown>>,
        ref: {
          apiVersion: resource.apiVersion,
          kind: resource.kind,
          name: resource.name,
          ...(resource.namespace ? { namespace: resource.namespace } : {}),
        },
      });
    }
  });
  return unitResources;
}

/** Checks between the unit's resources (references, selectors, backends, duplicates). */
function crossFindings(
  unit: RenderUnit,
  resources: readonly RenderedResource[],
  readSource: SourceReader,
  options: CrossResourceOptions,
): FileFinding[] {
  const unitResources = unitResourcesOf(resources);
  const defaultNamespace = options.defaultNamespace ?? unit.namespace;
  return crossResourceChecks(unitResources, {
    ...options,
    ...(defaultNamespace ? { defaultNamespace } : {}),
  }).flatMap((finding) => {
    const resource = resources[Number(finding.resourceId)];
    if (!resource) {
      return [];
    }
    const at = sourceOf(
      unit,
      resource,
      { fieldPath: finding.path, code: finding.code },
      readSource,
    );
    return [
      {
        file: at.file,
        range: at.range,
        severity: finding.severity,
        code: finding.code,
        message: `${finding.message} (rendered ${resource.kind} ${resource.name} of ${unitLabel(unit)}${at.note ? `; ${at.note}` : ''})`,
        ...(finding.hint ? { hint: finding.hint } : {}),
        ...(at.related ? { related: at.related } : {}),
      },
    ];
  });
}

/**
 * A render failure as a finding on the unit's definition (or its kustomization or chart). A
 * source that is not in the workspace is an information (the tool cannot know); missing chart
 * dependencies a warning that names the fix; anything else an error.
 */
export function renderFailureFinding(
  unit: RenderUnit,
  error: RenderError,
  readSource?: SourceReader,
): FileFinding {
  // The file kustomize or helm names may be missing (that is often the error) or generated.
  const named =
    error.file !== undefined && existsSync(error.file) && !error.file.includes(GENERATED_DIR);
  const file = named ? (error.file ?? '') : (unit.definedIn?.file ?? entryFile(unit));
  const text = named && error.field && error.line ? readSource?.(file) : undefined;

  const fieldLine =
    text !== undefined && error.field && error.line
      ? fieldLineInDocument(text, error.line, error.field)
      : undefined;
  const line = Math.max(0, (fieldLine ?? (named ? error.line : unit.definedIn?.line) ?? 1) - 1);
  const range = { start: { line, character: 0 }, end: { line, character: 0 } };
  const hint = error.hint ? { hint: error.hint } : {};
  if (error.reason === 'notRendered') {
    return {
      ...hint,
      file,
      range,
      severity: 'info',
      code: 'not-rendered',
      message: `${unitLabel(unit)} was not rendered: ${error.message}`,
    };
  }
  if (error.reason === 'missingDependencies') {
    return {
      ...hint,
      file,
      range,
      severity: 'warning',
      code: 'chart-dependencies-missing',
      message: `${unitLabel(unit)} was not rendered: ${error.message}`,
    };
  }
  return {
    ...hint,
    file,
    range,
    severity: 'error',
    code: 'render-failed',
    message: `${unitLabel(unit)} does not render: ${error.message}`,
  };
}

function unitLabel(unit: RenderUnit): string {
  switch (unit.kind) {
    case 'flux-kustomization':
      return `Flux Kustomization ${unit.name}`;
    case 'flux-helmrelease':
      return `Flux HelmRelease ${unit.name}`;
    case 'argocd-application':
      return unit.applicationSet && unit.applicationSet.application === undefined
        ? `Argo CD ApplicationSet ${unit.applicationSet.name}`
        : `Argo CD Application ${unit.name}`;
    case 'helm':
      return `chart ${unit.name}`;
    default:
      return `kustomization ${unit.name}`;
  }
}

function sourceOf(
  unit: RenderUnit,
  resource: RenderedResource,
  finding: {
    readonly fieldPath?: string | FieldPath | undefined;
    readonly fieldPart?: 'key';
    readonly code: string;
  },
  readSource: SourceReader,
): SourcePlace {
  const { fieldPath, code } = finding;
  const path = typeof fieldPath === 'string' ? parseFieldPath(fieldPath) : (fieldPath ?? []);
  const patchFiles = [resource.origin?.via, ...(resource.origin?.alsoVia ?? [])];
  const candidates = [...patchFiles, resource.origin?.file].filter(
    (file): file is string => file !== undefined,
  );
  // A finding on a key other than an unknown one is about what the object lacks under it (a
  // missing field): a patch that writes the parent did not cause it.
  const aboutWritten = finding.fieldPart !== 'key' || code === 'unknown-field';
  const part = finding.fieldPart ?? 'value';
  // Named list items are looked for by name: the rendered object tells the names.
  const owner = path.some((segment) => typeof segment === 'number')
    ? { ...resource, object: resource.object ?? renderedObject(resource.text) }
    : resource;
  const fluxPatches =
    aboutWritten &&
    unit.kind === 'flux-kustomization' &&
    unit.definedIn &&
    resource.origin?.via === unit.definedIn.file
      ? unit.definedIn
      : undefined;
  if (path.length > 0 && fluxPatches) {
    // The Flux Kustomization's own spec.patches changed the resource: the patch that sets the
    // field is where to fix it, not each resource it patched.
    const text = readSource(fluxPatches.file);
    const range =
      text === undefined
        ? undefined
        : fieldInFluxPatches(text, fluxPatches.line, owner, path, part);
    if (range) return { file: fluxPatches.file, range, exact: true };
  }
  if (path.length > 0) {
    for (const file of candidates) {
      const text = readSource(file);
      // A patch file that is no resource document (JSON 6902 operations) is read as a patch;
      // not a file that holds patches inline (a kustomization, the Flux Kustomization itself,
      // read above), which is a resource of its own: a Flux Kustomization's own sourceRef is no
      // patch of the Kustomization it renders.
      const range =
        fieldInFile(text, owner, path, part) ??
        (patchFiles.includes(file) &&
        aboutWritten &&
        text !== undefined &&
        !holdsPatches(unit, file)
          ? fieldInPatchText(text, owner, path, part)
          : undefined);
      if (range) {
        return { file, range, exact: true };
      }
    }
  }
  if (path.length > 0 && unit.renderer === 'helm' && resource.origin) {
    // A chart template is Go template text: the field's keys are looked for in it, then the
    // values key its line reads, where the value is set.
    const place = valuePlaceOf(unit.root, resource.origin, path, readSource, KEY_CODES.has(code));
    if (place) return place;
  }
  // A template inside a packaged sub-chart (charts/x.tgz) has no file of its own in the workspace.
  const origin =
    resource.origin && readSource(resource.origin.file) !== undefined ? resource.origin : undefined;
  const file = origin?.file ?? unit.definedIn?.file ?? entryFile(unit);
  const line = Math.max(0, (origin?.line ?? unit.definedIn?.line ?? 1) - 1);
  return {
    file,
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    exact: false,
  };
}

/** The unit's own definition, or a kustomization file: patches are inline there. */
function holdsPatches(unit: RenderUnit, file: string): boolean {
  return file === unit.definedIn?.file || KUSTOMIZATION_FILES.includes(path.basename(file));
}

/** The names kustomize reads a folder's kustomization from, in its order. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A rendered resource's text as data; undefined when it does not read. */
function renderedObject(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** The file that makes a folder a unit: its kustomization or Chart.yaml, else the folder. */
function entryFile(unit: RenderUnit): string {
  const names = unit.renderer === 'helm' ? ['Chart.yaml'] : KUSTOMIZATION_FILES;
  return (
    names.map((name) => path.join(unit.root, name)).find((file) => existsSync(file)) ?? unit.root
  );
}

export { parseFieldPath };
