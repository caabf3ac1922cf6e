import type { ManifestDocument } from '../parse/manifestDocuments';
import { withoutSource } from '../parse/yamlMessages';
import { mayHoldSecret } from '../secrets/secretKinds';
import type { Finding } from '../types';

/** Parser errors that mean a line is not indented (or not marked) like the lines it belongs with. */
const LAYOUT_CODES = new Set([
  'BAD_INDENT',
  'BLOCK_AS_IMPLICIT_KEY',
  'MISSING_CHAR',
  'MULTILINE_IMPLICIT_KEY',
]);

/** The parser's finding in words a person acts on; the parser's own words follow in brackets. */
function plainSyntaxMessage(code: string, detail: string): string {
  if (code === 'TAB_AS_INDENT') {
    return `YAML syntax: this line is indented with a tab; YAML allows only spaces (${detail}).`;
  }
  if (LAYOUT_CODES.has(code)) {
    return `YAML syntax: this line does not line up with the lines it belongs with, so the document cannot be read (${detail}). Indent it like its siblings, or start a list item with "- "; the rest of the document is checked once it reads.`;
  }
  return `YAML syntax: ${detail}.`;
}

/**
 * A `[` or `{` never closed: the parser notices only where the document ends, as a line that
 * "must be sufficiently indented". The finding goes on the line that opened it, where the fix is.
 */
function unclosedFlow(
  document: ManifestDocument,
  at: Finding['range'],
  detail: string,
): Pick<Finding, 'range' | 'code' | 'message'> | undefined {
  const close = /end with an? ([\]}])/.exec(detail)?.[1];
  if (!close) return undefined;
  const open = close === ']' ? '[' : '{';
  const lines = document.text.split('\n');
  const first = document.range.start.line;
  for (let index = Math.min(at.start.line - first, lines.length - 1); index >= 0; index--) {
    const text = lines[index] ?? '';
    const column = text.search(open === '[' ? /(?:^|[:-]\s+)\[/ : /(?:^|[:-]\s+)\{/);
    if (column === -1 || text.includes(close)) continue;
    // Closed on a later line, only not indented enough: the layout message says that.
    if (lines.slice(index + 1).some((later) => later.includes(close))) return undefined;
    const character = text.indexOf(open, column);
    const line = first + index;
    return {
      range: { start: { line, character }, end: { line, character: text.length } },
      code: 'yaml-syntax',
      message: `YAML syntax: this ${open} is never closed with ${close}, so the document cannot be read (${detail}). Close it on the same line, or quote the value if it is text.`,
    };
  }
  return undefined;
}

/**
 * YAML errors and warnings of one document, as findings. A syntax error is reported once per
 * document, at the first place the parser stopped understanding it: the errors after it are
 * the parser losing its way (one mis-indented line gives a dozen), not more mistakes. A repeated
 * key is a warning: kubectl, kustomize, helm and Argo CD all read such a mapping and keep the
 * last value (kube-apiserver never sees the first), so the manifest applies, but not as
 * written. In a document that may hold a Secret the parser's messages lose the source text some
 * of them quote.
 */
export function yamlSyntaxFindings(document: ManifestDocument): Finding[] {
  const sensitive = document.problems.length > 0 && mayHoldSecret(document.text);
  let syntaxReported = false;
  return document.problems.flatMap((problem): Finding[] => {
    const base = { range: problem.range, severity: problem.severity };
    const message = sensitive ? withoutSource(problem.code, problem.message) : problem.message;
    switch (problem.code) {
      case 'DUPLICATE_KEY':
        return [
          {
            ...base,
            severity: 'warning',
            code: 'yaml-duplicate-key',
            message:
              'This key is repeated in the same mapping: kubectl, kustomize, helm and Argo CD keep only its last value, so the earlier one has no effect. Remove or merge them.',
          },
        ];
      case 'RESOURCE_EXHAUSTION':
        // A document nested too deep (boundedYaml) or a stack the yaml package ran out of.
        return [{ ...base, code: 'yaml-too-deep', message: `${message}.` }];
      default:
        if (problem.severity === 'error') {
          if (syntaxReported) return [];
          syntaxReported = true;
        }
        {
          const unclosed = unclosedFlow(document, problem.range, message);
          if (unclosed) return [{ ...base, ...unclosed }];
        }
        return [
          { ...base, code: 'yaml-syntax', message: plainSyntaxMessage(problem.code, message) },
        ];
    }
  });
}
