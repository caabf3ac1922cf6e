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
 * string values, or it does not read as YAML: `replicas: {{ .Values.replicas }}`, a line
 * `{{- if .Values.enabled }}`. Alerting rules, dashboards and ExternalSecret templates hold
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
      if (document.errors.length > 0) return true;
      visit(document, {
        Scalar(_key, node) {
          if (typeof node.value === 'string' && node.range) {
            strings.push([node.range[0], node.range[1]]);
          }
        },
      });
    }
  } catch {
    return true;
  }
  strings.sort((a, b) => a[0] - b[0]);
  let next = 0;
  for (let at = text.indexOf('{{'); at !== -1; at = text.indexOf('{{', at + 2)) {
    while (next < strings.length && (strings[next]?.[1] ?? 0) <= at) next++;
    const inside = strings[next];
    if (!inside || inside[0] > at) return true;
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
