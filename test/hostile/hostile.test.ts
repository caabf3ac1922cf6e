/**
 * The security and faults suite (`npm run test:hostile`): every hostile repository of
 * test/hostile/repos is run through each face a user or a CI job has (check, render, history,
 * rollback, impact, the language server trusted and untrusted), and after each run the sandbox's
 * canaries say whether a promise broke: a program the repository chose ran, a byte from outside
 * the repository or a Secret value appeared, a host was contacted, time or memory ran away, a
 * raw control character or a stack trace was printed. Where the product refuses something, the
 * message must name it.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderTools } from '../integration/support/renderSupport';
import { forging } from './attacks/forging';
import { limits } from './attacks/limits';
import { network } from './attacks/network';
import { nothingRuns } from './attacks/nothingRuns';
import { outside } from './attacks/outside';
import { secrets } from './attacks/secrets';
import type { Attack, Promise_ } from './support/attack';
import { runCli, runLanguageServer } from './support/faces';
import type { Binaries, FaceRun } from './support/faces';
import { layOut } from './support/hostileRepo';
import type { HostileRepo } from './support/hostileRepo';
import { runImpactCli } from './support/impactFace';
import type { ImpactRun } from './support/impactFace';
import { addImpactBranches } from './support/impactRepo';
import type { ImpactBranches } from './support/impactRepo';
import { assertInertMarkdown } from './support/inertMarkdown';
import { CAN_MEASURE_MEMORY } from './support/processWatch';
import { makeSandbox } from './support/sandbox';
import type { Sandbox } from './support/sandbox';
import { assertPromisesHeld, watermark } from './support/verdict';

const ALL_ATTACKS: readonly Attack[] = [
  ...nothingRuns,
  ...outside,
  ...network,
  ...secrets,
  ...limits,
  ...forging,
];
/** `HOSTILE_ONLY=id,id` runs only those attacks (while working on one); the suite runs all. */
const only = process.env.HOSTILE_ONLY?.split(',').filter(Boolean);
export const ATTACKS = only
  ? ALL_ATTACKS.filter((attack) => only.includes(attack.id))
  : ALL_ATTACKS;

if (process.platform === 'win32') {
  throw new Error(
    'The hostile suite needs POSIX symbolic links, FIFOs and executable canaries: run it on Linux or macOS.',
  );
}
if (!CAN_MEASURE_MEMORY) {
  console.warn(
    'hostile: MEMORY IS NOT MEASURED on this platform (no /proc); time and the rest are.',
  );
}

let binaries: Binaries;

before(async () => {
  binaries = await renderTools();
});

/** Runs a face and checks every promise on it; an option error would mean the face never ran. */
async function tried<Run extends FaceRun>(
  sandbox: Sandbox,
  face: () => Promise<Run>,
): Promise<Run> {
  const since = watermark(sandbox);
  const run = await face();
  assertPromisesHeld(run, sandbox, since);
  assert.doesNotMatch(run.output, /Unknown option/, `${run.face}: was not called right`);
  return run;
}

/** The unit as a user types it: `./--odd-name` is a path, `--odd-name` an option. */
function unitArg(unit: string): string {
  return unit === '.' ? unit : `./${unit}`;
}

function assertRefusalNamed(attack: Attack, run: FaceRun, face: 'check' | 'render'): void {
  if (!attack.refusal || !(attack.refusalIn ?? ['check', 'render']).includes(face)) return;
  assert.match(run.output, attack.refusal, `${run.face}: the message must name what was refused`);
}

/**
 * Every attack's impact runs once, as a markdown comment written with --output (the format that
 * must also be inert); attacks on what the output shows also run with the attack removed, in
 * JSON, and added, in text (each run renders both commits: all formats for all attacks would
 * add a third of the tier's time).
 */
const EVERY_FORMAT: readonly Promise_[] = ['output cannot be forged', 'no Secret byte'];

/** A hostile repository still gets its impact: what failed to render is said in the report. */
function assertReport(run: ImpactRun): void {
  assert.ok(
    run.code === 0 || run.code === 1,
    `${run.face}: exited ${run.code} without a report: ${run.output.slice(0, 1500)}`,
  );
}

