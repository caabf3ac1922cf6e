/**
 * `npm run bench:impact`: what a branch changes in the rendered output of a generated monorepo
 * (see `monorepo.ts`: Kustomize overlays over shared bases, Helm charts, an ApplicationSet),
 * `gitops-workbench impact` against the way CI scripts compute the same answer in the same run:
 * check out both refs, render every unit at each with the binaries one by one, then `diff -ru`.
 * Three branches: one that changes one app, one that changes a shared base, one that changes
 * nothing. Targets: at most 1/5 of the script's time for one app, 1/2 for a shared base.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTools, toolPath } from '../harness/toolchain';
import { appName, sharedBaseName, writeMonorepo } from './monorepo';
import type { ScriptUnit } from './monorepo';
import { ms, percentile } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');
const USAGE = `Usage: npm run bench:impact -- [--case one-app|shared-base|no-change]... [--runs N] [--keep DIR]
  --case   run only the named case (repeatable; default: all three)
  --runs   repeats of each case (default 3; the figure is the median)
  --keep   write the generated repository to DIR and keep it (for profiling the CLI there)
`;
const REPO_URL = 'https://git.example.invalid/platform/monorepo.git';
const SHAPE = {
  apps: 20,
  environments: ['staging', 'production'],
  sharedBases: 3,
  charts: 6,
  tenants: 6,
  repoUrl: REPO_URL,
} as const;

interface Case {
  readonly branch: string;
  readonly label: string;
  readonly target?: number;
  /** Edits the checkout; returns nothing. */
  readonly edit: (repo: string) => Promise<void>;
}

const run = (cwd: string, command: string, args: readonly string[]): string => {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd },
  });
  if (result.error) throw result.error;
  if (result.status !== 0 && !(command === 'diff' && result.status === 1)) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
};

async function replaceIn(file: string, from: string, to: string): Promise<void> {
  const text = await fs.readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await fs.writeFile(file, text.replace(from, to));
}

const CASES: readonly Case[] = [
  {
    branch: 'one-app',
    label: 'one app changed',
    target: 1 / 5,
    edit: (repo) =>
      replaceIn(
        path.join(repo, 'apps', appName(7), 'overlays', 'production', 'kustomization.yaml'),
        'value: 3',
        'value: 4',
      ),
  },
  {
    branch: 'shared-base',
    label: 'shared base changed',
    target: 1 / 2,
    edit: (repo) =>
      replaceIn(
        path.join(repo, 'bases', sharedBaseName(0), 'deployment.yaml'),
        'cpu: 50m',
        'cpu: 100m',
      ),
  },
  {
    branch: 'no-change',
    label: 'nothing rendered changed',
    edit: (repo) => fs.appendFile(path.join(repo, 'README.md'), '\nA note.\n'),
  },
];

async function createRepo(repo: string): Promise<{ repo: string; units: ScriptUnit[] }> {
  await fs.mkdir(repo, { recursive: true });
  const units = await writeMonorepo(repo, SHAPE);
  run(repo, 'git', ['init', '--quiet', '--initial-branch=main']);
  run(repo, 'git', ['config', 'user.name', 'Bench']);
  run(repo, 'git', ['config', 'user.email', 'bench@example.invalid']);
  run(repo, 'git', ['config', 'commit.gpgsign', 'false']);
  run(repo, 'git', ['remote', 'add', 'origin', REPO_URL]);
  run(repo, 'git', ['add', '-A']);
  run(repo, 'git', ['commit', '--quiet', '-m', 'Generated monorepo']);
  for (const { branch, edit } of CASES) {
    run(repo, 'git', ['checkout', '--quiet', '-b', branch, 'main']);
    await edit(repo);
    run(repo, 'git', ['commit', '--quiet', '-am', `Change: ${branch}`]);
  }
  run(repo, 'git', ['checkout', '--quiet', 'main']);
  return { repo, units };
}

function renderScriptUnit(checkout: string, unit: ScriptUnit): string {
  const dir = path.join(checkout, ...unit.dir.split('/'));
  if (unit.tool === 'kustomize') return run(checkout, toolPath('kustomize'), ['build', dir]);
  if (unit.tool === 'helm') {
    return run(checkout, toolPath('helm'), ['template', unit.release ?? 'release', dir]);
  }
  return run(checkout, 'cat', [path.join(dir, 'manifests.yaml')]);
}

