import * as path from 'node:path';
import { visit } from 'yaml';
import { parseAllDocuments } from './boundedYaml';

/** YAML files that have an `apiVersion` but are not Kubernetes resources. */
const NOT_MANIFESTS = new Set(['chart.yaml', 'chart.lock']);

/** True for file names the engine never treats as Kubernetes manifests. */
export function isKnownNonManifest(filePath: string): boolean {
  return NOT_MANIFESTS.has(path.basename(filePath).toLowerCase());
}

/**
 * Helm chart templates are Go templates, not YAML, until rendered: parsing them as YAML only
 * produces false errors. A text is one when a template action (`{{`) stands outside the YAML's
 * string values and comments (a text that does not read as YAML: on a line, outside quotes,
 * comments and block scalars): `replicas: {{ .Values.replicas }}`, a line `{{- if .Values.enabled }}`. Alerting rules, dashboards and ExternalSecret templates hold
 * actions inside strings (`summary: "{{ $labels.instance }} is down"`): they are YAML, validated
 * as such. Under a chart's `templates/` folder (`filePath`) any action makes a template, since a
 * quoted `"{{ .Release.Name }}"` there is no value yet; so does `${{ }}` anywhere (a Backstage
 * skeleton's `replicas: ${{ values.replicas }}` is a plain string until filled in).
 */
export function isTemplated(text: string, filePath?: string): boolean {
  if (!text.includes('{{')) return false;
  if (filePath !== undefined && filePath.split(/[\\/]/).includes('templates')) return true;
  // `${{ values.name }}`: Backstage's and GitHub Actions' templates, in strings or not.
  if (text.includes('${{')) return true;
  return actionOutsideStrings(text);
}

function actionOutsideStrings(text: string): boolean {
  const strings: Array<readonly [number, number]> = [];
  try {
    for (const document of parseAllDocuments(text)) {
      // A text that does not read as YAML: its lines tell whether it is a template.
      if (document.errors.length > 0) return actionOnSomeLine(text);
      visit(document, {
        Scalar(_key, node) {
          if (typeof node.value === 'string' && node.range) {
            strings.push([node.range[0], node.range[1]]);
          }
        },
      });
    }
  } catch {
    return actionOnSomeLine(text);
  }
  strings.sort((a, b) => a[0] - b[0]);
  const inString = (at: number): boolean => {
    // Few strings hold a `{{` or a `#`: a binary search finds the one that may.
    let low = 0;
    let high = strings.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const [start, end] = strings[middle] ?? [0, 0];
      if (at < start) high = middle - 1;
      else if (at >= end) low = middle + 1;
      else return true;
    }
    return false;
  };
  // Where the comment of the line of each action starts, found once per line.
  let lineStart = 0;
  let lineEnd = text.indexOf('\n');
  let comment: number | undefined;
  for (let at = text.indexOf('{{'); at !== -1; at = text.indexOf('{{', at + 2)) {
    if (inString(at)) continue;
    if (lineEnd !== -1 && at > lineEnd) {
      lineStart = text.lastIndexOf('\n', at) + 1;
      lineEnd = text.indexOf('\n', at);
      comment = undefined;
    }
    comment ??= commentStart(text, lineStart, inString);
    if (at < comment) return true;
  }
  return false;
}

/** Where the comment of the line at `lineStart` starts (a `#` not in a string); else Infinity. */
function commentStart(text: string, lineStart: number, inString: (at: number) => boolean): number {
  const lineEnd = text.indexOf('\n', lineStart);
  const end = lineEnd === -1 ? text.length : lineEnd;
  for (let hash = text.indexOf('#', lineStart); hash !== -1 && hash < end;) {
    const before = hash === lineStart ? ' ' : text[hash - 1];
    if ((before === ' ' || before === '\t') && !inString(hash)) return hash;
    hash = text.indexOf('#', hash + 1);
  }
  return Infinity;
}

/**
 * For a text that does not read as YAML: whether a line holds `{{` outside quotes, comments
 * and block scalars (`key: {{ .Values.x }}`, `{{- if .Values.on }}`). A broken manifest whose
 * actions all sit in strings is then still YAML, and its syntax error is reported.
 */
function actionOnSomeLine(text: string): boolean {
  let blockIndent = -1;
  for (const line of text.split(/\r?\n/)) {
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (lineHasAction(line)) return true;
    // `key: |`, `- >-`, `key: |2`: the lines below, more indented, are one string.
    if (opensBlockScalar(line)) blockIndent = indent;
  }
  return false;
}

/**
 * Whether the line ends with a block scalar indicator (`|`, `>-`, `|2+`), after `:`, `-` or a
 * space, maybe before a comment. Read from the end, one pass: a RegExp with `\s*` on both sides of
 * an optional part backtracks quadratically on a long run of spaces.
 */
function opensBlockScalar(line: string): boolean {
  let end = line.length;
  const comment = line.indexOf(' #');
  if (comment !== -1) end = comment;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end -= 1;
  let at = end;
  // Up to three of the indicator's modifiers: a digit and a chomping sign, in either order.
  while (at > 0 && end - at < 3 && /[+\-\d]/.test(line[at - 1] ?? '')) at -= 1;
  if (at === 0 || (line[at - 1] !== '|' && line[at - 1] !== '>')) return false;
  at -= 1;
  const before = at === 0 ? ' ' : (line[at - 1] ?? '');
  return before === ' ' || before === '\t' || before === ':' || before === '-';
}

function lineHasAction(line: string): boolean {
  if (!line.includes('{{')) return false;
  let quote = '';
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quote) {
      if (c === quote) {
        // '' inside single quotes is one quote.
        if (quote === "'" && line[i + 1] === "'") i += 1;
        else quote = '';
      } else if (quote === '"' && c === '\\') i += 1;
      continue;
    }
    if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return false;
    if ((c === '"' || c === "'") && (i === 0 || /[\s:[{,-]/.test(line[i - 1] ?? ''))) quote = c;
    else if (c === '{' && line[i + 1] === '{') return true;
  }
  return false;
}

/** A NUL byte means the file is not text, whatever its name says. */
export function isBinary(text: string): boolean {
  return text.includes('\u0000');
}

/** File names the engine validates. */
export function isYamlFileName(filePath: string): boolean {
  const lower = filePath.toLowerCase();
  return lower.endsWith('.yaml') || lower.endsWith('.yml');
}
