/**
 * One mistake, one problem: what rendered output says of a file is left out where the file's
 * own validation already says it. Shared by the editor and `check`. Pure.
 */
import type { Finding } from '../types';

/**
 * True when a rendered finding repeats one of the file's own: the same code on the same line,
 * at the same column or in the same words (the rendered message adds where it was rendered).
 */
export function repeatsOwn(own: readonly Finding[], rendered: Finding): boolean {
  return own.some(
    (mine) =>
      mine.code === rendered.code &&
      mine.range.start.line === rendered.range.start.line &&
      (mine.range.start.character === rendered.range.start.character ||
        rendered.message.startsWith(mine.message)),
  );
}

/**
 * The rendered findings of one file that say something its own findings do not. A render that
 * failed in a file whose YAML does not read is left out too: the file's syntax finding says
 * where and why, and the tool's message only repeats it in its own words.
 */
export function renderedBeside<T extends Finding>(
  own: readonly Finding[],
  rendered: readonly T[],
): T[] {
  const unreadable = own.some((mine) => mine.code === 'yaml-syntax' && mine.severity === 'error');
  return rendered.filter(
    (finding) => !(unreadable && finding.code === 'render-failed') && !repeatsOwn(own, finding),
  );
}
