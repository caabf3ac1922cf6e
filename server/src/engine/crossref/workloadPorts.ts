import { list, record, text } from '../validate/ruleContext';
import type { PodTemplate } from './podTemplates';

/** The named container ports of a pod template (sidecars in `initContainers` included). */
export function containerPortNames(pods: PodTemplate): string[] {
  const names: string[] = [];
  for (const listName of ['initContainers', 'containers']) {
    for (const container of list(pods.spec[listName])) {
      for (const port of list(record(container)?.['ports'])) {
        const name = text(record(port)?.['name']);
        if (name) {
          names.push(name);
        }
      }
    }
  }
  return names;
}

/** Whether a Service's map selector selects pods with these labels (all pairs present). */
export function mapSelects(
  selector: Readonly<Record<string, unknown>>,
  labels: Readonly<Record<string, unknown>>,
): boolean {
  return Object.entries(selector).every(
    ([key, value]) => key in labels && String(labels[key]) === String(value),
  );
}
