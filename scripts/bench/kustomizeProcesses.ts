/**
 * `npm run bench:kustomize-processes`: what starting a kustomize process per unit costs. Every
 * kustomization of a corpus is built two ways, in the same run, as many at once as there are
 * cores, with the Go settings the product gives its tools:
 *   1. `kustomize build <folder>`, a process per unit: what `check` runs, and the floor of
 *      issue 19 (`bench:monorepo`);
 *   2. one long-lived `kustomizebatch` process per core (tools/kustomizebatch: kustomize's own
 *      API, sigs.k8s.io/kustomize/api/krusty, at the version the pinned CLI is built from), the
 *      units dealt out in turn.
 * The first round compares the two outputs of every unit byte for byte (and that a unit that
 * fails one way fails the other way too); any difference fails the benchmark. The corpora: the
 * generated monorepo of `bench:monorepo` (603 units) and the kustomizations of the real
 * repositories in test/fixtures/real-repos (see SOURCES.md there).
 * `--rounds N` (default 3): rounds of the two, alternating which goes first; medians (by nearest
 * rank) reported.
 */
import { spawn } from 'node:child_process';
import { promises as fs, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { goRuntimeEnv } from '../../server/src/engine/render/toolProcess';
import { mapLimit } from '../../server/src/engine/status/mapLimit';
import { ensureTools } from '../harness/toolchain';
import { writeMonorepo } from './monorepo';
import { countOption, percentile } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');
const REAL_REPOS = path.join(ROOT, 'test', 'fixtures', 'real-repos');
const KUSTOMIZATION = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

interface Corpus {
  readonly name: string;
  readonly root: string;
  /** Kustomization folders, relative to `root`. */
  readonly units: readonly string[];
}

/** A unit's output, or that it failed (the message is the tool's own, not compared). */
type Built = { readonly ok: true; readonly yaml: Buffer } | { readonly ok: false };

/** Every folder under `root` holding a kustomization, relative to it, sorted. */
function kustomizationFolders(root: string, relative = ''): string[] {
  const folders: string[] = [];
  const entries = readdirSync(path.join(root, relative), { withFileTypes: true });
  if (entries.some((entry) => entry.isFile() && KUSTOMIZATION.has(entry.name))) {
    folders.push(relative || '.');
  }
  for (const entry of entries) {
    if (entry.isDirectory() && !entry.name.startsWith('.')) {
      folders.push(...kustomizationFolders(root, path.join(relative, entry.name)));
    }
  }
  return folders.sort();
}

/** Runs `command` to its end; its stdout, and whether it exited 0. */
function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<{ ok: boolean; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ok: code === 0, stdout: Buffer.concat(chunks) }));
    child.stdin.end(input ?? '');
  });
}

/** `kustomize build` of every unit, `parallel` processes at once; outputs by unit. */
async function processPerUnit(
  kustomize: string,
  corpus: Corpus,
  parallel: number,
  env: NodeJS.ProcessEnv,
): Promise<Built[]> {
  const built: Built[] = [];
  await mapLimit([...corpus.units.keys()], parallel, async (index) => {
    const result = await run(kustomize, ['build', corpus.units[index] ?? ''], corpus.root, env);
    built[index] = result.ok ? { ok: true, yaml: result.stdout } : { ok: false };
  });
  return built;
}

/** The framed answers of one kustomizebatch process, in the order of its folders. */
function readFrames(stdout: Buffer, count: number): Built[] {
  const built: Built[] = [];
  let at = 0;
  for (let index = 0; index < count; index++) {
    const end = stdout.indexOf(0x0a, at);
    const [status, size] = stdout.subarray(at, end).toString('latin1').split(' ');
    const length = Number(size);
    if (end < 0 || !Number.isInteger(length)) {
      throw new Error(`kustomizebatch answered ${index} of ${count} folders`);
    }
    const body = stdout.subarray(end + 1, end + 1 + length);
    built.push(status === 'ok' ? { ok: true, yaml: body } : { ok: false });
    at = end + 1 + length;
  }
  return built;
}

