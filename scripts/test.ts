/**
 * `npm test`: builds (type-check, lint, format check, bundle, VSIX), then runs the test tiers
 * (unit, integration, hostile, e2e, or those named on the command line) with node's test runner and prints
 * how many tests ran in each. Fails when any test fails, is skipped, or a tier runs no test.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer } from './harness/codeServer';
import { ensureTools, testTools } from './harness/toolchain';
import { nodeBin, run } from './run';

const ROOT = path.resolve(__dirname, '..');

/** What scripts/testCounter.mjs writes for a tier. */
interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}
const TIERS = ['unit', 'integration', 'hostile', 'e2e'] as const;
type Tier = (typeof TIERS)[number];

/** Whole-tier time limits: a hung test can never hang CI. */
const TIER_TIMEOUT_MS: Record<Tier, number> = {
  unit: 10 * 60_000,
  integration: 40 * 60_000,
  hostile: 40 * 60_000,
  e2e: 30 * 60_000,
};

async function findTests(folder: string): Promise<string[]> {
  const entries = await fs
    .readdir(folder, { withFileTypes: true, recursive: true })
    .catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

async function runTier(tier: Tier, scratch: string): Promise<TestCounts> {
  const files = await findTests(path.join(ROOT, 'test', tier));
  if (files.length === 0) {
    return { passed: 0, failed: 0, skipped: 0, failures: [] };
  }
  const countsFile = path.join(scratch, `${tier}.json`);
  process.stdout.write(`\n=== ${tier}: ${files.length} test file(s) ===\n`);
  const code = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      ...(tier === 'unit' ? [] : ['--test-concurrency=1']),
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(__dirname, 'testCounter.mjs')}`,
      `--test-reporter-destination=${countsFile}`,
      ...files,
    ],
    { cwd: ROOT, timeoutMs: TIER_TIMEOUT_MS[tier] },
  );
  const counts: TestCounts = await fs
    .readFile(countsFile, 'utf8')
    .then((text) => JSON.parse(text) as TestCounts)
    .catch((): TestCounts => ({ passed: 0, failed: 0, skipped: 0, failures: [] }));
  if (code !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures.push(`the ${tier} test run exited with code ${code} (crash or time limit)`);
  }
  return counts;
}

async function main(argv: readonly string[]): Promise<number> {
  const wanted = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = wanted.filter((tier) => !(TIERS as readonly string[]).includes(tier));
  if (unknown.length > 0) {
    process.stderr.write(
      `test: unknown tier ${unknown.join(', ')}; tiers are ${TIERS.join(', ')}.\n`,
    );
    return 2;
  }
  const tiers: Tier[] = wanted.length > 0 ? (wanted as Tier[]) : [...TIERS];
  if (!argv.includes('--no-build')) {
    const buildArgs = tiers.includes('e2e') ? ['--package'] : [];
    const built = await run(
      process.execPath,
      [nodeBin('tsx/dist/cli.mjs'), 'scripts/build.ts', ...buildArgs],
      {
        cwd: ROOT,
      },
    );
    if (built !== 0) {
      process.stderr.write('test: the build failed, so no test was run.\n');
      return 1;
    }
  }
  await prepare(tiers);
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-test-'));
  const results = new Map<Tier, TestCounts>();
  try {
    for (const tier of tiers) {
      results.set(tier, await runTier(tier, scratch));
    }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  return report(results);
}

/**
 * Builds the real tools the tiers need before any test runs (a no-op when they are cached), so a
 * cold machine shows the build's progress once instead of inside a test's time limit.
 */
async function prepare(tiers: readonly Tier[]): Promise<void> {
  const started = Date.now();
  const log = (message: string): void => {
    process.stdout.write(`test: ${message}\n`);
  };
  if (tiers.some((tier) => tier !== 'unit')) {
    await ensureTools(testTools, { onProgress: (progress) => log(progress.message) });
  }
  if (tiers.includes('e2e')) {
    await ensureCodeServer({ onProgress: log });
  }
  log(`tools ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function report(results: Map<Tier, TestCounts>): number {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const problems: string[] = [];
  process.stdout.write('\n=== test tiers ===\n');
  for (const [tier, counts] of results) {
    process.stdout.write(
      `${tier.padEnd(12)} ${String(counts.passed).padStart(4)} passed ${String(counts.failed).padStart(4)} failed ${String(counts.skipped).padStart(4)} skipped\n`,
    );
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
    problems.push(...counts.failures.map((failure) => `${tier}: failed: ${failure}`));
    if (counts.passed + counts.failed === 0) {
      problems.push(`${tier}: no test ran`);
    }
    if (counts.skipped > 0) {
      problems.push(`${tier}: ${counts.skipped} test(s) skipped; a skipped test is not a pass`);
    }
  }
  for (const problem of problems) {
    process.stdout.write(`${problem}\n`);
  }
  process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  return problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`test: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
