// "Preview Branch Impact" as a user does it (issue 17): on a repository whose shared kustomize
// base `bases/web` is used by the overlays of two Flux apps (staging and production), a feature
// branch changes the base's image. From the Command Palette, the Branch Impact view lists both
// apps with their change counts; clicking the Deployment opens the diff editor on the base's and
// the head's rendered YAML, with the old and the new image, and no Secret value anywhere.
// "Preview Branch Impact Against..." picks a release branch that moved on since the feature
// branch left main (it added a ConfigMap to production): the impact is taken against the merge
// base, so production shows the feature's two changes and not the release's ConfigMap as removed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { ClustersTree, describeRows } from './support/clustersView';
import { DiffEditor } from './support/diffEditor';
import { git } from './support/git';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const testTimeout = { timeout: 6 * 60_000 };
const BRANCH = 'feature/web-1.1';
const OLD_IMAGE = 'ghcr.io/acme/web:1.0.0';
const NEW_IMAGE = 'ghcr.io/acme/web:1.1.0';
/** Values of the base's Secret at main and on the branch: neither may be shown. */
const SECRET_BEFORE = 'hunter2-main-password';
const SECRET_AFTER = 'hunter3-branch-password';
/** A branch that left main too, with a commit of its own in production. */
const RELEASE = 'release/1.0';
const RELEASE_FILES = {
  'apps/production/flags.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-flags\ndata:\n  beta: "false"\n',
  'apps/production/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: production\nresources:\n  - ../../bases/web\n  - flags.yaml\n',
};

function baseFiles(image: string, password: string): Record<string, string> {
  return {
    'bases/web/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - secret.yaml\n',
    'bases/web/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ${image}
`,
    'bases/web/secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: web-auth
type: Opaque
stringData:
  password: ${password}
`,
  };
}

