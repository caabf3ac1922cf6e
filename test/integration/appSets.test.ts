/**
 * ApplicationSets expanded offline, in real git repositories (their remote decides which
 * repoURL is "this repository"), and a generated Application rendered with the real kustomize
 * and helm.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderFailureFinding } from '../../server/src/engine/check/renderedFindings';
import { indexWorkspace } from '../../server/src/engine/render/renderUnits';
import { renderUnit } from '../../server/src/engine/render/renderUnit';
import { RenderCache } from '../../server/src/engine/render/renderCache';
import type { RenderResult, RenderUnit } from '../../server/src/engine/render/types';
import { renderTools } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
const DEMO = path.join(FIXTURES, 'appsets', 'demo');
const EXAMPLES = path.join(FIXTURES, 'real', 'argocd-applicationset-examples');
const REMOTE = 'https://github.com/example/appsets-demo.git';
const WORKTREE = path.resolve(__dirname, '..', '..');

/** A copy of `folder` as a git repository whose origin is `remote`. */
function repoOf(folder: string, remote: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gw-appsets-'));
  cpSync(folder, root, { recursive: true });
  execFileSync('git', ['init', '--quiet', root], { stdio: 'pipe' });
  execFileSync('git', ['remote', 'add', 'origin', remote], { cwd: root, stdio: 'pipe' });
  return root;
}

function byName(units: readonly RenderUnit[], name: string): RenderUnit {
  const unit = units.find((candidate) => candidate.name === name);
  assert.ok(unit, `no unit ${name} among ${units.map((u) => u.name).join(', ')}`);
  return unit;
}

function rendered(result: RenderResult): string {
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.yaml;
}

