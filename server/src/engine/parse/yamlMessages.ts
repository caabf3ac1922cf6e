import { YAMLError } from 'yaml';

/**
 * A `yaml` parser message without the source text some of them quote (`Not a YAML token: <text>`,
 * `Unresolved tag: <tag>`, `Invalid escape sequence \q`), for a text that may hold a Secret: the
 * sentence before the quote still says what is wrong.
 */
export function withoutSource(code: string, message: string): string {
  const first = message.split('\n')[0] ?? '';
  if (code === 'BAD_DQ_ESCAPE') return 'Invalid escape sequence in a double-quoted value';
  if (/^Verbatim tags aren't resolved/.test(first)) return "Verbatim tags aren't resolved";
  if (/^The .* tag has no suffix/.test(first)) return 'A tag has no suffix';
  const colon = first.indexOf(': ');
  return colon === -1 ? first : first.slice(0, colon);
}

/**
 * A YAML error thrown by `parse` as a short phrase with its place (`Map keys must be unique at
 * line 3, column 1`), quoting none of the source: for messages about texts that may hold secret
 * values (a kustomization's `secretGenerator`, values read from a Secret).
 */
export function yamlErrorSummary(error: unknown): string {
  if (!(error instanceof YAMLError)) {
    return 'it could not be read';
  }
  const [sentence] = withoutSource(error.code, error.message).split(/ at line \d+, column \d+/);
  const at = error.linePos?.[0];
  return at ? `${sentence ?? ''} at line ${at.line}, column ${at.col}` : (sentence ?? '');
}
