/**
 * Navigation between a chart's templates and its values files: from `.Values.a.b` in a template
 * to the key `a.b` in the chart's `values.yaml` and the other values files of the chart folder
 * that set it; from a key of a values file to the template lines that read it. Files are read
 * with the editor's buffers first, inside the chart folder only, with limits on count and size.
 */
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { readRepoText } from '../files/repoFile';
import type { Position, Range } from '../types';
import { isChartValuesFile } from './valuesFindings';
import {
  readsKey,
  valuesKeyAt,
  valuesKeyRange,
  valuesUseAt,
  valuesUsesIn,
} from './valuesReferences';

export interface ValuesLocation {
  readonly file: string;
  readonly range: Range;
}

export interface ValuesNavigationContext {
  /** An editor buffer, read before the disk. */
  readonly readText?: (file: string) => string | undefined;
  readonly signal?: AbortSignal;
}

const MAX_TEMPLATE_FILES = 2000;
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const TEMPLATE_FILE = /\.(ya?ml|tpl|txt|json)$/i;

/** The chart folder holding `file` in its `templates/` folder; undefined: not a template. */
export function chartOfTemplate(file: string): string | undefined {
  let folder = path.dirname(path.resolve(file));
  for (let depth = 0; depth < 32; depth++) {
    if (path.basename(folder) === 'templates') {
      const chart = path.dirname(folder);
      return existsFile(path.join(chart, 'Chart.yaml')) ? chart : undefined;
    }
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
  return undefined;
}

/**
 * Where the values key under the cursor of a template is set: `values.yaml` first, then the
 * chart folder's other values files that set it. Undefined: the cursor is on no values use. A
 * key no file sets goes to the nearest key above it in `values.yaml`.
 */
export async function valuesDefinitionAt(
  text: string,
  position: Position,
  file: string,
  context: ValuesNavigationContext = {},
): Promise<ValuesLocation[] | undefined> {
  const chart = chartOfTemplate(file);
  const key = chart ? valuesUseAt(text, position) : undefined;
  if (!chart || !key) return undefined;
  const targets: ValuesLocation[] = [];
  for (const valuesFile of await valuesFilesOf(chart)) {
    const valuesText = await readText(valuesFile, context);
    const range = valuesText === undefined ? undefined : valuesKeyRange(valuesText, key);
    if (range) targets.push({ file: valuesFile, range });
  }
  if (targets.length > 0) return targets;
  const defaults = path.join(chart, 'values.yaml');
  const defaultsText = await readText(defaults, context);
  for (let length = key.length - 1; length > 0 && defaultsText !== undefined; length--) {
    const range = valuesKeyRange(defaultsText, key.slice(0, length));
    if (range) return [{ file: defaults, range }];
  }
  return [];
}

/**
 * The template uses of the key under the cursor of a chart's values file (and, with
 * `includeDeclaration`, the key itself). Undefined: not a values file of a chart, or no key.
 */
export async function valuesReferencesAt(
  text: string,
  position: Position,
  file: string,
  context: ValuesNavigationContext & { readonly includeDeclaration?: boolean } = {},
): Promise<ValuesLocation[] | undefined> {
  const chart = path.dirname(path.resolve(file));
  if (!isChartValuesFile(file) || !existsFile(path.join(chart, 'Chart.yaml'))) return undefined;
  const key = valuesKeyAt(text, position);
  if (!key) return undefined;
  const found: ValuesLocation[] = [];
  if (context.includeDeclaration) {
    const own = valuesKeyRange(text, key);
    if (own) found.push({ file: path.resolve(file), range: own });
  }
  for (const template of await templateFilesOf(chart, context.signal)) {
    const templateText = await readText(template, context);
    if (templateText === undefined || !templateText.includes('Values')) continue;
    for (const use of valuesUsesIn(templateText)) {
      if (readsKey(use.path, key)) found.push({ file: template, range: use.range });
    }
  }
  return found;
}

/** The values files of a chart folder: `values.yaml` first, then the others by name. */
async function valuesFilesOf(chart: string): Promise<string[]> {
  const names = await fs.readdir(chart).catch(() => [] as string[]);
  return names
    .filter((name) => isChartValuesFile(name) && existsFile(path.join(chart, name)))
    .sort((a, b) => (a === 'values.yaml' ? -1 : b === 'values.yaml' ? 1 : a.localeCompare(b)))
    .map((name) => path.join(chart, name));
}

/** The files of a chart's `templates/` folder (not its subcharts'), in path order. */
async function templateFilesOf(chart: string, signal?: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  const folders = [path.join(chart, 'templates')];
  while (folders.length > 0 && files.length < MAX_TEMPLATE_FILES) {
    signal?.throwIfAborted();
    const folder = folders.shift() ?? '';
    const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) folders.push(full);
      else if (entry.isFile() && TEMPLATE_FILE.test(entry.name)) files.push(full);
    }
  }
  return files.slice(0, MAX_TEMPLATE_FILES).sort();
}

async function readText(
  file: string,
  context: ValuesNavigationContext,
): Promise<string | undefined> {
  return (
    context.readText?.(file) ?? (await readRepoText(file, MAX_FILE_BYTES).catch(() => undefined))
  );
}

function existsFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}
