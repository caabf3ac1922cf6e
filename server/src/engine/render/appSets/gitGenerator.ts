/**
 * Argo CD's git generator over THIS repository's files: `directories` (Go `path.Match`, hidden
 * folders never listed, `exclude: true` removes) and `files` (git pathspecs; each JSON or YAML
 * file an object, or a list of them, flattened to parameters as Argo CD does). A repoURL that is
 * not this repository is skipped with the reason; paths never leave the repository.
 */
import * as posix from 'node:path/posix';
import { parse } from '../../parse/boundedYaml';
import type { GeneratorContext, Params } from './appSetTypes';
import { AppSetProblem } from './appSetTypes';
import { withValues } from './generatorValues';
import { flattenParams, sanitizeName } from './paramNames';
import { gitPathspecMatch, goPathMatch, leavesRepository } from './pathGlobs';

interface PathItem {
  readonly path: string;
  readonly exclude: boolean;
}

/** The parameter sets of a `git` generator. */
export function gitParams(git: unknown, context: GeneratorContext): Params[] {
  const spec = isMap(git) ? git : {};
  const repoUrl = typeof spec.repoURL === 'string' ? spec.repoURL : undefined;
  const notThisRepo = context.repoCheck(repoUrl);
  if (notThisRepo !== undefined) throw new AppSetProblem('skipped', notThisRepo);
  const prefix = typeof spec.pathParamPrefix === 'string' ? spec.pathParamPrefix : '';
  const directories = pathItems(spec.directories);
  const files = pathItems(spec.files);
  for (const item of [...directories, ...files]) {
    if (leavesRepository(item.path)) {
      throw new AppSetProblem(
        'invalid',
        `its git generator path "${item.path}" points outside the repository: use a path inside it`,
      );
    }
  }
  if (directories.length > 0) {
    return matchDirectories(directories, context.repo.directories()).map((dir) =>
      withValues(spec.values, directoryParams(dir, prefix, context.goTemplate), context),
    );
  }
  if (files.length > 0) {
    const out: Params[] = [];
    for (const file of matchFiles(files, context.repo.files())) {
      // Past the limit no more files are read: the expansion stops there and says so.
      if (out.length > context.limit) break;
      for (const object of fileObjects(file, context)) {
        out.push(
          withValues(spec.values, fileParams(file, object, prefix, context.goTemplate), context),
        );
      }
    }
    return out;
  }
  throw new AppSetProblem('invalid', 'its git generator names neither directories nor files');
}

function pathItems(value: unknown): PathItem[] {
  return (Array.isArray(value) ? (value as unknown[]) : []).flatMap((item) =>
    isMap(item) && typeof item.path === 'string'
      ? [{ path: item.path, exclude: item.exclude === true }]
      : [],
  );
}

/** Directories that an including pattern matches and no excluding one does, in walk order. */
export function matchDirectories(items: readonly PathItem[], all: readonly string[]): string[] {
  return all.filter((dir) => {
    let included = false;
    for (const item of items) {
      if (goPathMatch(item.path, dir) !== true) continue;
      if (item.exclude) return false;
      included = true;
    }
    return included;
  });
}

/** Files an including pathspec lists and no excluding one does, sorted as Argo CD sorts them. */
export function matchFiles(items: readonly PathItem[], all: readonly string[]): string[] {
  const include = items.filter((item) => !item.exclude);
  const exclude = items.filter((item) => item.exclude);
  return all
    .filter(
      (file) =>
        include.some((item) => gitPathspecMatch(item.path, file)) &&
        !exclude.some((item) => gitPathspecMatch(item.path, file)),
    )
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function directoryParams(dir: string, prefix: string, goTemplate: boolean): Params {
  const base = posix.basename(dir);
  if (goTemplate) {
    const path = {
      path: dir,
      basename: base,
      basenameNormalized: sanitizeName(base),
      segments: dir.split('/'),
    };
    return prefix ? { [prefix]: { path } } : { path };
  }
  const name = prefix ? `${prefix}.path` : 'path';
  return {
    [name]: dir,
    [`${name}.basename`]: base,
    [`${name}.basenameNormalized`]: sanitizeName(base),
    ...segmentParams(name, dir),
  };
}

function segmentParams(name: string, dir: string): Params {
  const out: Params = {};
  dir.split('/').forEach((segment, position) => {
    if (segment !== '') out[`${name}[${position}]`] = segment;
  });
  return out;
}

/** The objects of a files-generator file: one map, or a list of maps. */
function fileObjects(file: string, context: GeneratorContext): Record<string, unknown>[] {
  const text = context.repo.read(file);
  if (text === undefined) {
    throw new AppSetProblem('invalid', `its git generator could not read ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch {
    throw new AppSetProblem(
      'invalid',
      `its git generator cannot parse ${file}: it is neither JSON nor YAML`,
    );
  }
  if (parsed === null || parsed === undefined) return [{}];
  if (isMap(parsed)) return [parsed];
  if (Array.isArray(parsed) && parsed.every(isMap)) return parsed;
  throw new AppSetProblem(
    'invalid',
    `its git generator cannot use ${file}: it holds neither a map nor a list of maps`,
  );
}

function fileParams(
  file: string,
  object: Record<string, unknown>,
  prefix: string,
  goTemplate: boolean,
): Params {
  const dir = posix.dirname(file);
  const base = posix.basename(dir);
  const filename = posix.basename(file);
  if (goTemplate) {
    const path = {
      path: dir,
      basename: base,
      filename,
      basenameNormalized: sanitizeName(base),
      filenameNormalized: sanitizeName(filename),
      segments: dir.split('/'),
    };
    return { ...object, ...(prefix ? { [prefix]: { path } } : { path }) };
  }
  const name = prefix ? `${prefix}.path` : 'path';
  return {
    ...flattenParams(object),
    [name]: dir,
    [`${name}.basename`]: base,
    [`${name}.filename`]: filename,
    [`${name}.basenameNormalized`]: sanitizeName(base),
    [`${name}.filenameNormalized`]: sanitizeName(filename),
    ...segmentParams(name, dir),
  };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
