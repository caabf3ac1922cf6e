import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { historyOf, unitSourcePaths } from '../../server/src/engine/git/history';
import { renderedImpact } from '../../server/src/engine/git/impact';
import type { RenderedImpact } from '../../server/src/engine/git/types';
import { indexWorkspace, renderUnit } from '../../server/src/engine/render';
import type { RenderResult, RenderUnit } from '../../server/src/engine/render';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { tempRepo } from './support/gitRepos';
import type { TempRepo } from './support/gitRepos';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const STAGING = 'apps/podinfo/overlays/staging';
/** The Flux Kustomization that deploys the staging overlay: the impact shows it, not the folder. */
const STAGING_APP = 'podinfo-staging';
const OLD_TOKEN = 'demo-token-not-a-real-secret';
const NEW_TOKEN = 'rotated-token-also-not-real';

function filesOf(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const relative = prefix ? `${prefix}/${name}` : name;
    if (statSync(full).isDirectory()) Object.assign(files, filesOf(full, relative));
    else files[relative] = readFileSync(full, 'utf8');
  }
  return files;
}

function render(
  unit: RenderUnit,
  workspaceRoot: string,
  signal?: AbortSignal,
): Promise<RenderResult> {
  return renderUnit(unit, {
    workspaceRoot,
    overlays: new Map(),
    binaries: { kustomize: toolPath('kustomize') },
    allowNetwork: false,
    ...(signal ? { signal } : {}),
  });
}

function edit(r: TempRepo, file: string, from: string, to: string): Record<string, string> {
  const text = readFileSync(path.join(r.root, file), 'utf8');
  assert.ok(text.includes(from), `${file} holds ${from}`);
  return { [file]: text.replace(from, to) };
}

