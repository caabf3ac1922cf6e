/**
 * The one answer to "is this path in that folder?", used wherever a unit, a repository or the
 * workspace bounds what is read: the folder itself counts as inside, a sibling whose name merely
 * starts with `..` (`..data`) is inside too, and paths on another drive are not.
 */
import * as path from 'node:path';

/** True when `target` is `folder` or below it (both resolved against the current folder). */
export function isInside(folder: string, target: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(target));
  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
  );
}

/** True when `target` is below `folder`, not `folder` itself. */
export function isStrictlyInside(folder: string, target: string): boolean {
  return isInside(folder, target) && path.resolve(folder) !== path.resolve(target);
}
