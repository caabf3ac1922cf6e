/**
 * The findings a branch brings to the rendered output: the rendered validation `check` runs
 * (schemas, deprecated and removed APIs, references between resources), on each side, and
 * those at the head the base does not have. A finding is the same on both sides when its code,
 * source file and message are (its line may move with the branch's edits); repeated findings
 * are counted, so a second copy of an existing mistake is new.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderedFindings, unitResourcesOf } from '../check/renderedFindings';
import { WorkspaceResources } from '../crossref';
import type { RenderedResource, RenderUnit } from '../render/types';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { FileFinding } from '../types';
import type { ImpactFinding } from './branchImpactTypes';
import type { IndexedSide, SideReads } from './impactUnits';
import { pathInSnapshot } from './headSnapshot';

/** Codes reported even as warnings: an API the branch starts to use that is going away. */
const API_CODES: ReadonlySet<string> = new Set([
  'deprecated-api-version',
  'removed-api-version',
  'flux-api-deprecated',
  'flux-api-removed',
]);

/** What one side rendered of one unit. */
export interface SideRender {
  readonly unit: RenderUnit;
  readonly resources: readonly RenderedResource[];
  readonly secretValues?: readonly string[];
}

/**
 * What every unit of a side defines, so a unit's reference checks know what the others provide
 * (as `check` judges them).
 */
export function sideResources(renders: Iterable<SideRender>): WorkspaceResources {
  return new WorkspaceResources(
    [...renders].map(({ unit, resources }) => ({
      resources: unitResourcesOf(resources),
      options: unit.namespace ? { defaultNamespace: unit.namespace } : {},
    })),
  );
}

/** The findings `check` reports on a unit's rendered output that an impact reports. */
export function sideFindings(
  render: SideRender,
  registry: SchemaRegistry,
  workspace: WorkspaceResources,
  read: (file: string) => string | undefined,
): FileFinding[] {
  return renderedFindings(
    render.unit,
    render.resources,
    registry,
    read,
    { workspace },
    render.secretValues ?? [],
  ).filter((finding) => finding.severity === 'error' || API_CODES.has(finding.code));
}

/**
 * Findings of `head` that `base` does not have, with the snapshot folders of each side taken
 * out of paths and messages (`dirs`), files relative to the repository.
 */
export function newFindings(
  base: readonly FileFinding[],
  head: readonly FileFinding[],
  dirs: { readonly base: string; readonly head: string },
): ImpactFinding[] {
  const counts = new Map<string, number>();
  for (const finding of base) {
    const key = keyOf(finding, dirs.base, dirs);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const found: ImpactFinding[] = [];
  for (const finding of head) {
    const key = keyOf(finding, dirs.head, dirs);
    const left = counts.get(key) ?? 0;
    if (left > 0) {
      counts.set(key, left - 1);
      continue;
    }
    found.push({
      severity: finding.severity === 'error' ? 'error' : 'warning',
      code: finding.code,
      message: withoutDirs(finding.message, dirs),
      file: relativeTo(dirs.head, finding.file),
      line: finding.range.start.line + 1,
    });
  }
  return found;
}

/**
 * Either snapshot's folder taken out: a unit the head did not render again is checked with its
 * base render, whose paths name the base's folder.
 */
function withoutDirs(text: string, dirs: { readonly base: string; readonly head: string }): string {
  return withoutDir(withoutDir(text, dirs.base), dirs.head);
}

function keyOf(
  finding: FileFinding,
  dir: string,
  dirs: { readonly base: string; readonly head: string },
): string {
  return [finding.code, relativeTo(dir, finding.file), withoutDirs(finding.message, dirs)].join(
    '\0',
  );
}

/**
 * `file` relative to `dir`, `/`-separated; a file of another snapshot (a render the cache served
 * from the other side) relative to that snapshot.
 */
export function relativeTo(dir: string, file: string): string {
  const inSnapshot = pathInSnapshot(path.resolve(dir, file));
  if (inSnapshot !== undefined) return inSnapshot || '.';
  const relative = path.relative(dir, path.resolve(dir, file));
  return relative.startsWith('..') || path.isAbsolute(relative)
    ? file
    : relative.split(path.sep).join('/') || '.';
}

/**
 * `relativeTo(dir, file)` for the many files a render of the snapshot folder `dir` reads: a file
 * inside it is relative to it without looking for the temporary folder again.
 */
export function relativeToSnapshot(dir: string): (file: string) => string {
  const root = path.resolve(dir);
  const snapshotRoot = pathInSnapshot(root) === '';
  return (file: string): string => {
    const absolute = path.resolve(root, file);
    return snapshotRoot && absolute.startsWith(root + path.sep)
      ? absolute
          .slice(root.length + 1)
          .split(path.sep)
          .join('/')
      : relativeTo(dir, file);
  };
}

/** `text` with the snapshot folder `dir` taken out of the paths it names. */
export function withoutDir(text: string, dir: string): string {
  return text
    .split(dir + path.sep)
    .join('')
    .split(dir)
    .join('.');
}

/**
 * The new findings of each unit: every unit is checked on both sides against what its side's
 * units define, so a change in one app that breaks a reference of another is found too (an
 * app not rendered again at the head is checked with its base output, which is its head output).
 */
export function findingsByUnit(
  registry: SchemaRegistry,
  base: IndexedSide,
  head: IndexedSide,
  baseRenders: ReadonlyMap<string, SideReads>,
  headRenders: ReadonlyMap<string, SideReads>,
): Map<string, ImpactFinding[]> {
  const sideOf = (
    side: IndexedSide,
    renders: ReadonlyMap<string, SideReads>,
  ): Map<string, SideRender> => {
    const out = new Map<string, SideRender>();
    for (const [key, { result }] of renders) {
      const unit = side.units.get(key);
      if (!unit || !result?.ok) continue;
      out.set(key, {
        unit,
        resources: result.resources,
        ...(result.secretValues ? { secretValues: result.secretValues } : {}),
      });
    }
    return out;
  };
  const left = sideOf(base, baseRenders);
  const right = sideOf(head, headRenders);
  if ([...headRenders].every(([key, render]) => baseRenders.get(key) === render)) {
    if (left.size === right.size) return new Map();
  }
  const leftWorkspace = sideResources(left.values());
  const rightWorkspace = sideResources(right.values());
  const found = new Map<string, ImpactFinding[]>();
  for (const [key, render] of right) {
    const before = left.get(key);
    const was: FileFinding[] = before
      ? sideFindings(before, registry, leftWorkspace, readText)
      : [];
    const now = sideFindings(render, registry, rightWorkspace, readText);
    const added = newFindings(was, now, { base: base.dir, head: head.dir });
    if (added.length > 0) found.set(key, added);
  }
  return found;
}

/** A file's text, or undefined when it cannot be read. */
export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
