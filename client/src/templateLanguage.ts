/**
 * Which YAML files the `helm-template` language wrongly claims: its file patterns catch every
 * `templates/*.yaml`, but only a folder named `templates` directly inside a chart (next to a
 * `Chart.yaml`) holds chart templates. Free of editor APIs, so it is tested in plain Node.
 */
import * as path from 'node:path';

/** The language the extension gives chart templates, by its file patterns. */
export const TEMPLATE_LANGUAGE = 'helm-template';

/**
 * The `Chart.yaml` that would make `file` a chart template: the one in the parent of its
 * nearest `templates` folder. Undefined for a file that is not YAML or in no `templates` folder
 * (`_helpers.tpl` and other `.tpl` files are always templates).
 */
export function chartFileOf(file: string, pathApi: path.PlatformPath = path): string | undefined {
  if (!/\.ya?ml$/i.test(file)) return undefined;
  let folder = pathApi.dirname(file);
  while (pathApi.basename(folder) !== 'templates') {
    const parent = pathApi.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
  return pathApi.join(pathApi.dirname(folder), 'Chart.yaml');
}

/**
 * The language a document should have instead of the one it opened with: `yaml` for a
 * `helm-template` YAML file whose `templates` folder is in no chart; undefined: keep it.
 */
export function plainManifestLanguage(
  languageId: string,
  file: string,
  exists: (file: string) => boolean,
  pathApi: path.PlatformPath = path,
): 'yaml' | undefined {
  if (languageId !== TEMPLATE_LANGUAGE) return undefined;
  const chartFile = chartFileOf(file, pathApi);
  return chartFile !== undefined && !exists(chartFile) ? 'yaml' : undefined;
}
