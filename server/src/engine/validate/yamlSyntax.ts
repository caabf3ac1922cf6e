import type { ManifestDocument } from '../parse/manifestDocuments';
import { withoutSource } from '../parse/yamlMessages';
import { mayHoldSecret } from '../secrets/secretKinds';
import type { Finding } from '../types';

/**
 * YAML errors and warnings of one document, as findings. In a document that may hold a Secret
 * the parser's messages lose the source text some of them quote (`Not a YAML token: ...`).
 */
export function yamlSyntaxFindings(document: ManifestDocument): Finding[] {
  const sensitive = document.problems.length > 0 && mayHoldSecret(document.text);
  return document.problems.map((problem) => {
    const message = sensitive ? withoutSource(problem.code, problem.message) : problem.message;
    return {
      range: problem.range,
      severity: problem.severity,
      code: problem.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax',
      message:
        problem.code === 'DUPLICATE_KEY'
          ? `${message}: remove or rename one of them (the API server keeps only one).`
          : `YAML syntax: ${message}.`,
    };
  });
}