function overlay(namespace: string): string {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${namespace}
resources:
  - ../../bases/web
`;
}

function fluxApp(cluster: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@example.com/acme/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: web-${cluster}
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps/${cluster}
  prune: true
`;
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

describe('Preview Branch Impact in code-server', { timeout: 15 * 60_000 }, () => {
  let session: E2eSession | undefined;
  let fixture: string | undefined;

  before(async () => {
    await ensureTools(['kustomize']);
    fixture = path.join(mkdtempSync(path.join(os.tmpdir(), 'gitops-workbench-impact-')), 'fleet');
    writeFiles(fixture, {
      ...baseFiles(OLD_IMAGE, SECRET_BEFORE),
      'apps/staging/kustomization.yaml': overlay('staging'),
      'apps/production/kustomization.yaml': overlay('production'),
      'clusters/staging/web.yaml': fluxApp('staging'),
      'clusters/production/web.yaml': fluxApp('production'),
    });
    session = await openSession({
      name: 'branch-impact',
      trusted: true,
      repo: fixture,
      userSettings: { 'gitopsWorkbench.kustomizePath': toolPath('kustomize') },
    });
    // main, pushed to a local bare origin; then a branch that changes the shared base.
    const folder = session.folder;
    const origin = path.join(path.dirname(folder), 'origin.git');
    git(path.dirname(folder), 'init', '--quiet', '--bare', '--initial-branch=main', origin);
    git(folder, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    git(folder, 'add', '-A');
    git(
      folder,
      'commit',
      '--quiet',
      '--no-gpg-sign',
      '-m',
      'The web app on staging and production',
    );
    git(folder, 'remote', 'add', 'origin', origin);
    git(folder, 'push', '--quiet', '-u', 'origin', 'main');
    git(folder, 'checkout', '--quiet', '-b', RELEASE);
    writeFiles(folder, RELEASE_FILES);
    git(folder, 'add', '-A');
    git(folder, 'commit', '--quiet', '--no-gpg-sign', '-m', 'production: feature flags');
    git(folder, 'checkout', '--quiet', 'main');
    git(folder, 'checkout', '--quiet', '-b', BRANCH);
    writeFiles(folder, baseFiles(NEW_IMAGE, SECRET_AFTER));
    git(folder, 'commit', '--quiet', '--no-gpg-sign', '-am', 'web 1.1.0');
    assert.deepEqual(
      git(folder, 'diff', '--name-only', 'origin/main', 'HEAD').split('\n'),
      ['bases/web/deployment.yaml', 'bases/web/secret.yaml'],
      'the branch changes only the shared base',
    );
  });

  after(async () => {
    try {
      await session?.close();
    } finally {
      if (fixture) rmSync(path.dirname(fixture), { recursive: true, force: true });
    }
  });

  it(
    'lists both apps of the shared base and opens the diff of the Deployment',
    testTimeout,
    async (t) => {
      assert.ok(session);
      const s = session;
      const { page, quickInput, sideBar, activityBar } = s.workbench;
      // The extension's contributions are loaded once its activity bar item shows (a cold
      // code-server, the first window of the tier, takes a while).
      await s.expectVisible(
        'branch-impact-palette',
        'The GitOps Workbench activity bar item is shown',
        activityBar.item('GitOps Workbench'),
        120_000,
      );
      const started = Date.now();
      await s.expect(
        'branch-impact-palette',
        'The Command Palette runs "GitOps Workbench: Preview Branch Impact"',
        () => quickInput.runCommand('GitOps Workbench: Preview Branch Impact', 60_000),
      );
      const tree = new ClustersTree(page, sideBar.view('Branch Impact'));
      const header = `${BRANCH} against origin/main`;
      await s.expect('branch-impact-view', `The Branch Impact view is headed "${header}"`, () =>
        tree.waitForRow(header, () => true, `the header row "${header}"`, 180_000),
      );
      for (const cluster of ['staging', 'production']) {
        const row = await s.expect(
          'branch-impact-view',
          `The view lists the app "web-${cluster}" with "${cluster} · 2 changed, 0 added, 0 removed"`,
          () =>
            tree.waitForRow(
              `web-${cluster}`,
              (description) => description === `${cluster} · 2 changed, 0 added, 0 removed`,
              `the app web-${cluster} with its cluster and change counts`,
            ),
        );
        t.diagnostic(`web-${cluster}: ${row.description}`);
      }
      t.diagnostic(`impact shown in ${Date.now() - started} ms`);
      await s.screenshot('branch-impact-view');

      await s.expect('branch-impact-app', 'Clicking "web-staging" expands it', () =>
        tree.expand('web-staging'),
      );
      const deployment = await s.expect(
        'branch-impact-app',
        'The app lists "Deployment/web" modified at its image',
        () =>
          tree.waitForRow(
            'Deployment/web',
            (description) => description === 'modified: spec.template.spec.containers[0].image',
            'the Deployment with its change badge',
          ),
      );
      t.diagnostic(`Deployment/web: ${deployment.description}`);
      const secretRow = await s.expect(
        'branch-impact-app',
        'The app lists "Secret/web-auth" as modified',
        () =>
          tree.waitForRow(
            'Secret/web-auth',
            (description) => description.startsWith('modified'),
            'the Secret with its change badge',
          ),
      );
      t.diagnostic(`Secret/web-auth: ${secretRow.description}`);
      const rows = describeRows(await tree.rows());
      for (const value of [SECRET_BEFORE, SECRET_AFTER]) {
        assert.ok(!rows.includes(value), `the view shows the Secret value ${value}: ${rows}`);
      }

      await tree.row('Deployment/web').click();
      const title = 'Deployment/web (origin/main ↔ feature/web-1.1)';
      const diff = new DiffEditor(page, title);
      await s.expect('branch-impact-diff', `The diff editor opens titled "${title}"`, async () => {
        await diff.waitForOpen();
        assert.equal(await diff.tabTitle(), title);
      });
      const before = await s.expect(
        'branch-impact-diff',
        `The left side shows the old image ${OLD_IMAGE}`,
        () =>
          diff.waitForLine('original', new RegExp(`image: ${OLD_IMAGE.replace(/\./g, '\\.')}$`)),
      );
      const after = await s.expect(
        'branch-impact-diff',
        `The right side shows the new image ${NEW_IMAGE}`,
        () =>
          diff.waitForLine('modified', new RegExp(`image: ${NEW_IMAGE.replace(/\./g, '\\.')}$`)),
      );
      t.diagnostic(`base: ${before.trim()} | head: ${after.trim()}`);
      await s.screenshot('branch-impact-diff');

      await tree.row('Secret/web-auth').click();
      const secretDiff = new DiffEditor(page, 'Secret/web-auth (origin/main ↔ feature/web-1.1)');
      await s.expect('branch-impact-secret', 'The Secret diff shows no Secret value', async () => {
        await secretDiff.waitForOpen();
        await secretDiff.waitForLine('modified', /password:/);
        const shown = [
          ...(await secretDiff.lines('original')),
          ...(await secretDiff.lines('modified')),
        ].join('\n');
        for (const value of [SECRET_BEFORE, SECRET_AFTER]) {
          assert.ok(!shown.includes(value), `the diff shows ${value}: ${JSON.stringify(shown)}`);
        }
      });
    },
  );
  it(
    'compares against the merge base with a branch picked in "Preview Branch Impact Against..."',
    testTimeout,
    async (t) => {
      assert.ok(session);
      const s = session;
      const { page, quickInput, sideBar } = s.workbench;
      await s.expect(
        'branch-impact-against-palette',
        'The Command Palette runs "GitOps Workbench: Preview Branch Impact Against..."',
        () => quickInput.runCommand('GitOps Workbench: Preview Branch Impact Against...', 60_000),
      );
      const release = quickInput.rows().filter({ hasText: RELEASE }).first();
      await s.expectVisible(
        'branch-impact-against-pick',
        `The branch pick lists "${RELEASE}" as a local branch`,
        release.filter({ hasText: 'local branch' }),
      );
      // Each row as "label (description)", read from the pick's own label and description.
      const listed: string[] = [];
      for (const row of await quickInput.rows().all()) {
        const label = await row.locator('.label-name').first().innerText();
        const description = await row.locator('.label-description').first().innerText();
        listed.push(`${label.trim()} (${description.trim()})`);
      }
      t.diagnostic(`branches: ${listed.join(' | ')}`);
      assert.deepEqual(
        listed,
        ['origin/main (remote branch)', 'main (local branch)', `${RELEASE} (local branch)`],
        `the usual bases first, then the other branches; not the branch checked out (${BRANCH})`,
      );
      await release.click();

      const tree = new ClustersTree(page, sideBar.view('Branch Impact'));
      const header = `${BRANCH} against ${RELEASE}`;
      await s.expect('branch-impact-against-view', `The view is headed "${header}"`, () =>
        tree.waitForRow(header, () => true, `the header row "${header}"`, 180_000),
      );
      // Against the release's tip, production would also lose the release's ConfigMap
      // ("1 removed"); against the merge base it shows the feature's changes only.
      for (const cluster of ['staging', 'production']) {
        const row = await s.expect(
          'branch-impact-against-view',
          `The view lists "web-${cluster}" with "${cluster} · 2 changed, 0 added, 0 removed"`,
          () =>
            tree.waitForRow(
              `web-${cluster}`,
              (description) => description === `${cluster} · 2 changed, 0 added, 0 removed`,
              `the app web-${cluster} with the feature's changes only`,
            ),
        );
        t.diagnostic(`web-${cluster}: ${row.description}`);
      }
      await s.screenshot('branch-impact-against');
    },
  );
});
