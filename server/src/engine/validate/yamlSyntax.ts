import type { ManifestDocument } from '../parse/manifestDocuments';
import type { Finding } from '../types';

/** YAML errors and warnings of one document, as findings. */
export function yamlSyntaxFindings(document: ManifestDocument): Finding[] {
  return document.problems.map((problem) => ({
    range: problem.range,
    severity: problem.severity,
    code: problem.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax',
    message:
      problem.code === 'DUPLICATE_KEY'
        ? `${problem.message}: remove or rename one of them (the API server keeps only one).`
        : `YAML syntax: ${problem.message}.`,
  }));
}