/** Every unit built in `parallel` kustomizebatch processes, the units dealt out in turn. */
async function longLived(
  batch: string,
  corpus: Corpus,
  parallel: number,
  env: NodeJS.ProcessEnv,
): Promise<Built[]> {
  const shares = Array.from({ length: parallel }, (_, share) =>
    corpus.units.flatMap((unit, index) => (index % parallel === share ? [{ unit, index }] : [])),
  );
  const built: Built[] = [];
  await Promise.all(
    shares.map(async (share) => {
      const input = share.map(({ unit }) => `${unit}\n`).join('');
      const result = await run(batch, [], corpus.root, env, input);
      if (!result.ok) throw new Error('kustomizebatch failed');
      readFrames(result.stdout, share.length).forEach((answer, at) => {
        built[share[at]?.index ?? -1] = answer;
      });
    }),
  );
  return built;
}

/** The units whose two outputs differ, or that failed only one way. */
function differences(corpus: Corpus, cli: readonly Built[], batch: readonly Built[]): string[] {
  return corpus.units.filter((_, index) => {
    const a = cli[index];
    const b = batch[index];
    if (!a || !b || a.ok !== b.ok) return true;
    return a.ok && b.ok && !a.yaml.equals(b.yaml);
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function measure(
  corpus: Corpus,
  tools: { kustomize: string; kustomizebatch: string },
  rounds: number,
): Promise<boolean> {
  const parallel = os.availableParallelism();
  const env = { ...process.env, ...goRuntimeEnv() };
  const perUnit: number[] = [];
  const batched: number[] = [];
  let same = true;
  for (let round = 0; round < rounds; round++) {
    const cli = () => processPerUnit(tools.kustomize, corpus, parallel, env);
    const batch = () => longLived(tools.kustomizebatch, corpus, parallel, env);
    const first = await timed(round % 2 === 0 ? cli : batch);
    const second = await timed(round % 2 === 0 ? batch : cli);
    const [a, b] = round % 2 === 0 ? [first, second] : [second, first];
    perUnit.push(a.ms);
    batched.push(b.ms);
    if (round === 0) {
      const differ = differences(corpus, a.value, b.value);
      const failed = a.value.filter((built) => !built.ok).length;
      process.stdout.write(
        `   ${corpus.name}: ${corpus.units.length} units, ${corpus.units.length - differ.length} with the same outcome and output (${failed} failed both ways), ${differ.length} different${differ.length ? `: ${differ.slice(0, 5).join(', ')}` : ''}\n`,
      );
      same = differ.length === 0;
    }
  }
  const a = percentile(perUnit, 50);
  const b = percentile(batched, 50);
  process.stdout.write(
    `   ${corpus.name}: a process per unit ${(a / 1000).toFixed(2)} s, ${parallel} long-lived processes ${(b / 1000).toFixed(2)} s: ${(b / a).toFixed(2)} of the time (medians of ${rounds} rounds; rounds ${perUnit.map((value, at) => `${(value / 1000).toFixed(2)}/${((batched[at] ?? 0) / 1000).toFixed(2)}`).join(', ')} s)\n`,
  );
  return same;
}

async function main(): Promise<number> {
  const rounds = countOption('--rounds', 3);
  const tools = await ensureTools(['kustomize', 'kustomizebatch'], {
    onProgress: (progress) => process.stdout.write(`${progress.message}\n`),
  });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-bench-kustomize-'));
  try {
    const monorepo = path.join(work, 'monorepo');
    const written = await writeMonorepo(monorepo, {
      apps: 200,
      environments: ['staging', 'production'],
      sharedBases: 3,
      charts: 0,
      tenants: 0,
      repoUrl: 'https://git.example.invalid/platform/monorepo.git',
    });
    const corpora: Corpus[] = [
      {
        name: 'generated monorepo',
        root: monorepo,
        units: written.filter((unit) => unit.tool === 'kustomize').map((unit) => unit.dir),
      },
      ...readdirSync(REAL_REPOS, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => {
          const root = path.join(REAL_REPOS, entry.name);
          return { name: entry.name, root, units: kustomizationFolders(root) };
        })
        .filter((corpus) => corpus.units.length > 0),
    ];
    process.stdout.write(
      `kustomize build per unit against long-lived processes on kustomize's API (${os.availableParallelism()} at once, ${Object.entries(
        goRuntimeEnv(),
      )
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}):\n`,
    );
    let same = true;
    for (const corpus of corpora) same = (await measure(corpus, tools, rounds)) && same;
    if (!same) process.stdout.write('Some outputs differ: the two ways are not the same build.\n');
    return same ? 0 : 1;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench:kustomize-processes: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
