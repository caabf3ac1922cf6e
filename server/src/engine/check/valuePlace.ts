/**
 * Where a finding on a field a chart template wrote belongs: on the values key that set the
 * wrong value (in the chart's values.yaml, a values file, a HelmRelease's or an Application's
 * values), with the template line as a related place; else on the template line itself, when
 * the line reads no value or the value is set nowhere the workspace shows. Pure but for reads.
 */
import * as path from 'node:path';
import type { FieldPath } from '../parse/locate';
import type { ResourceOrigin, ValueOrigin } from '../render/types';
import type { Range, RelatedPlace } from '../types';
import type { SourceReader } from './renderedFindings';
import { templatePlaceOf } from './templateLines';
import { valuesReadAt } from './templateValues';

/** Where a rendered finding is reported. */
export interface SourcePlace {
  readonly file: string;
  readonly range: Range;
  /** True when the range is the field itself, not a fallback. */
  readonly exact: boolean;
  /** Said after the rendered resource in the message (`value x set here, used by ...`). */
  readonly note?: string;
  readonly related?: readonly RelatedPlace[];
}

/**
 * The values key (or else the template line) of the field at `path` of a resource rendered
 * from the template `origin.file` of the chart in `chartRoot`; undefined: the template does
 * not show the field. `keyAtFault`: the finding is about the field's key (an unknown field),
 * which is the template's when the template writes that key.
 */
export function valuePlaceOf(
  chartRoot: string,
  origin: ResourceOrigin,
  fieldPath: FieldPath,
  readSource: SourceReader,
  keyAtFault = false,
): SourcePlace | undefined {
  const template = readSource(origin.file);
  const place = template === undefined ? undefined : templatePlaceOf(template, fieldPath);
  if (template === undefined || place === undefined) return undefined;
  const templateRange = lineRange(template, place.line);
  if (keyAtFault && place.rest.length === 0) {
    // The template writes the key itself (`replica: {{ .Values.replicaCount }}`): its mistake.
    return { file: origin.file, range: templateRange, exact: false };
  }
  const value = chosenOrigin(
    valuesReadAt(template, place.line, place.rest),
    origin.values ?? [],
    path.join(chartRoot, 'values.yaml'),
  );
  const text = value ? readSource(value.file) : undefined;
  if (!value || value.line === undefined || text === undefined) {
    return { file: origin.file, range: templateRange, exact: false };
  }
  const used = `${path.relative(chartRoot, origin.file).split(path.sep).join('/')}:${place.line + 1}`;
  return {
    file: value.file,
    range: lineRange(text, value.line - 1),
    exact: false,
    note: `value ${value.key} set here, used by ${used}`,
    related: [{ file: origin.file, range: templateRange, message: `${value.key} is used here` }],
  };
}

/**
 * The origin of the key the field most likely comes from: of the keys the line reads, the first
 * one set outside the chart's own values.yaml (a user's setting), else the first one set at all.
 * A key's origin is the one of its longest part that has one (`resources` for
 * `resources.limits.cpu` when only the map is known).
 */
function chosenOrigin(
  keys: readonly string[][],
  origins: readonly ValueOrigin[],
  chartValues: string,
): ValueOrigin | undefined {
  const found = keys.flatMap((key) => {
    const origin = longestOrigin(key, origins);
    return origin ? [origin] : [];
  });
  return found.find((origin) => origin.file !== chartValues) ?? found[0];
}

function longestOrigin(
  key: readonly string[],
  origins: readonly ValueOrigin[],
): ValueOrigin | undefined {
  let best: ValueOrigin | undefined;
  let bestLength = 0;
  for (const origin of origins) {
    const segments = origin.key.split('.');
    if (segments.length <= bestLength || segments.length > key.length) continue;
    if (segments.every((segment, index) => segment === key[index])) {
      best = { ...origin, key: key.slice(0, segments.length).join('.') };
      bestLength = segments.length;
    }
  }
  return best;
}

/** The text of a line, from its first character that is not a space or a list dash. */
function lineRange(text: string, line: number): Range {
  const content = text.split(/\r?\n/)[line] ?? '';
  const start = /^[\s-]*/.exec(content)?.[0].length ?? 0;
  const end = Math.max(start, content.trimEnd().length);
  return { start: { line, character: start }, end: { line, character: end } };
}
