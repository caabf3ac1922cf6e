// A reporter for node's test runner that counts tests (not suites) by outcome and writes the
// counts as JSON to its destination; scripts/test.ts prints them per tier. Plain JavaScript:
// node loads reporters before any --import hook, so it cannot be TypeScript.

/**
 * @param {AsyncIterable<{type: string, data?: {skip?: unknown, todo?: unknown, details?: {type?: string, error?: unknown}, name?: string, file?: string, line?: number}}>} source
 * @returns {AsyncGenerator<string>}
 */
export default async function* testCounter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: /** @type {string[]} */ ([]) };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') {
      continue;
    }
    if (event.data?.details?.type === 'suite') {
      continue;
    }
    if (event.data?.skip !== undefined || event.data?.todo !== undefined) {
      counts.skipped++;
    } else if (event.type === 'test:pass') {
      counts.passed++;
    } else {
      counts.failed++;
      const where = `${event.data?.file ?? 'unknown file'}${event.data?.line ? `:${event.data.line}` : ''}`;
      const why = failureMessage(event.data?.details?.error);
      counts.failures.push(`${event.data?.name ?? '?'} (${where})${why ? `: ${why}` : ''}`);
    }
  }
  yield JSON.stringify(counts);
}

/**
 * What a failed test says, on one line and at most 600 characters: the assertion's message (the
 * runner wraps it as the cause of its own error), so a log that keeps only the summary still
 * says why.
 * @param {unknown} error
 * @returns {string}
 */
function failureMessage(error) {
  if (!(error instanceof Error)) return error === undefined ? '' : String(error);
  const inner = error.cause instanceof Error ? error.cause : error;
  const text = [...inner.message.replace(/\s+/g, ' ').trim()]
    .map((char) => {
      const code = char.charCodeAt(0);
      const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
      return control ? `\\u${code.toString(16).padStart(4, '0')}` : char;
    })
    .join('');
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
