import type { ResourceIndex } from './resourceIndex';
import type { CrossResourceFinding } from './types';

/**
 * No two resources of a unit share API group, kind, namespace and name: applying the unit would
 * keep only the last one. The second and later ones are reported, as errors.
 */
export function duplicateChecks(index: ResourceIndex): CrossResourceFinding[] {
  const seen = new Set<string>();
  const findings: CrossResourceFinding[] = [];
  for (const entry of index.entries) {
    const key = [entry.group, entry.kind, entry.namespace, entry.name].join('\u0000');
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    const where = entry.namespace ? ` in namespace "${entry.namespace}"` : '';
    findings.push({
      resourceId: entry.resource.id,
      path: ['metadata', 'name'],
      severity: 'error',
      code: 'duplicate-resource',
      message:
        `Another ${entry.kind} named "${entry.name}"${where} comes earlier in this unit: applying ` +
        `the unit keeps only one of them. Rename or remove one of the two.`,
    });
  }
  return findings;
}
