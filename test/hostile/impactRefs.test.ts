/**
 * `gitops-workbench impact` given hostile refs, as a CI job passes a pull request's branch name
 * (`--head "$BRANCH"`): refs that read as options (`--output=...`, `-c core.pager=...`), that
 * name a path (`HEAD:../../etc`), that hold control characters, that do not exist, a branch
 * whose name is markup, and a branch whose diff is enormous. Each is refused in one sentence
 * that says what to do (exit 2), or reported in full within bounded time and size; every
 * promise of the suite is checked after each run.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderTools } from '../integration/support/renderSupport';
import { MARKDOWN_LIMIT } from '../../server/src/impactMarkdown';
import { besideRepos, runCli } from './support/faces';
import type { Binaries, FaceRun } from './support/faces';
import { git as gitIn } from './support/hostileRepo';
import { runImpactCli } from './support/impactFace';
import type { ImpactRun } from './support/impactFace';
import { assertInertMarkdown } from './support/inertMarkdown';
import { makeSandbox } from './support/sandbox';
import type { Sandbox } from './support/sandbox';
import { assertPromisesHeld, watermark } from './support/verdict';

/** A branch name git accepts that is markup, a mention, an issue link and a bidi override. */
const MARKUP_BRANCH = 'x</details>@octocat#1<img>\u202egnp.exe';
/**
 * Keys of the ConfigMap whose every value the enormous branch changes: a diff of 10,000 lines,
 * five times what the line diff compares edit by edit, and a comment far past its limit.
 */
const KEYS = 5_000;

let binaries: Binaries;
let sandbox: Sandbox;
let root: string;

function git(args: readonly string[]): string {
  return gitIn(root, args);
}

async function writeConfig(keys: number, values: (key: number) => string): Promise<void> {
  const data = Array.from({ length: keys }, (_, key) => `  key${key}: "${values(key)}"`);
  await fs.writeFile(
    path.join(root, 'app', 'config.yaml'),
    ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: big', 'data:', ...data, ''].join(
      '\n',
    ),
  );
}

function commitAll(message: string): void {
  git(['add', '--all']);
  git(['commit', '--quiet', '--no-verify', '--message', message]);
}

before(async () => {
  binaries = await renderTools();
  sandbox = await makeSandbox();
  root = path.join(sandbox.repos, 'hostile-refs');
  mkdirSync(path.join(root, 'app'), { recursive: true });
  await fs.writeFile(path.join(root, 'app', 'kustomization.yaml'), 'resources:\n  - config.yaml\n');
  git(['init', '--quiet', '--initial-branch=main']);
  await writeConfig(3, (key) => `value ${key}`);
  commitAll('Base');
  git(['checkout', '--quiet', '-b', MARKUP_BRANCH]);
  await writeConfig(4, (key) => `value ${key}`);
  commitAll('Markup branch');
  git(['checkout', '--quiet', '-b', 'enormous-base', 'main']);
  await writeConfig(KEYS, (key) => `value ${key}`);
  commitAll('Many keys');
  git(['checkout', '--quiet', '-b', 'enormous']);
  await writeConfig(KEYS, (key) => `changed ${key} ${'x'.repeat(key % 40)}`);
  commitAll('Change every value');
  git(['checkout', '--quiet', 'main']);
});

after(async () => {
  await sandbox.close();
});

/** Runs `impact` with `args` as given on the command line; checks every promise on the run. */
async function impact(args: readonly string[]): Promise<FaceRun> {
  const since = watermark(sandbox);
  const run = await runCli(sandbox, root, ['impact', ...args], binaries, besideRepos(sandbox));
  assertPromisesHeld(run, sandbox, since);
  return run;
}

/** Exit 2 and one line: what was wrong with the ref, and what to do instead. */
function assertRefused(run: FaceRun, said: RegExp): void {
  assert.equal(run.code, 2, `${run.face}: exit code ${run.code}: ${run.output}`);
  assert.match(run.output, /^gitops-workbench: [^\n]+\.\n$/, `${run.face}: one line`);
  assert.match(run.output, said, run.face);
  assert.match(
    run.output,
    /: (name|give) [^\n]+\./,
    `${run.face}: the message must say what to do`,
  );
}

