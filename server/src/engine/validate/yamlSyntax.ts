import type { ManifestDocument, YamlProblem } from '../parse/manifestDocuments';
import { mayHoldSecret } from '../secrets/secretKinds';
import type { Finding } from '../types';

/**
 * YAML errors and warnings of one document, as findings. In a document that may hold a Secret
 * the parser's messages lose the source text some of them quote (`Not a YAML token: ...`).
 */
export function yamlSyntaxFindings(document: ManifestDocument): Finding[] {
  const sensitive = document.problems.length > 0 && mayHoldSecret(document.text);
  return document.problems.map((problem) => {
    const message = sensitive ? withoutSource(problem) : problem.message;
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

/**
 * The parser's message without the source text it quotes: the `yaml` package appends it after a
 * colon (`Not a YAML token: <text>`, `Unresolved tag: <tag>`) or names an escape, a tag or a
 * token in the sentence; the sentence before it still says what is wrong.
 */
function withoutSource(problem: YamlProblem): string {
  const message = problem.message;
  if (problem.code === 'BAD_DQ_ESCAPE') return 'Invalid escape sequence in a double-quoted value';
  if (/^Verbatim tags aren't resolved/.test(message)) return "Verbatim tags aren't resolved";
  if (/^The .* tag has no suffix/.test(message)) return 'A tag has no suffix';
  const colon = message.indexOf(': ');
  return colon === -1 ? message : message.slice(0, colon);
}
