/** Paths of a unit checked against the workspace root, following symbolic links. */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../files/pathInside';
import { refused } from './types';

/**
 * The real path of `target`, or of its nearest existing parent joined with the rest. The
 * system's realpath: one call, where Node's own walks every part of the path.
 */
function realPath(target: string): string {
  try {
    return realpathSync.native(target);
  } catch {
    const parent = path.dirname(target);
    if (parent === target) return target;
    return path.join(realPath(parent), path.basename(target));
  }
}

/**
 * Resolves `reference` (relative to `baseDir`) and refuses it when it, or the file a link in it
 * points to, lies outside `workspaceRoot`.
 */
export function resolveInside(
  workspaceRoot: string,
  baseDir: string,
  reference: string,
  what: string,
  declaredIn: string,
): string {
  const resolved = path.resolve(baseDir, reference);
  const root = realPath(workspaceRoot);
  if (!isInside(path.resolve(workspaceRoot), resolved) || !isInside(root, realPath(resolved))) {
    throw refused(
      `The ${what} "${reference}" in ${path.relative(workspaceRoot, declaredIn) || declaredIn} is outside the workspace, so it was not read: move it into the workspace or reference a file inside it.`,
      declaredIn,
      undefined,
      'workspaceRoot',
    );
  }
  return resolved;
}

/** The path relative to the workspace root with forward slashes. */
export function workspaceRelative(workspaceRoot: string, target: string): string {
  return path.relative(workspaceRoot, target).split(path.sep).join('/');
}
