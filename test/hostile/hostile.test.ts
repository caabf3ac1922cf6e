/**
 * The security and faults suite (`npm run test:hostile`): every hostile repository of
 * test/hostile/repos is run through each face a user or a CI job has (check, render, history,
 * rollback, the language server trusted and untrusted), and after each run the sandbox's
 * canaries say whether a promise broke: a program the repository chose ran, a byte from outside
 * the repository or a Secret value appeared, a host was contacted, time or memory ran away, a
 * raw control character or a stack trace was printed. Where the product refuses something, the
 * message must name it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderTools } from '../integration/support/renderSupport';
import { forging } from './attacks/forging';
import { limits } from './attacks/limits';
import { network } from './attacks/network';
import { nothingRuns } from './attacks/nothingRuns';
import { outside } from './attacks/outside';
import { secrets } from './attacks/secrets';
import type { Attack } from './support/attack';
import { runCli, runLanguageServer } from './support/faces';
import type { Binaries, FaceRun } from './support/faces';
import { layOut } from './support/hostileRepo';
import type { HostileRepo } from './support/hostileRepo';
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
async function tried(sandbox: Sandbox, face: () => Promise<FaceRun>): Promise<FaceRun> {
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

/** Attacks tried at once: each has its own sandbox, so canaries never mix. */
const CONCURRENCY = 3;

describe('hostile repositories', { concurrency: CONCURRENCY }, () => {
  assert.ok(ATTACKS.length > 0);
  for (const attack of ATTACKS) {
    describe(`${attack.id}: ${attack.what}`, { concurrency: 1 }, () => {
      let sandbox: Sandbox;
      let repo: HostileRepo;
      before(async () => {
        sandbox = await makeSandbox();
        repo = await layOut(attack, sandbox);
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

      it('language server, trusted', async () => {
        await tried(sandbox, () => runLanguageServer(sandbox, repo.root, true, binaries));
      });

      it('language server, untrusted: no process at all', async () => {
        const since = watermark(sandbox);
        await tried(sandbox, () => runLanguageServer(sandbox, repo.root, false, binaries));
        assert.deepEqual(
          sandbox.gitCalls().slice(since.gitCalls),
          [],
          'an untrusted workspace runs no git either',
        );
      });
    });
  }
});
