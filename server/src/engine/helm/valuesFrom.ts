/**
 * The values a Flux HelmRelease gives helm, as layers to check against the chart's schema
 * (`valuesLayers.ts`), in Flux's order: each `spec.valuesFrom` ConfigMap or Secret of this
 * repository in turn (the YAML text under `valuesKey`, default `values.yaml`, merged map by map;
 * with `targetPath`, the text set at that path as `--set` sets it, quoted text as a string),
 * then `spec.values` on top. A refused value set by a ConfigMap is put on its line inside the
 * ConfigMap's block scalar; one set by a Secret too when it is in `stringData` (in base64 `data`,
 * on its key), its value never quoted. Undefined when the values cannot be known here: a
 * reference the repository does not define (unless optional: Flux then skips it, as the renderer
 * does), a missing key, SOPS-encrypted or unparsable values (the render says why), a file that
 * links out of the repository (never read).
 */
import { isMap } from 'yaml';
import type { Document, Node } from 'yaml';
import { parseAllDocuments } from '../parse/boundedYaml';
import { LineIndex } from '../parse/lineIndex';
import { locate } from '../parse/locate';
import type { FieldPath } from '../parse/locate';
import type { ValuesReference } from '../render/types';
import { isEncryptedValue } from '../validate/resourceNodes';
import { embeddedDocument, embeddedRange, embeddedValuesAt } from './embeddedValues';
import type { EmbeddedValues } from './embeddedValues';
import { documentValues } from './valuesLayers';
import type { ValuesLayer } from './valuesLayers';
import type { FilePlace } from './argoValues';

/** The HelmRelease whose values are checked. */
export interface ReleaseValuesInput {
  readonly file: string;
  readonly text: string;
  /** The HelmRelease's document, parsed as YAML 1.1. */
  readonly document: Document.Parsed;
  readonly valuesFrom: readonly ValuesReference[];
  /** A file's text (an editor buffer, else the disk); undefined when it cannot be read. */
  readonly read: (file: string) => Promise<string | undefined>;
  /** Where a file is, its symbolic links followed: a file out of the repository is not read. */
  readonly whereIs?: (file: string) => Promise<FilePlace>;
}

/** The layers of the release's values, lowest precedence first (see the file's comment). */
export async function releaseValuesLayers(
  input: ReleaseValuesInput,
): Promise<ValuesLayer[] | undefined> {
  const namespace = input.document.getIn(['metadata', 'namespace']);
  const layers: ValuesLayer[] = [];
  for (const reference of input.valuesFrom) {
    if (reference.file && (await input.whereIs?.(reference.file)) === 'outside') return undefined;
    const layer = await referenceLayer(
      reference,
      typeof namespace === 'string' ? namespace : undefined,
      input.read,
    );
    if (layer === undefined) return undefined;
    if (layer) layers.push(layer);
  }
  const inline = input.document.getIn(['spec', 'values'], true) as Node | null | undefined;
  if (isMap(inline)) {
    const values = documentValues(input.document, inline);
    if (!values) return undefined;
    const lines = new LineIndex(input.text);
    layers.push({
      values,
      place: (at) => {
        const range = locate(input.document.contents, ['spec', 'values', ...at], lines);
        return range ? { file: input.file, range } : undefined;
      },
    });
  }
  return layers;
}

/** One `valuesFrom` entry as a layer; null: skipped as Flux skips it; undefined: unknown here. */
async function referenceLayer(
  reference: ValuesReference,
  namespace: string | undefined,
  read: (file: string) => Promise<string | undefined>,
): Promise<ValuesLayer | null | undefined> {
  const skipped = reference.optional ? null : undefined;
  if (!reference.file) return skipped;
  const text = await read(reference.file);
  if (text === undefined) return skipped;
  const found = definitionOf(text, reference, namespace);
  if (!found) return skipped;
  const { document } = found;
  const secret = reference.kind === 'Secret';
  const lines = new LineIndex(text);
  const file = reference.file;
  const field: FieldPath | undefined =
    secret && document.hasIn(['stringData', reference.valuesKey])
      ? ['stringData', reference.valuesKey]
      : document.hasIn(['data', reference.valuesKey])
        ? ['data', reference.valuesKey]
        : undefined;
  if (!field) return undefined;
  const embedded = embeddedValuesAt(document, text, lines, field);
  if (!embedded || isEncryptedValue(embedded.text)) return undefined;
  const base64 = secret && field[0] === 'data';
  const valuesText = base64 ? Buffer.from(embedded.text, 'base64').toString('utf8') : embedded.text;
  // Base64 lines are not the values' lines: the key stands for all of them.
  const placed: EmbeddedValues = base64
    ? { text: valuesText, keyRange: embedded.keyRange }
    : embedded;
  if (reference.targetPath) {
    const quoted = ["'", '"'].some(
      (quote) => valuesText.startsWith(quote) && valuesText.endsWith(quote),
    );
    const value = quoted ? valuesText.replace(/^['"]+|['"]+$/g, '') : valuesText;
    return {
      set: `${reference.targetPath}=${value}`,
      forceString: quoted,
      secret,
      place: () => ({ file, range: placed.keyRange }),
    };
  }
  const inner = embeddedDocument(placed);
  const values = inner ? documentValues(inner) : undefined;
  if (!inner || !values) return undefined;
  return { values, secret, place: (at) => ({ file, range: embeddedRange(placed, inner, at) }) };
}

/** The ConfigMap or Secret `reference` names in `text`, in the release's namespace or none. */
function definitionOf(
  text: string,
  reference: ValuesReference,
  namespace: string | undefined,
): { document: Document.Parsed } | undefined {
  const documents = parseAllDocuments(text, { version: '1.1' });
  if (!Array.isArray(documents)) return undefined;
  const document = documents.find((candidate) => {
    if (candidate.errors.length > 0) return false;
    const own = candidate.getIn(['metadata', 'namespace']);
    return (
      candidate.get('kind') === reference.kind &&
      candidate.getIn(['metadata', 'name']) === reference.name &&
      (namespace === undefined || own === undefined || own === namespace)
    );
  });
  return document ? { document } : undefined;
}
