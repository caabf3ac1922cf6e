// A reporter for node's test runner that counts tests (not suites) by outcome and writes the
// counts as JSON to its destination; scripts/test.ts prints them per tier. Plain JavaScript:
// node loads reporters before any --import hook, so it cannot be TypeScript.

/**
 * @param {AsyncIterable<{type: string, data?: {skip?: unknown, todo?: unknown, details?: {type?: string}, name?: string, file?: string}}>} source
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
      counts.failures.push(`${event.data?.name ?? '?'} (${event.data?.file ?? 'unknown file'})`);
    }
  }
  yield JSON.stringify(counts);
}
