/**
 * Values from several sources checked against a chart's `values.schema.json` as helm checks
 * them: the user's sources merged in order (values files and inline values map by map, `--set`
 * parameters applied on the result), then coalesced over the chart's defaults (a `null` removes
 * the default it stands over). Each refused value is put on the source that set it last (the
 * layer of the highest precedence that sets it, a parent of it, or something under it), where
 * that source says; a source with no place (the chart's defaults, a values file checked on its
 * own) reports nothing here. A value set by a Secret is never quoted. Pure.
 */
import type { Document, Node } from 'yaml';
import { MAX_ALIAS_COUNT } from '../parse/boundedYaml';
import type { Finding, Range } from '../types';
import { mergeValues } from '../render/helmValues';
import { isMapValue as isValuesMap } from '../render/yamlDocs';
import { SetValuesError, applySetValues } from './setValues';
import { pointerOf, schemaViolations } from './valuesSchema';
import type { SchemaViolation, ValuesPath } from './valuesSchema';

export type ValuesMap = Record<string, unknown>;

/** Where a refused value of a layer is shown. */
export interface ValuesPlacement {
  readonly file: string;
  readonly range: Range;
}

interface LayerBase {
  /** Where the value at a path of this layer is; undefined: reported elsewhere, or not at all. */
  readonly place?: (at: ValuesPath) => ValuesPlacement | undefined;
  /** Values of a Secret: a message never quotes them. */
  readonly secret?: boolean;
}

/** A values file or inline values: merged map by map over the layers before it. */
export interface MapLayer extends LayerBase {
  readonly values: ValuesMap;
}

/** A `--set` (or `--set-string`) expression applied to the layers before it. */
export interface SetLayer extends LayerBase {
  readonly set: string;
  readonly forceString: boolean;
}

export type ValuesLayer = MapLayer | SetLayer;

/** A finding and the file it is about. */
export interface PlacedFinding {
  readonly file: string;
  readonly finding: Finding;
}

/** What a chart's values are checked against. */
export interface LayeredChart {
  readonly name: string;
  readonly schema: unknown;
  /** The chart's defaults (values.yaml, and for Flux its `valuesFiles` merged in). */
  readonly defaults: ValuesMap;
}

/**
 * The findings of `layers` over `chart`'s defaults; undefined when helm stops before it checks
 * the schema (a `--set` it cannot parse or apply).
 */
export function layeredFindings(
  chart: LayeredChart,
  layers: readonly ValuesLayer[],
): PlacedFinding[] | undefined {
  let user: ValuesMap = {};
  const touched: Array<(at: ValuesPath) => boolean> = [];
  for (const layer of layers) {
    if ('set' in layer) {
      let paths: ValuesPath[];
      try {
        paths = applySetValues(user, layer.set, layer.forceString);
      } catch (error) {
        if (error instanceof SetValuesError) return undefined;
        throw error;
      }
      touched.push((at) => paths.some((set) => isPrefix(set, at) || isPrefix(at, set)));
    } else {
      user = mergeValues(user, layer.values);
      const values = layer.values;
      touched.push((at) => touches(values, at));
    }
  }
  const merged = coalesceDefaults(user, chart.defaults, true);
  const findings: PlacedFinding[] = [];
  const seen = new Set<string>();
  for (const violation of schemaViolations(merged, chart.schema)) {
    const at = violation.key === undefined ? violation.path : [...violation.path, violation.key];
    let owner = -1;
    for (let index = layers.length - 1; index >= 0 && owner < 0; index--) {
      if (touched[index]?.(at)) owner = index;
    }
    const layer = layers[owner];
    const placement = layer?.place?.(at);
    if (!layer || !placement) continue;
    const message = messageOf(violation, chart.name, layer.secret ? valueAt(merged, at) : NONE);
    const key = `${placement.file}:${placement.range.start.line}:${placement.range.start.character}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({
      file: placement.file,
      finding: { range: placement.range, severity: 'error', code: 'values-schema', message },
    });
  }
  return findings;
}

const NONE = Symbol('none');

/** The finding's words (the existing style), with a Secret's value never quoted. */
function messageOf(violation: SchemaViolation, chartName: string, secret: unknown): string {
  let words = violation.message;
  if (typeof secret === 'string') words = words.split(`'${secret}'`).join('(a Secret value)');
  if (typeof secret === 'number') {
    words = words.split(`got ${secret},`).join('got (a Secret value),');
  }
  return `At '${pointerOf(violation.path)}': ${words} (values.schema.json of chart ${chartName}: helm does not render these values).`;
}

/**
 * Helm's coalesce of user values over a chart's defaults: the user's value wins, maps merge, a
 * user `null` removes the default it stands over (below the top level only a non-null one).
 */
export function coalesceDefaults(user: ValuesMap, defaults: ValuesMap, top: boolean): ValuesMap {
  const merged: ValuesMap = { ...user };
  for (const [key, fallback] of Object.entries(defaults)) {
    if (!Object.hasOwn(merged, key)) {
      merged[key] = fallback;
      continue;
    }
    const value = merged[key];
    if (value === null) {
      if (top || fallback !== null) delete merged[key];
    } else if (isValuesMap(value) && isValuesMap(fallback)) {
      merged[key] = coalesceDefaults(value, fallback, false);
    }
  }
  return merged;
}

/**
 * True when `values` sets the value at `at`, a value above it (which replaces all under it) or
 * something under it. The root: any key.
 */
function touches(values: ValuesMap, at: ValuesPath): boolean {
  if (at.length === 0) return Object.keys(values).length > 0;
  let node: unknown = values;
  for (const segment of at) {
    if (!isValuesMap(node)) return true;
    if (typeof segment !== 'string' || !Object.hasOwn(node, segment)) return false;
    node = node[segment];
  }
  return true;
}

function valueAt(values: unknown, at: ValuesPath): unknown {
  let node = values;
  for (const segment of at) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isValuesMap(node) && typeof segment === 'string') node = node[segment];
    else return undefined;
  }
  return node;
}

function isPrefix(prefix: ValuesPath, path: ValuesPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/**
 * The values of a node of `document` (its contents by default) as helm reads them; `{}` for
 * none, undefined when they are not a map.
 */
export function documentValues(
  document: Document,
  node: Node | null | undefined = document.contents,
): ValuesMap | undefined {
  if (node === null || node === undefined) return {};
  try {
    const value = node.toJS(document, { maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
    return isValuesMap(value) ? value : value === null ? {} : undefined;
  } catch {
    return undefined;
  }
}