/** The CI script: both refs checked out, every unit rendered one by one, then `diff -ru`. */
async function scriptImpact(
  repo: string,
  units: readonly ScriptUnit[],
  head: string,
): Promise<{ ms: number; changedUnits: number }> {
  const started = performance.now();
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-bench-impact-'));
  try {
    for (const ref of ['main', head]) {
      const checkout = path.join(out, `checkout-${ref}`);
      run(repo, 'git', ['worktree', 'add', '--quiet', '--detach', checkout, ref]);
      const rendered = path.join(out, `rendered-${ref}`);
      await fs.mkdir(rendered);
      for (const unit of units) {
        const file = path.join(rendered, `${unit.dir.split('/').join('__')}.yaml`);
        await fs.writeFile(file, renderScriptUnit(checkout, unit));
      }
    }
    const diff = run(out, 'diff', ['-ru', `rendered-main`, `rendered-${head}`]);
    const changedUnits = diff.split('\n').filter((line) => line.startsWith('diff -ru ')).length;
    return { ms: performance.now() - started, changedUnits };
  } finally {
    for (const ref of ['main', head]) {
      spawnSync('git', ['worktree', 'remove', '--force', path.join(out, `checkout-${ref}`)], {
        cwd: repo,
      });
    }
    await fs.rm(out, { recursive: true, force: true });
  }
}

interface OurAnswer {
  readonly ms: number;
  readonly exitCode: number;
  readonly changedApps: number;
}

/** `gitops-workbench impact` as a user runs it: a new process of the bundled CLI. */
function ourImpact(repo: string, head: string): OurAnswer {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'dist', 'cli.js'),
      'impact',
      '--base',
      'main',
      '--head',
      head,
      '--format',
      'json',
      '--kustomize',
      toolPath('kustomize'),
      '--helm',
      toolPath('helm'),
    ],
    { cwd: repo, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const elapsed = performance.now() - started;
  if (result.status === 2 || result.status === null) {
    throw new Error(`gitops-workbench impact failed (${result.status}): ${result.stderr}`);
  }
  const report = JSON.parse(result.stdout) as {
    apps?: readonly { resources?: readonly unknown[] }[];
  };
  const changedApps = (report.apps ?? []).filter((app) => (app.resources ?? []).length > 0).length;
  return { ms: elapsed, exitCode: result.status, changedApps };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      case: { type: 'string', multiple: true },
      runs: { type: 'string', default: '3' },
      keep: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const runs = Number(values.runs);
  const wanted = values.case ?? CASES.map(({ branch }) => branch);
  const unknown = wanted.find((name) => !CASES.some(({ branch }) => branch === name));
  if (!Number.isInteger(runs) || runs < 1 || unknown !== undefined) {
    throw new Error(
      `${unknown !== undefined ? `no case "${unknown}"` : '--runs must be a whole number of at least 1'}.\n${USAGE}`,
    );
  }
  await ensureTools(['kustomize', 'helm']);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-bench-impact-'));
  try {
    const { repo, units } = await createRepo(
      values.keep !== undefined ? path.resolve(values.keep) : path.join(work, 'repo'),
    );
    process.stdout.write(
      `bench:impact on ${os.cpus().length} cores, Node ${process.version}, load ${os
        .loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')}\n` +
        `   repo: ${SHAPE.apps} apps x ${SHAPE.environments.length} overlays over ${SHAPE.sharedBases} shared bases, ` +
        `${SHAPE.charts} Helm charts (Argo CD Applications), an ApplicationSet of ${SHAPE.tenants} tenants: ` +
        `${units.length} units a script renders\n` +
        `   peer: both refs checked out, every unit rendered one by one (kustomize build, helm template), diff -ru\n\n` +
        `   ${'case'.padEnd(26)} ${'ours p50'.padStart(11)} ${'script p50'.padStart(11)} ${'ratio'.padStart(7)}  target\n`,
    );
    let allMet = true;
    for (const { branch, label, target } of CASES.filter(({ branch }) => wanted.includes(branch))) {
      const ours: number[] = [];
      const peer: number[] = [];
      let answer: OurAnswer | undefined;
      let scriptChanged = 0;
      for (let i = 0; i < runs; i++) {
        answer = ourImpact(repo, branch);
        ours.push(answer.ms);
        const script = await scriptImpact(repo, units, branch);
        peer.push(script.ms);
        scriptChanged = script.changedUnits;
      }
      const ratio = percentile(ours, 50) / percentile(peer, 50);
      const met = target === undefined || ratio <= target;
      allMet &&= met;
      process.stdout.write(
        `   ${label.padEnd(26)} ${ms(percentile(ours, 50)).padStart(11)} ${ms(percentile(peer, 50)).padStart(11)} ${ratio
          .toFixed(2)
          .padStart(
            7,
          )}  ${target === undefined ? '-' : `<= ${target.toFixed(2)} ${met ? 'met' : 'NOT met'}`}\n` +
          `      ours: exit ${answer?.exitCode}, ${answer?.changedApps} app(s) changed; script: ${scriptChanged} rendered file(s) differ\n` +
          `      runs (ms): ours ${ours.map((value) => value.toFixed(0)).join(' ')}; script ${peer.map((value) => value.toFixed(0)).join(' ')}; load ${os.loadavg()[0]?.toFixed(1)}\n`,
      );
    }
    process.stdout.write(allMet ? '\nAll targets met.\n' : '\nSome targets NOT met.\n');
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:impact failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