const ADDED_TITLE = /impact of hostile \([0-9a-f]{7}\) against harmless \([0-9a-f]{7}\)/i;

/** Attacks tried at once: each has its own sandbox, so canaries never mix. */
const CONCURRENCY = 3;

describe('hostile repositories', { concurrency: CONCURRENCY }, () => {
  assert.ok(ATTACKS.length > 0);
  for (const attack of ATTACKS) {
    describe(`${attack.id}: ${attack.what}`, { concurrency: 1 }, () => {
      let sandbox: Sandbox;
      let repo: HostileRepo;
      let branches: ImpactBranches;
      before(async () => {
        sandbox = await makeSandbox();
        repo = await layOut(attack, sandbox);
        branches = await addImpactBranches(attack, repo, sandbox);
      });
      after(async () => {
        await sandbox.close();
      });

      it('check . (text and JSON)', async () => {
        const text = await tried(sandbox, () =>
          runCli(sandbox, repo.root, ['check', '.'], binaries),
        );
        assertRefusalNamed(attack, text, 'check');
        await tried(sandbox, () =>
          runCli(sandbox, repo.root, ['check', '.', '--format', 'json'], binaries),
        );
      });

      it('render', async () => {
        const run = await tried(sandbox, () =>
          runCli(sandbox, repo.root, ['render', unitArg(repo.unit)], binaries),
        );
        assertRefusalNamed(attack, run, 'render');
      });

      it('history', async () => {
        await tried(sandbox, () =>
          runCli(sandbox, repo.root, ['history', unitArg(repo.unit)], binaries),
        );
      });

      it('rollback (not pushed)', async () => {
        await tried(sandbox, () =>
          runCli(sandbox, repo.root, ['rollback', repo.head, '--no-push'], binaries),
        );
      });

      it('language server, trusted (and its branch impact)', async () => {
        const impact = { base: branches.harmless, head: branches.hostile };
        const run = await tried(sandbox, () =>
          runLanguageServer(sandbox, repo.root, true, binaries, impact),
        );
        assert.ok(run.impact, `${run.face}: the branch impact was not answered`);
        assert.notEqual(run.impact.error?.reason, 'untrusted', run.face);
      });

      it('impact: the attack added (markdown --output; text) and removed (JSON)', async () => {
        const added = { base: branches.harmless, head: branches.hostile };
        const output = path.join(sandbox.root, 'impact.md');
        const markdown = await tried(sandbox, () =>
          runImpactCli(sandbox, repo.root, { ...added, format: 'markdown', output }, binaries),
        );
        assertReport(markdown);
        assert.match(markdown.report, ADDED_TITLE, markdown.face);
        assertInertMarkdown(markdown.report, markdown.face);
        if (!EVERY_FORMAT.some((promise) => attack.targets.includes(promise))) return;
        const removed = {
          base: branches.hostile,
          head: branches.harmless,
          format: 'json' as const,
        };
        const json = await tried(sandbox, () =>
          runImpactCli(sandbox, repo.root, removed, binaries),
        );
        assertReport(json);
        const report = JSON.parse(json.report) as { schema: unknown; base: { ref: unknown } };
        assert.equal(report.schema, 1, json.face);
        assert.equal(report.base.ref, 'hostile', json.face);
        const text = await tried(sandbox, () => runImpactCli(sandbox, repo.root, added, binaries));
        assertReport(text);
        assert.match(text.report, ADDED_TITLE, text.face);
      });

      it('language server, untrusted: no process at all, the branch impact refused', async () => {
        const since = watermark(sandbox);
        const impact = { base: branches.harmless, head: branches.hostile };
        const run = await tried(sandbox, () =>
          runLanguageServer(sandbox, repo.root, false, binaries, impact),
        );
        assert.equal(run.impact?.impact, undefined, `${run.face}: rendered a branch`);
        assert.match(
          run.impact?.error?.message ?? '',
          /^This workspace is not trusted, so its branch is not rendered .*: trust the workspace to preview its impact\.$/,
          `${run.face}: the branch impact must say why it is refused and what to do`,
        );
        assert.deepEqual(
          sandbox.gitCalls().slice(since.gitCalls),
          [],
          'an untrusted workspace runs no git either',
        );
      });
    });
  }
});
