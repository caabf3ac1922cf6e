import * as path from 'node:path';
import { isTemplated } from '../parse/fileKinds';
import { parseLikeGo } from './secretNodes';
import { addSecretValue, secretValuesOf } from './secretScrubber';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/**
 * The Secret values among the input files of a render (workspace-relative `/`-separated paths):
 * those of every Secret in a YAML or JSON file, and those a kustomization's `secretGenerator`
 * makes (its `literals`, the contents of its `files`, the values of its `envs`). A failing tool's
 * message is scrubbed of them, since kustomize and go-yaml quote input in some errors. Helm
 * templates (`{{ }}`) are left out: they hold no value until rendered.
 */
export function secretValuesOfInputs(files: ReadonlyMap<string, Buffer>): Set<string> {
  const values = new Set<string>();
  for (const [file, bytes] of files) {
    const name = path.posix.basename(file);
    if (!/\.(?:ya?ml|json)$/i.test(name) && !KUSTOMIZATION_NAMES.has(name)) continue;
    const text = bytes.toString('utf8');
    // A chart template is not YAML until rendered: every line of it would count as a value.
    if (!isTemplated(text, file)) {
      for (const value of secretValuesOf(text)) values.add(value);
    }
    if (KUSTOMIZATION_NAMES.has(name)) {
      addGeneratorValues(text, path.posix.dirname(file), files, values);
    }
  }
  return values;
}

function addGeneratorValues(
  text: string,
  folder: string,
  files: ReadonlyMap<string, Buffer>,
  values: Set<string>,
): void {
  const read = (relative: string): string | undefined =>
    files.get(path.posix.normalize(path.posix.join(folder, relative)))?.toString('utf8');
  let kustomization: unknown;
  try {
    kustomization = parseLikeGo(text)?.[0]?.toJS({ maxAliasCount: 100 });
  } catch {
    return;
  }
  const generators = (kustomization as { secretGenerator?: unknown } | null)?.secretGenerator;
  for (const generator of Array.isArray(generators) ? (generators as unknown[]) : []) {
    const fields = (generator ?? {}) as Record<string, unknown>;
    for (const literal of strings(fields['literals'])) {
      addSecretValue(values, literal);
      addSecretValue(values, literal.slice(literal.indexOf('=') + 1));
    }
    for (const source of strings(fields['files'])) {
      const content = read(source.slice(source.indexOf('=') + 1));
      if (content !== undefined) addSecretValue(values, content);
    }
    for (const source of [...strings(fields['envs']), ...strings(fields['env'])]) {
      for (const line of (read(source) ?? '').split(/\r?\n/)) {
        addSecretValue(values, line);
        addSecretValue(values, line.slice(line.indexOf('=') + 1));
      }
    }
  }
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  return list.filter((item): item is string => typeof item === 'string');
}
