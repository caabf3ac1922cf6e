import type { ManifestDocument } from '../parse/manifestDocuments';
import type { Finding } from '../types';

/** YAML errors and warnings of one document, as findings. */
export function yamlSyntaxFindings(document: ManifestDocument): Finding[] {
  return document.problems.map((problem) => {
    const base = { range: problem.range, severity: problem.severity };
    switch (problem.code) {
      case 'DUPLICATE_KEY':
        return {
          ...base,
          code: 'yaml-duplicate-key',
          message: `${problem.message}: remove or rename one of them (the API server keeps only one).`,
        };
      case 'RESOURCE_EXHAUSTION':
        // A document nested too deep (boundedYaml) or a stack the yaml package ran out of.
        return { ...base, code: 'yaml-too-deep', message: `${problem.message}.` };
      default:
        return { ...base, code: 'yaml-syntax', message: `YAML syntax: ${problem.message}.` };
    }
  });
}
