/**
 * What Show Rendered Manifests shows of units: the QuickPick items of the units a file belongs
 * to, the preview's tab title after the unit it renders, and the preview address that keeps the
 * source file and the chosen unit across refreshes. Free of editor APIs, so it is tested in
 * plain Node.
 */
import type { ChosenUnit, RenderUnitChoice } from '../../server/src/protocol';

export interface UnitPickItem {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly unit: RenderUnitChoice;
}

/** One item per unit, in the server's order (the one rendered when nobody chooses first). */
export function unitItems(units: readonly RenderUnitChoice[]): UnitPickItem[] {
  return units.map((unit, index) => ({
    label: unit.label,
    description: index === 0 ? 'rendered when none is chosen' : '',
    detail: unit.where.includes(':') ? `defined in ${unit.where}` : `folder ${unit.where}`,
    unit,
  }));
}

/**
 * The tab title of the preview of `label` ("Rendered podinfo (HelmRelease apps/podinfo)"). The
 * editor titles a tab with the last segment of its document's path, so a "/" of the label is
 * written as the division slash "∕", which looks the same.
 */
export function previewTitle(label: string): string {
  return `Rendered ${label}`.replace(/[/\\]/g, '\u2215');
}

/** What the preview's address holds: the file it was opened from and the unit chosen, if any. */
export interface PreviewTarget {
  readonly source: string;
  readonly unit?: ChosenUnit;
}

/** What the preview keeps of a unit chosen from the list. */
export function chosenUnit(unit: RenderUnitChoice): ChosenUnit {
  return {
    id: unit.id,
    kind: unit.kind,
    name: unit.name,
    ...(unit.file !== undefined ? { file: unit.file } : {}),
  };
}

/** The query of a preview address (`source=...&unit=...`). */
export function previewQuery(target: PreviewTarget): string {
  const query = new URLSearchParams({ source: target.source });
  if (target.unit) {
    query.set('unit', target.unit.id);
    query.set('kind', target.unit.kind);
    query.set('name', target.unit.name);
    if (target.unit.file) query.set('file', target.unit.file);
  }
  return query.toString();
}

/** The target a preview address holds; undefined when it holds no source. */
export function previewTargetOf(query: string): PreviewTarget | undefined {
  const params = new URLSearchParams(query);
  const source = params.get('source');
  if (!source) return undefined;
  const id = params.get('unit');
  const kind = params.get('kind');
  const name = params.get('name');
  const file = params.get('file');
  if (!id || !kind || !name) return { source };
  return {
    source,
    unit: { id, kind: kind as ChosenUnit['kind'], name, ...(file ? { file } : {}) },
  };
}
