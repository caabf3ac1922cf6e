import type { ManifestDocument } from '../parse/manifestDocuments';
import type { Finding } from '../types';

/**
 * YAML errors and warnings of one document, as findings. A repeated key is a warning: kubectl,
 * kustomize, helm and Argo CD all read such a mapping and keep the last value (kube-apiserver
 * never sees the first), so the manifest applies, but not as written.
 */
export function yamlSyntaxFindings(document: ManifestDocument): Finding[] {
  return document.problems.map((problem) =>
    problem.code === 'DUPLICATE_KEY'
      ? {
          range: problem.range,
          severity: 'warning',
          code: 'yaml-duplicate-key',
          message:
            'This key is repeated in the same mapping: kubectl, kustomize, helm and Argo CD keep only its last value, so the earlier one has no effect. Remove or merge them.',
        }
      : {
          range: problem.range,
          severity: problem.severity,
          code: 'yaml-syntax',
          message: `YAML syntax: ${problem.message}.`,
        },
  );
}
