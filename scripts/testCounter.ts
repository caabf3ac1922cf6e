/**
 * A reporter for node's test runner that counts tests (not suites) by outcome and writes the
 * counts as JSON to its destination. The runner (scripts/test.ts) prints them per tier.
 */
interface TestEvent {
  readonly type: string;
  readonly data?: {
    readonly skip?: unknown;
    readonly todo?: unknown;
    readonly details?: { readonly type?: string };
    readonly name?: string;
    readonly file?: string;
  };
}

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

export default async function* testCounter(
  source: AsyncIterable<TestEvent>,
): AsyncGenerator<string> {
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0, failures: [] };
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