describe('ApplicationSets of this repository', () => {
  let root: string;
  let units: RenderUnit[];
  let tools: Tools;
  before(async () => {
    tools = await renderTools();
    root = repoOf(DEMO, REMOTE);
    units = (await indexWorkspace(root)).units.filter((unit) => unit.applicationSet);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const render = (unit: RenderUnit): Promise<RenderResult> =>
    renderUnit(unit, {
      workspaceRoot: root,
      overlays: new Map(),
      binaries: { helm: tools.helm, kustomize: tools.kustomize },
      allowNetwork: false,
      cache: new RenderCache(),
    });

  it('generates one unit per Application, named for its set and defined at the set', () => {
    assert.deepEqual(units.map((unit) => unit.name).sort(), [
      'addon-hello-chart (ApplicationSet addons)',
      'addon-metrics (ApplicationSet addons)',
      'engineering-dev-guestbook (ApplicationSet guestbook)',
      'engineering-prod-guestbook (ApplicationSet guestbook)',
      'metrics-staging (ApplicationSet metrics)',
      'previews (ApplicationSet)',
    ]);
    const dev = byName(units, 'engineering-dev-guestbook (ApplicationSet guestbook)');
    assert.deepEqual(dev.definedIn, {
      file: path.join(root, 'appsets', 'guestbook.yaml'),
      line: 2,
    });
    assert.equal(dev.namespace, 'dev-guestbook');
    assert.equal(dev.root, path.join(root, 'apps', 'guestbook'));
    assert.deepEqual(dev.applicationSet, {
      name: 'guestbook',
      application: 'engineering-dev-guestbook',
    });
  });

  it('renders a generated Application with the real kustomize, its parameters applied', async () => {
    const yaml = rendered(
      await render(byName(units, 'engineering-prod-guestbook (ApplicationSet guestbook)')),
    );
    assert.match(yaml, /name: engineering-prod-guestbook-ui/);
  });

  it('renders generated Applications with the real helm: a chart folder and a cluster parameter', async () => {
    const chart = rendered(
      await render(byName(units, 'addon-hello-chart (ApplicationSet addons)')),
    );
    assert.match(chart, /name: addon-hello-chart-greeting/);
    assert.match(chart, /greeting: "hello"/);
    const staging = byName(units, 'metrics-staging (ApplicationSet metrics)');
    assert.equal(staging.helm?.fields?.releaseName?.path.join('.'), 'spec.template.metadata.name');
    const yaml = rendered(await render(staging));
    assert.match(yaml, /greeting: "hello STAGING"/);
  });

  it('names the pullRequest generator as information on the set, never an error', () => {
    const previews = byName(units, 'previews (ApplicationSet)');
    assert.equal(previews.unrenderable?.reason, 'notRendered');
    const finding = renderFailureFinding(previews, previews.unrenderable);
    assert.equal(finding.severity, 'info');
    assert.equal(
      finding.message,
      'Argo CD ApplicationSet previews was not rendered: its pullRequest generator asks a forge for open pull requests, which is not done offline, so the Applications it generates are not shown.',
    );
    assert.equal(finding.file, path.join(root, 'appsets', 'clusters.yaml'));
  });
});

describe('ApplicationSets of a snapshot folder (a commit, no .git)', () => {
  it('reads the git generator from the snapshot when given the remotes of its repository', async () => {
    const snapshot = mkdtempSync(path.join(os.tmpdir(), 'gw-appsets-snapshot-'));
    cpSync(DEMO, snapshot, { recursive: true });
    try {
      const names = (await indexWorkspace(snapshot, undefined, { remotes: [REMOTE] })).units
        .filter((unit) => unit.applicationSet?.name === 'guestbook')
        .map((unit) => unit.name);
      assert.deepEqual(names.sort(), [
        'engineering-dev-guestbook (ApplicationSet guestbook)',
        'engineering-prod-guestbook (ApplicationSet guestbook)',
      ]);
      const unmatched = (await indexWorkspace(snapshot)).units.filter(
        (unit) => unit.applicationSet?.name === 'guestbook',
      );
      assert.deepEqual(
        unmatched.map((unit) => unit.unrenderable?.message),
        [
          'its git generator reads https://github.com/example/appsets-demo.git, which cannot be matched to this workspace (it has no git remote with that URL): add that remote, or open that repository, to see the Applications it generates.',
        ],
      );
    } finally {
      rmSync(snapshot, { recursive: true, force: true });
    }
  });
});

describe('gitops-workbench check of a repository with ApplicationSets', () => {
  it('says what a set does not expand as information, and renders the Applications it generates', async () => {
    const tools = await renderTools();
    const root = repoOf(DEMO, REMOTE);
    try {
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(WORKTREE, 'server', 'src', 'cli.ts'),
          'check',
          '--helm',
          tools.helm,
          '--kustomize',
          tools.kustomize,
          root,
        ],
        { cwd: WORKTREE, encoding: 'utf8', timeout: 300_000 },
      );
      assert.equal(run.status, 0, run.stderr);
      assert.match(
        run.stdout,
        /appsets\/clusters\.yaml:32:1: info \[not-rendered\] Argo CD ApplicationSet previews was not rendered: its pullRequest generator asks a forge for open pull requests, which is not done offline, so the Applications it generates are not shown\./,
      );
      assert.match(run.stdout, /0 errors, 0 warnings/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("Argo CD's own ApplicationSet examples", () => {
  let root: string;
  let units: RenderUnit[];
  before(async () => {
    root = repoOf(EXAMPLES, REMOTE);
    units = (await indexWorkspace(root)).units.filter((unit) => unit.applicationSet);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reports the git generators that read argoproj/argo-cd as skipped, with the reason', () => {
    const skipped = units.filter((unit) =>
      unit.definedIn?.file.endsWith(
        path.join('git-generator-files-discovery', 'git-generator-files.yaml'),
      ),
    );
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]?.unrenderable?.reason, 'notRendered');
    assert.equal(
      skipped[0]?.unrenderable?.message,
      'its git generator reads https://github.com/argoproj/argo-cd.git, another repository than this workspace: open that repository to see the Applications it generates.',
    );
    const gitSets = units.filter((unit) =>
      /git-generator|(and|cluster)-git/.test(unit.definedIn?.file ?? ''),
    );
    assert.ok(gitSets.length >= 10);
    assert.ok(
      gitSets.every((unit) =>
        unit.unrenderable?.message.includes('another repository than this workspace'),
      ),
    );
  });

  it('expands the list, cluster and merge examples that read no repository', () => {
    const names = units.map((unit) => unit.name);
    assert.ok(names.includes('engineering-dev-guestbook (ApplicationSet guestbook)'));
    assert.ok(names.includes('engineering-prod-guestbook (ApplicationSet guestbook)'));
    assert.ok(names.includes('in-cluster-guestbook (ApplicationSet guestbook)'));
    assert.ok(names.includes('in-cluster-guestbook-prod (ApplicationSet merge-two-matrixes)'));
    const listApp = units.find(
      (unit) => unit.name === 'engineering-dev-guestbook (ApplicationSet guestbook)',
    );
    // The Application's source is argoproj/argo-cd, not this repository: said, not rendered.
    assert.equal(listApp?.unrenderable?.reason, 'notRendered');
    assert.match(listApp?.unrenderable?.message ?? '', /another repository, not this workspace/);
  });

  it("reports the goTemplate list-and-list example's missing key as Argo CD would (an error)", () => {
    const broken = units.find(
      (unit) =>
        unit.name === 'list-and-list (ApplicationSet)' &&
        unit.definedIn?.file.endsWith('list-and-list.yaml'),
    );
    assert.equal(broken?.unrenderable?.reason, 'failed');
    assert.equal(
      broken?.unrenderable?.message,
      'the expression {{.path.path}} fails: map has no entry for key "path".',
    );
  });
});