const ONLY_SAFE = /is not a valid (base|head): name a commit SHA or a branch/;

describe('impact with hostile refs', () => {
  it('a ref that reads as an option is never an option, given as --base=... or as a value', async () => {
    const target = path.join(sandbox.root, 'written-by-a-ref');
    for (const args of [
      [`--base=--output=${target}`],
      [`--head=--output=${target}`, '--base=main'],
      ['--base', `--output=${target}`],
      ['--head', '-c', 'core.pager=pwn', '--base=main'],
      ['--base=-c core.pager=pwn'],
      ['--head=--upload-pack=pwn', '--base=main'],
    ]) {
      const run = await impact(args);
      assertRefused(run, /(is not a valid (base|head)|needs a value, but what follows it starts)/);
      if (args[0]?.includes('=')) assert.match(run.output, ONLY_SAFE, run.face);
      assert.equal(existsSync(target), false, `${run.face}: wrote ${target}`);
    }
  });

  it('a ref that names a path or holds control characters is refused before git runs', async () => {
    for (const ref of [
      'HEAD:../../etc',
      'main..enormous',
      'main\u001b[2K\rChecked: 0 errors',
      'main with spaces',
    ]) {
      const since = watermark(sandbox);
      const run = await impact([`--base=${ref}`, '--head=main']);
      assertRefused(run, ONLY_SAFE);
      assert.deepEqual(sandbox.gitCalls().slice(since.gitCalls), [], `${run.face}: ran git`);
    }
  });

  it('a ref that does not exist, or names no commit, says so', async () => {
    for (const ref of ['no-such-branch', 'HEAD:app', 'main^{tree}', 'main\u202etxt.exe']) {
      const run = await impact([`--head=${ref}`, '--base=main']);
      assertRefused(
        run,
        /There is no commit "[^"\n]+" \(head\) in .+: name a branch, tag or commit/,
      );
    }
  });

  it('a branch whose name is markup is shown inert in every format', async () => {
    const ask = { base: 'main', head: MARKUP_BRANCH };
    const output = path.join(sandbox.root, 'markup.md');
    const runs: ImpactRun[] = [];
    for (const format of ['text', 'json', 'markdown'] as const) {
      const since = watermark(sandbox);
      const run = await runImpactCli(
        sandbox,
        root,
        { ...ask, format, ...(format === 'markdown' ? { output } : {}) },
        binaries,
      );
      assertPromisesHeld(run, sandbox, since);
      assert.equal(run.code, 1, `${run.face}: ${run.output}`);
      runs.push(run);
    }
    const [text, json, markdown] = runs as [ImpactRun, ImpactRun, ImpactRun];
    assert.match(text.report, /Impact of x<\/details>@octocat#1<img>\\u202egnp\.exe \(/);
    // Escaped as JSON escapes it: the same value, no raw control character on the terminal.
    assert.equal((JSON.parse(json.report) as { head: { ref: string } }).head.ref, MARKUP_BRANCH);
    assertInertMarkdown(markdown.report, markdown.face);
    // The backslash of the escape is itself escaped, so the comment shows `\u202e`.
    assert.match(markdown.report, /x&lt;\/details&gt;&#64;octocat&#35;1&lt;img&gt;\\\\u202egnp/);
  });

  it('an enormous diff is reported within bounded time, and the comment within its limit', async () => {
    const ask = { base: 'enormous-base', head: 'enormous' };
    const output = path.join(sandbox.root, 'enormous.md');
    const since = watermark(sandbox);
    const markdown = await runImpactCli(
      sandbox,
      root,
      { ...ask, format: 'markdown', output },
      binaries,
    );
    assertPromisesHeld(markdown, sandbox, since);
    assert.equal(markdown.code, 1, `${markdown.face}: ${markdown.output.slice(0, 1500)}`);
    assert.ok(markdown.report.length <= MARKDOWN_LIMIT, `${markdown.face}: too long`);
    assertInertMarkdown(markdown.report, markdown.face);
    assert.match(markdown.report, /Left out to stay under the size of a comment: 1 resource diffs/);
    const text = await impact(['--base=enormous-base', '--head=enormous']);
    assert.equal(text.code, 1, text.face);
    assert.match(text.output, /modified ConfigMap big/, text.face);
  });
});
