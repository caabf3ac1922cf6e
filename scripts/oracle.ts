/**
 * `npm run oracle`: the differential oracle. A seeded generator mutates valid manifests of some
 * 40 kinds (workloads, Service, Ingress, RBAC, Flux, Argo CD, custom resources with CEL rules);
 * every case goes to a real kube-apiserver (server-side apply, dryRun=All, strict field
 * validation) and to the validator, and the verdicts are compared.
 *
 *   npm run oracle -- [--seed N] [--cases N] [--concurrency N] [--kind K] [--json FILE] [--verbose]
 *
 * Exits 1 on any false error (we reject what the server accepts) or when the agreement is below
 * 99%, so it can gate CI; 2 on a usage or start-up error.
 */
import { promises as fs } from 'node:fs';
import { loadBases } from './oracle/bases';
import { sampleCases } from './oracle/cases';
import { judgeAll } from './oracle/judge';
import { AGREEMENT_TARGET, formatReport, summarize } from './oracle/report';
import { ORACLE_NAMESPACE, startOracleSession } from './oracle/session';

interface Options {
  seed: number;
  cases: number;
  concurrency: number;
  kind: string | undefined;
  json: string | undefined;
  verbose: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    seed: 1,
    cases: 2400,
    concurrency: 6,
    kind: undefined,
    json: undefined,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    const count = (): number => {
      const text = value();
      const parsed = Number(text);
      if (!Number.isInteger(parsed) || parsed < 0) {
        throw new Error(`${arg} takes a whole number, not "${text}"`);
      }
      return parsed;
    };
    if (arg === '--seed') options.seed = count();
    else if (arg === '--cases') options.cases = count();
    else if (arg === '--concurrency') options.concurrency = Math.max(1, count());
    else if (arg === '--kind') options.kind = value();
    else if (arg === '--json') options.json = value();
    else if (arg === '--verbose') options.verbose = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

async function main(argv: readonly string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(
      `${(error as Error).message}\nusage: npm run oracle -- [--seed N] [--cases N] [--concurrency N] [--kind K] [--json FILE] [--verbose]\n`,
    );
    return 2;
  }
  const started = Date.now();
  const bases = (await loadBases()).filter(
    (base) => options.kind === undefined || base.kind === options.kind,
  );
  if (bases.length === 0) {
    process.stderr.write(`No base manifest of kind ${options.kind ?? ''}.\n`);
    return 2;
  }
  process.stdout.write('Starting etcd and kube-apiserver...\n');
  const session = await startOracleSession();
  try {
    const cases = sampleCases(bases, session.registry, {
      seed: options.seed,
      count: options.cases,
    });
    process.stdout.write(`Judging ${cases.length} cases...\n`);
    let shown = 0;
    const judgements = await judgeAll(cases, session.kube, session.registry, ORACLE_NAMESPACE, {
      concurrency: options.concurrency,
      onProgress: (done) => {
        if (process.stdout.isTTY && (done - shown >= 50 || done === cases.length)) {
          shown = done;
          process.stdout.write(`\r  ${done}/${cases.length}`);
          if (done === cases.length) process.stdout.write('\n');
        }
      },
    });
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      formatReport(judgements, {
        seed: options.seed,
        seconds,
        kubernetesVersion: session.kubernetesVersion,
        verbose: options.verbose,
      }),
    );
    if (options.json) {
      await fs.writeFile(
        options.json,
        JSON.stringify(
          judgements.map((j) => ({
            id: j.oracleCase.id,
            kind: j.oracleCase.kind,
            verdict: j.verdict,
            offFocus: j.offFocus,
            focus: j.oracleCase.focus,
            server: j.server,
            ours: j.errors.map((f) => ({
              line: f.range.start.line,
              code: f.code,
              message: f.message,
            })),
            text: j.oracleCase.text,
          })),
          null,
          1,
        ),
      );
    }
    const summary = summarize(judgements);
    return summary.falseErrors === 0 && summary.agreement >= AGREEMENT_TARGET ? 0 : 1;
  } finally {
    await session.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `The oracle could not run: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
