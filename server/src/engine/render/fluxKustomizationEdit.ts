/**
 * A Flux Kustomization's options applied as kustomize-controller applies them: its generator
 * (github.com/fluxcd/pkg/kustomize) edits the folder's own kustomization.yaml, setting
 * `namespace` to targetNamespace, replacing namePrefix and nameSuffix, appending patches and
 * components and merging images, and the folder is built as it is. A wrapper kustomization would
 * compose prefixes and apply patches after the folder's own transformers instead.
 */
import * as path from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, YAMLMap, YAMLSeq } from 'yaml';
import { parseDocument } from '../parse/boundedYaml';
import { KustomizationReadError, readKustomization } from '../kustomize/kustomizationReader';
import type { Kustomization } from '../kustomize/kustomizationReader';
import type { KustomizeInputs } from './types';
import { refused } from './types';

/** The edits of a Flux Kustomization to the kustomization it builds. */
export interface FluxEdit {
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  patches: Array<{ patch: string; target?: Record<string, string> }>;
  images: Array<Record<string, string>>;
  /** Component paths relative to the kustomization's folder, as written in the spec. */
  components: string[];
}

/** The selector fields Flux copies from a patch target (its adaptSelector). */
const TARGET_FIELDS = [
  'group',
  'version',
  'kind',
  'name',
  'namespace',
  'labelSelector',
  'annotationSelector',
];

const IMAGE_FIELDS = ['name', 'newName', 'newTag', 'digest'];

function strings(value: unknown, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== 'object') return out;
  for (const field of fields) {
    const item = (value as Record<string, unknown>)[field];
    if (typeof item === 'string' && item !== '') out[field] = item;
  }
  return out;
}

/** The edit a unit's Flux options make (components given as already checked by the caller). */
export function fluxEditOf(options: KustomizeInputs, components: string[]): FluxEdit {
  const patches = (options.patches ?? []).flatMap((entry) => {
    const { patch, target } = (entry ?? {}) as Record<string, unknown>;
    // Flux patches are inline: a `path` is never followed, and `options` is not passed on.
    if (typeof patch !== 'string') return [];
    const selector = strings(target, TARGET_FIELDS);
    return [{ patch, ...(target ? { target: selector } : {}) }];
  });
  const images = (options.images ?? [])
    .map((image) => strings(image, IMAGE_FIELDS))
    .filter((image) => image.name !== undefined);
  return {
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.namePrefix ? { namePrefix: options.namePrefix } : {}),
    ...(options.nameSuffix ? { nameSuffix: options.nameSuffix } : {}),
    patches,
    images,
    components,
  };
}

/** True when the edit changes nothing (the folder is built as written). */
export function isEmptyEdit(edit: FluxEdit): boolean {
  return (
    !edit.namespace &&
    !edit.namePrefix &&
    !edit.nameSuffix &&
    edit.patches.length === 0 &&
    edit.images.length === 0 &&
    edit.components.length === 0
  );
}

type EditableMap = YAMLMap<unknown, unknown>;

function listOf(
  doc: Document,
  root: EditableMap,
  key: string,
  file: string,
): { add(v: unknown): void } {
  const current = root.get(key, true);
  if (current === undefined || current === null || isNull(current)) {
    const seq = doc.createNode([]) as YAMLSeq<unknown>;
    root.set(key, seq);
    return { add: (value) => seq.add(doc.createNode(value)) };
  }
  if (!isSeq(current)) throw cannotEdit(file, `its ${key} is not a list`);
  return { add: (value) => current.add(doc.createNode(value)) };
}

function isNull(node: unknown): boolean {
  return isScalar(node) && node.value === null;
}

function mergeImage(
  doc: Document,
  root: EditableMap,
  image: Record<string, string>,
  file: string,
): void {
  const images = root.get('images', true);
  const existing = isSeq(images)
    ? images.items.find((item) => isMap(item) && String(item.get('name')) === image.name)
    : undefined;
  if (!isMap(existing)) {
    listOf(doc, root, 'images', file).add(image);
    return;
  }
  // As Flux merges an image the kustomization already names: newName when given; newTag and
  // digest together, as one choice of version.
  if (image.newName) existing.set('newName', image.newName);
  if (image.newTag || image.digest) {
    for (const field of ['newTag', 'digest']) {
      const value = image[field];
      if (value) existing.set(field, value);
      else existing.delete(field);
    }
  }
}

function cannotEdit(file: string, why: string): Error {
  return refused(
    `${path.basename(file)} could not be edited as Flux edits it (${why}), so the Flux Kustomization was not rendered: simplify its YAML (anchors, tags, duplicate keys) and render again.`,
    file,
  );
}

/** A reading as JSON; patches in a stable order (`patchesJson6902` entries read after `patches`). */
function readingJson(kustomization: Kustomization): string {
  const patches = kustomization.patches
    .map((patch) => JSON.stringify(patch))
    .sort()
    .map((patch) => JSON.parse(patch) as unknown);
  return JSON.stringify({ ...kustomization, patches });
}

function reading(text: string): string {
  try {
    return readingJson(readKustomization(text));
  } catch (error) {
    return error instanceof KustomizationReadError ? error.detail : String(error);
  }
}

/** What the edited kustomization must read as: the original plus exactly the edit. */
function expectedReading(original: string, edit: FluxEdit): string {
  let before: Kustomization;
  try {
    before = readKustomization(original);
  } catch (error) {
    return error instanceof KustomizationReadError ? `unreadable: ${error.detail}` : String(error);
  }
  const patches = edit.patches.map((patch) => {
    const kind = patch.target?.kind;
    const name = patch.target?.name;
    return {
      paths: [],
      inline: [patch.patch],
      ...(patch.target ? { target: { ...(kind ? { kind } : {}), ...(name ? { name } : {}) } } : {}),
    };
  });
  return readingJson({
    ...before,
    components: [...before.components, ...edit.components],
    patches: [...before.patches, ...patches],
    namespaces: edit.namespace ? [edit.namespace] : before.namespaces,
  });
}

/**
 * The kustomization `text` (the file `file`) with `edit` applied. Throws a refusal when the text
 * cannot be edited so that kustomize reads exactly the original plus the edit.
 */
export function editKustomization(text: string, edit: FluxEdit, file: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw cannotEdit(file, doc.errors[0]?.message ?? 'invalid YAML');
  if (doc.contents === null || isNull(doc.contents)) {
    (doc as Document).contents = doc.createNode({});
  }
  if (!isMap(doc.contents)) throw cannotEdit(file, 'it is not a map');
  const root = doc.contents as unknown as EditableMap;
  if (edit.namespace) root.set('namespace', edit.namespace);
  if (edit.namePrefix) root.set('namePrefix', edit.namePrefix);
  if (edit.nameSuffix) root.set('nameSuffix', edit.nameSuffix);
  for (const patch of edit.patches) listOf(doc, root, 'patches', file).add(patch);
  for (const component of edit.components) listOf(doc, root, 'components', file).add(component);
  for (const image of edit.images) mergeImage(doc, root, image, file);
  const edited = doc.toString({ lineWidth: 0 });
  if (reading(edited) !== expectedReading(text, edit)) {
    throw cannotEdit(file, 'the edited copy would read differently');
  }
  return edited;
}
