/**
 * Where Git sets what drifted: the source link of an OutOfSync resource goes to the line that
 * writes its first changed field, in the patch (or values file, template) that changed the
 * resource when it writes the field, else in the file that defines it. A resource whose changed
 * fields no source writes (a default the server added, a field removed from Git) keeps the
 * place the resource comes from.
 */
import * as path from 'node:path';
import { fieldInFile, parseFieldPath } from '../check/fieldInFile';
import { readRepoText } from '../files/repoFile';
import type { ResourceOrigin } from '../render/types';

/** Changed fields looked for, in order; the first one found decides. */
const MAX_FIELDS = 5;
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

/** The origin of `resource` moved to the line that writes its first changed field, if one does. */
export async function changedFieldOrigin(
  origin: ResourceOrigin,
  resource: { readonly kind: string; readonly name: string },
  changedPaths: readonly string[],
  read: (file: string) => Promise<string | undefined> = readSource,
): Promise<ResourceOrigin> {
  // Only places provenance resolved to files: `via` may also name a kind, "remote", or the
  // `# Source:` path a chart's output claims, which is not read.
  const files = [origin.via, origin.file].filter(
    (file): file is string => !!file && path.isAbsolute(file),
  );
  const texts = new Map<string, string | undefined>();
  for (const changed of changedPaths.slice(0, MAX_FIELDS)) {
    const path = parseFieldPath(changed);
    for (const file of files) {
      if (!texts.has(file)) texts.set(file, await read(file));
      const range = fieldInFile(texts.get(file), resource, path);
      if (range) return { ...origin, file, line: range.start.line + 1 };
    }
  }
  return origin;
}

function readSource(file: string): Promise<string | undefined> {
  return readRepoText(file, MAX_SOURCE_BYTES).catch((): undefined => undefined);
}
