import { Scalar, isMap, isScalar } from 'yaml';
import { parseAllDocuments } from '../parse/boundedYaml';
import type { Document, YAMLMap } from 'yaml';
import { splitDocuments } from '../parse/documentChunks';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Masks every Secret value of a YAML stream, as Argo CD does: each distinct value becomes a run
 * of `+` (8, then 4 more for each further distinct value), so equal values look equal and a
 * changed value looks changed, yet no value, base64 or plain, is shown. `data`, `stringData` and
 * the last-applied annotation (which holds them all) are covered. Comments and layout are kept.
 */
export function maskSecrets(yamlText: string, masks: SecretMasks = new SecretMasks()): string {
  if (!SECRET_KIND.test(yamlText)) {
    return yamlText;
  }
  // Document by document, so documents without a Secret keep their text exactly.
  return splitDocuments(yamlText)
    .map((chunk) => (SECRET_KIND.test(chunk.text) ? maskChunk(chunk.text, masks) : chunk.text))
    .join('');
}

const SECRET_KIND = /\bkind:\s*["']?Secret\b/;

function maskChunk(text: string, masks: SecretMasks): string {
  const documents = parseAllDocuments(text, { version: '1.1' });
  if (!Array.isArray(documents) || documents.some((document) => document.errors.length > 0)) {
    return maskUnparsable(text);
  }
  let changed = false;
  for (const document of documents) {
    changed = maskDocument(document, masks) || changed;
  }
  return changed ? documents.map((document) => document.toString({ lineWidth: 0 })).join('') : text;
}

/** Gives each distinct secret value the same mask everywhere it is used. */
export class SecretMasks {
  private readonly byValue = new Map<string, string>();

  mask(value: string): string {
    let mask = this.byValue.get(value);
    if (mask === undefined) {
      mask = '+'.repeat(8 + 4 * this.byValue.size);
      this.byValue.set(value, mask);
    }
    return mask;
  }
}

function maskDocument(document: Document.Parsed, masks: SecretMasks): boolean {
  const root = document.contents;
  const kind: unknown = isMap(root) ? root.get('kind') : undefined;
  if (!isMap(root) || kind !== 'Secret') {
    return false;
  }
  let changed = false;
  for (const field of ['data', 'stringData']) {
    const values = root.get(field, true);
    if (isMap(values)) {
      changed = maskValues(values, masks) || changed;
    }
  }
  const metadata = root.get('metadata', true);
  const annotations = isMap(metadata) ? metadata.get('annotations', true) : undefined;
  if (isMap(annotations) && annotations.has(LAST_APPLIED)) {
    annotations.set(LAST_APPLIED, masks.mask(String(annotations.get(LAST_APPLIED))));
    changed = true;
  }
  return changed;
}

function maskValues(values: YAMLMap, masks: SecretMasks): boolean {
  for (const pair of values.items) {
    const value = pair.value;
    if (isScalar(value)) {
      value.value = masks.mask(String(value.value));
      value.type = 'PLAIN';
    } else {
      pair.value = new Scalar(masks.mask(JSON.stringify(value)));
    }
  }
  return values.items.length > 0;
}

/**
 * A stream that does not parse cannot be masked field by field: every line under `data:` or
 * `stringData:` of a Secret loses its value, so nothing can leak from a broken file either.
 */
function maskUnparsable(yamlText: string): string {
  let inSecretValues = false;
  return yamlText
    .split('\n')
    .map((line) => {
      if (/^(data|stringData):\s*$/.test(line)) {
        inSecretValues = true;
        return line;
      }
      if (inSecretValues && /^\s+[^\s#][^:]*:/.test(line)) {
        return line.replace(/^(\s+[^:]+:).*$/, '$1 ********');
      }
      if (!/^\s/.test(line)) {
        inSecretValues = false;
      }
      return line;
    })
    .join('\n');
}