describe('history and rendered impact (real repo from examples/podinfo-gitops, real kustomize)', () => {
  let r: TempRepo;
  let baseChange: string;
  let productionChange: string;
  let readmeChange: string;
  let secretChange: string;

  before(async () => {
    await ensureTools(['kustomize']);
    r = tempRepo(filesOf(EXAMPLE));
    baseChange = r.commit(
      'Update podinfo to 6.15.0',
      edit(r, 'apps/podinfo/base/deployment.yaml', 'podinfo:6.14.1', 'podinfo:6.15.0'),
    );
    productionChange = r.commit(
      'Production: at least 4 replicas',
      edit(
        r,
        'apps/podinfo/overlays/production/replicas-patch.yaml',
        'minReplicas: 3',
        'minReplicas: 4',
      ),
    );
    readmeChange = r.commit('Explain the demo', edit(r, 'README.md', 'podinfo', 'podinfo (demo)'));
    secretChange = r.commit(
      'Rotate the token',
      edit(r, 'apps/podinfo/base/secret.yaml', OLD_TOKEN, NEW_TOKEN),
    );
    r.git('push', '--quiet');
  });
  after(() => r.dispose());

  it('history of the staging overlay lists the base change, not production or the README', async () => {
    const { units } = await indexWorkspace(r.root);
    const unit = units.find((u) => u.id === `kustomize:${STAGING}`);
    assert.ok(unit, 'the staging overlay is a unit');
    const rendered = await render(unit, r.root);
    assert.ok(rendered.ok, JSON.stringify(rendered));
    const sources = unitSourcePaths(unit, rendered.resources);
    assert.ok(sources.includes(path.join(r.root, 'apps/podinfo/base/deployment.yaml')));
    assert.ok(sources.includes(path.join(r.root, 'apps/podinfo/base/kustomization.yaml')));
    assert.ok(sources.every((file) => path.isAbsolute(file)));
    const commits = await historyOf(r.root, sources);
    const shas = commits.map((commit) => commit.sha);
    assert.ok(shas.includes(baseChange), 'the base change');
    assert.ok(shas.includes(secretChange), 'the Secret change');
    assert.ok(!shas.includes(productionChange), 'not the production change');
    assert.ok(!shas.includes(readmeChange), 'not the README change');
    const base = commits.find((commit) => commit.sha === baseChange);
    assert.equal(base?.subject, 'Update podinfo to 6.15.0');
    assert.equal(base?.author, 'Test Author');
    assert.equal((await historyOf(r.root, sources, { limit: 1 })).length, 1);
  });

  it('the rendered impact of the base change: the Deployment modified where the tag is not pinned', async () => {
    const impacts = await renderedImpact(r.root, baseChange, { render });
    const staging = impacts.find((impact) => impact.unit === STAGING_APP);
    assert.ok(staging, JSON.stringify(impacts.map((impact) => impact.unit)));
    assert.equal(staging.error, undefined);
    assert.deepEqual(
      staging.changes.map((change) => [change.id, change.change, change.changedPaths]),
      [
        [
          'apps/Deployment/podinfo-staging/podinfo',
          'modified',
          ['spec.template.spec.containers[0].image'],
        ],
      ],
    );
    assert.match(staging.changes[0]?.diff ?? '', /^-.*podinfo:6\.14\.1$/m);
    assert.match(staging.changes[0]?.diff ?? '', /^\+.*podinfo:6\.15\.0$/m);
    assert.deepEqual(
      impacts.map((impact) => impact.unit).sort(),
      ['apps/podinfo/base', STAGING_APP],
      'the staging overlay once, through the Flux app that deploys it; production pins the image tag, so its output did not change',
    );
    const text = JSON.stringify(impacts);
    assert.ok(!text.includes(os.tmpdir()), 'no path into a temporary folder');
    assert.ok(!text.includes('HorizontalPodAutoscaler'), 'nothing else changed');

    const onlyStaging = await renderedImpact(r.root, baseChange, {
      render,
      unitIds: [`kustomize:${STAGING}`],
    });
    assert.deepEqual(
      onlyStaging.map((impact) => impact.unit),
      [STAGING],
    );
    assert.deepEqual(
      await renderedImpact(r.root, readmeChange, { render }),
      [],
      'the README renders nothing',
    );
  });

  it('a Secret change shows only masks', async () => {
    const impacts = await renderedImpact(r.root, secretChange, { render });
    const staging = impacts.find((impact) => impact.unit === STAGING_APP);
    const change = staging?.changes.find((c) => c.kind === 'Secret');
    assert.ok(change, JSON.stringify(impacts));
    assert.equal(change.change, 'modified');
    assert.deepEqual(change.changedPaths, ['data.token']);
    const text = JSON.stringify(impacts);
    for (const secret of [OLD_TOKEN, NEW_TOKEN]) {
      assert.ok(!text.includes(secret), 'no plain value');
      assert.ok(!text.includes(Buffer.from(secret).toString('base64')), 'no base64 value');
    }
    assert.match(change.diff, /^-\s+token: \S+$/m);
    assert.match(change.diff, /^\+\s+token: \S+$/m);
  });

  it('history is right when the render cache serves a result first made in a removed snapshot', async () => {
    // The previous test rendered HEAD's files in a snapshot: same content, so a cache hit.
    const { units } = await indexWorkspace(r.root);
    const unit = units.find((u) => u.id === `kustomize:${STAGING}`);
    assert.ok(unit);
    const rendered = await render(unit, r.root);
    assert.ok(rendered.ok && rendered.fromCache);
    const origins = rendered.resources.map((resource) => resource.origin?.file ?? '');
    assert.ok(
      origins.some((file) => file.startsWith(os.tmpdir())),
      'the cached origins point into the old snapshot',
    );
    const shas = (await historyOf(r.root, unitSourcePaths(unit, rendered.resources))).map(
      (c) => c.sha,
    );
    assert.ok(shas.includes(baseChange) && !shas.includes(productionChange));
  });

  const run = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const result = spawnSync(process.execPath, [CLI, ...args], {
      cwd: r.root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('the CLI: history, then rollback of the base change pushed to the remote', () => {
    const history = run(
      'history',
      STAGING,
      '--kustomize',
      toolPath('kustomize'),
      '--format',
      'json',
    );
    assert.equal(history.code, 0, history.stderr);
    const listed = (JSON.parse(history.stdout) as { commits: { sha: string }[] }).commits.map(
      (c) => c.sha,
    );
    assert.ok(
      listed.includes(baseChange) &&
        !listed.includes(productionChange) &&
        !listed.includes(readmeChange),
    );
    const text = run('history', STAGING, '--kustomize', toolPath('kustomize'), '--limit', '2');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Rotate the token/);
    assert.equal(text.stdout.trim().split('\n').length, 3, text.stdout);

    const refused = run(
      'rollback',
      '--kustomize',
      toolPath('kustomize'),
      '--',
      '--upload-pack=touch x',
    );
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /^gitops-workbench: .*not a valid commit/);
    const badUsage = run('rollback');
    assert.equal(badUsage.code, 2);

    const short = r.git('rev-parse', '--short', baseChange).trim();
    const done = run('rollback', baseChange, '--kustomize', toolPath('kustomize'));
    assert.equal(done.code, 0, done.stderr);
    assert.match(
      done.stdout,
      new RegExp(
        `modified Deployment podinfo-staging/podinfo: spec\\.template\\.spec\\.containers\\[0\\]\\.image`,
      ),
    );
    assert.match(
      done.stdout,
      new RegExp(`rollback/${short}.*Revert: Update podinfo to 6\\.15\\.0.*pushed to origin`),
    );
    assert.match(
      r.remoteGit('show', `rollback/${short}:apps/podinfo/base/deployment.yaml`),
      /podinfo:6\.14\.1/,
    );

    r.write('README.md', 'dirty\n');
    const dirty = run('rollback', baseChange, '--kustomize', toolPath('kustomize'), '--no-push');
    assert.equal(dirty.code, 1, dirty.stderr);
    assert.equal(dirty.stdout, '', 'refused before anything is rendered or changed');
    assert.match(dirty.stderr, /uncommitted changes \(README\.md\): commit or stash them first/);
    r.git('checkout', '--', 'README.md');
  });

  it('the CLI: rollback --format json gives what the revert does, as the text says it', () => {
    const extra = r.commit('Add an extra ConfigMap', {
      'apps/podinfo/base/extra.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  mode: fast\n',
      ...edit(
        r,
        'apps/podinfo/base/kustomization.yaml',
        '  - secret.yaml\n',
        '  - secret.yaml\n  - extra.yaml\n',
      ),
    });
    const kustomize = ['--kustomize', toolPath('kustomize'), '--no-push'];
    type Output = { impact: RenderedImpact[]; result: { branch: string } };
    const stagingOf = (output: Output): RenderedImpact => {
      const found = output.impact.find((impact) => impact.unit === STAGING_APP);
      assert.ok(found, JSON.stringify(output.impact.map((impact) => impact.unit)));
      return found;
    };

    const text = run('rollback', extra, ...kustomize);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /the rollback undoes them/);
    assert.match(text.stdout, /^ {4}added ConfigMap podinfo-staging\/extra$/m);

    const json = run('rollback', extra, ...kustomize, '--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    const removal = stagingOf(JSON.parse(json.stdout) as Output).changes;
    assert.deepEqual(
      removal.map((change) => [change.kind, change.name, change.change]),
      [['ConfigMap', 'extra', 'removed']],
      'reverting the commit removes the ConfigMap it added',
    );
    assert.match(removal[0]?.diff ?? '', /^-\s+mode: fast$/m);
    assert.doesNotMatch(removal[0]?.diff ?? '', /^\+\s+mode/m);

    const image = run('rollback', baseChange, ...kustomize, '--format', 'json');
    assert.equal(image.code, 0, image.stderr);
    const output = JSON.parse(image.stdout) as Output;
    const [modified] = stagingOf(output).changes;
    assert.equal(modified?.change, 'modified');
    assert.match(modified?.diff ?? '', /^-.*podinfo:6\.15\.0$/m, 'the revert takes 6.15.0 out');
    assert.match(modified?.diff ?? '', /^\+.*podinfo:6\.14\.1$/m, 'and puts 6.14.1 back');
    assert.match(
      r.git('show', `${output.result.branch}:apps/podinfo/base/deployment.yaml`),
      /podinfo:6\.14\.1/,
      'as the revert commit does',
    );
  });
});
