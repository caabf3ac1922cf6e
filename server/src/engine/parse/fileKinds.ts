import * as path from 'node:path';

/** YAML files that have an `apiVersion` but are not Kubernetes resources. */
const NOT_MANIFESTS = new Set(['chart.yaml', 'chart.lock']);

/** True for file names the engine never treats as Kubernetes manifests. */
export function isKnownNonManifest(filePath: string): boolean {
  return NOT_MANIFESTS.has(path.basename(filePath).toLowerCase());
}

/**
 * Helm chart templates are Go templates, not YAML, until rendered: parsing them as YAML only
 * produces false errors.
 */
export function isTemplated(text: string): boolean {
  return text.includes('{{');
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
