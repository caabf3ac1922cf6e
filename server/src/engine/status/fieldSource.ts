/**
 * Where Git sets what drifted: the line that writes an OutOfSync resource's first changed field,
 * in the patch (or values file, template) that changed the resource when it writes the field,
 * else in the file that defines it. Changed fields no source writes (a default the server added,
 * a field removed from Git) have no such line: the link stays on where the resource comes from.
 */
import * as path from 'node:path';
import { fieldInFile, parseFieldPath } from '../check/fieldInFile';
import { readRepoText } from '../files/repoFile';
import type { ResourceOrigin } from '../render/types';

/** Changed fields looked for, in order; the first one found decides. */
const MAX_FIELDS = 5;
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

/** The file and line that write the first changed field of `resource`; undefined: none does. */
export async function changedFieldOrigin(
  origin: ResourceOrigin,
  resource: { readonly kind: string; readonly name: string },
  changedPaths: readonly string[],
  read: (file: string) => Promise<string | undefined> = readSource,
): Promise<{ file: string; line: number } | undefined> {
  // Only places provenance resolved to files: `via` may also name a kind, "remote", or the
  // `# Source:` path a chart's output claims, which is not read.
  const files = [origin.via, ...(origin.alsoVia ?? []), origin.file].filter(
    (file): file is string => !!file && path.isAbsolute(file),
  );
  const texts = new Map<string, string | undefined>();
  for (const changed of changedPaths.slice(0, MAX_FIELDS)) {
    const path = parseFieldPath(changed);
    for (const file of files) {
      if (!texts.has(file)) texts.set(file, await read(file));
      const range = fieldInFile(texts.get(file), resource, path);
      if (range) return { file, line: range.start.line + 1 };
    }
  }
  return undefined;
}

function readSource(file: string): Promise<string | undefined> {
  return readRepoText(file, MAX_SOURCE_BYTES).catch((): undefined => undefined);
}
