import type { ManifestDocument } from '../parse/manifestDocuments';
import { withoutSource } from '../parse/yamlMessages';
import { mayHoldSecret } from '../secrets/secretKinds';
import type { Finding } from '../types';

/**
 * YAML errors and warnings of one document, as findings. A repeated key is a warning: kubectl,
 * kustomize, helm and Argo CD all read such a mapping and keep the last value (kube-apiserver
 * never sees the first), so the manifest applies, but not as written. In a document that may
 * hold a Secret the parser's messages lose the source text some of them quote.
 */
export function yamlSyntaxFindings(document: ManifestDocument): Finding[] {
  const sensitive = document.problems.length > 0 && mayHoldSecret(document.text);
  return document.problems.map((problem) => {
    const base = { range: problem.range, severity: problem.severity };
    const message = sensitive ? withoutSource(problem.code, problem.message) : problem.message;
    switch (problem.code) {
      case 'DUPLICATE_KEY':
        return {
          ...base,
          severity: 'warning',
          code: 'yaml-duplicate-key',
          message:
            'This key is repeated in the same mapping: kubectl, kustomize, helm and Argo CD keep only its last value, so the earlier one has no effect. Remove or merge them.',
        };
      case 'RESOURCE_EXHAUSTION':
        // A document nested too deep (boundedYaml) or a stack the yaml package ran out of.
        return { ...base, code: 'yaml-too-deep', message: `${message}.` };
      default:
        return { ...base, code: 'yaml-syntax', message: `YAML syntax: ${message}.` };
    }
  });
}
