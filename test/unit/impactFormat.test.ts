import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { impactJson, impactText } from '../../server/src/cli/impactFormat';
import { cliText } from '../../server/src/cli/flagHints';
import { editorText } from '../../server/src/editorHints';
import {
  MARKDOWN_LIMIT,
  fenced,
  impactMarkdown,
  markdownText,
  pullRequestImpactBody,
} from '../../server/src/impactMarkdown';
import type {
  AppImpact,
  BranchImpact,
  ImpactResource,
} from '../../server/src/engine/git/branchImpactTypes';
import { compareRenderedSides } from '../../server/src/engine/git/renderedChanges';
import { clusterOfPath, unitClusters } from '../../server/src/engine/git/unitClusters';
import { readSetTouched } from '../../server/src/engine/git/impactUnits';
import { newFindings } from '../../server/src/engine/git/impactFindings';
import type { FileFinding } from '../../server/src/engine/types';
import type { RenderUnit, RenderedResource } from '../../server/src/engine/render/types';

function resource(name: string, change: ImpactResource['change'], diff: string): ImpactResource {
  return {
    id: `apps/Deployment/web/${name}`,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name,
    namespace: 'web',
    change,
    changedPaths: change === 'modified' ? ['spec.replicas'] : [],
    diff,
  };
}

function app(name: string, clusters: string[], resources: ImpactResource[]): AppImpact {
  return {
    app: name,
    kind: 'flux-kustomization',
    path: `apps/${name}`,
    clusters,
    status: 'changed',
    resources,
    findings: [],
    errorChanged: false,
  };
}

function impactOf(apps: AppImpact[]): BranchImpact {
  return {
    base: { ref: 'origin/main', sha: 'a'.repeat(40), how: 'mergeBase' },
    head: { ref: 'HEAD', sha: 'b'.repeat(40) },
    changedFiles: ['apps/web/kustomization.yaml'],
    apps,
    renders: { units: 4, base: 4, head: 1 },
  };
}

const DIFF = '--- a\n+++ b\n@@ -1 +1 @@\n-replicas: 1\n+replicas: 2\n';

/** Ten apps of ten resources, each diff 2,000 characters: over any comment's size. */
function bigApps(): AppImpact[] {
  const big = 'x'.repeat(2_000);
  return Array.from({ length: 10 }, (_, index) =>
    app(
      `app${index}`,
      ['staging'],
      Array.from({ length: 10 }, (__, n) => resource(`r${n}`, 'modified', `+${big}\n`)),
    ),
  );
}

describe('impact report formats', () => {
  it('markdown: summary table first, findings, then each app folded with a diff fence', () => {
    const impact = impactOf([
      app('web', ['staging'], [resource('web', 'modified', DIFF)]),
      {
        ...app('api', [], [resource('api', 'added', '+kind: Deployment\n')]),
        findings: [
          {
            severity: 'error',
            code: 'removed-api-version',
            message: 'policy/v1beta1 PodDisruptionBudget was removed',
            file: 'apps/api/pdb.yaml',
            line: 1,
          },
        ],
      },
    ]);
    const markdown = impactMarkdown(impact, cliText);
    const table = markdown.indexOf('| Cluster | App | Added | Changed | Removed | New findings |');
    const findings = markdown.indexOf('**New findings**');
    const details = markdown.indexOf('<details>');
    assert.ok(table > 0 && table < findings && findings < details, markdown);
    assert.match(markdown, /\| staging \| web \| 0 \| 1 \| 0 \| 0 \|/);
    assert.match(markdown, /\| cluster not named in the repo \| api \| 1 \| 0 \| 0 \| 1 \|/);
    assert.match(markdown, /❌ api: apps\/api\/pdb\.yaml:1 policy\/v1beta1/);
    assert.match(markdown, /```diff\n--- a\n[\s\S]*\+replicas: 2\n```\n/);
    assert.match(markdown, /Rendered impact of HEAD \(bbbbbbb\) against origin\/main/);
  });

  it('markdown: a diff holding backticks gets a longer fence, markup in names is inert', () => {
    assert.equal(fenced('a ```` b\n'), '`````diff\na ```` b\n`````');
    assert.equal(fenced('plain'), '```diff\nplain\n```');
    const hostile = app(
      '</details><img src=x onerror=alert(1)>|x',
      ['prod|uction'],
      [resource('web', 'modified', '+```\n+</details>\n')],
    );
    const markdown = impactMarkdown(impactOf([hostile]), cliText);
    assert.ok(!markdown.includes('<img'), markdown);
    assert.match(markdown, /&lt;\/details&gt;&lt;img src=x onerror=alert\(1\)&gt;\\\|x/);
    assert.match(markdown, /\| prod\\\|uction \|/);
    assert.match(markdown, /````diff\n\+```\n\+<\/details>\n````/);
    assert.equal(markdownText('a\u001b[31mb'), 'a\\\\u001b\\[31mb');
    assert.equal(markdownText('@acme/admins fix #12'), '&#64;acme/admins fix &#35;12');
  });

  it('markdown: stays under the limit and says what was left out and how to see it', () => {
    const apps = bigApps();
    const markdown = impactMarkdown(impactOf(apps), cliText, 60_000);
    assert.ok(markdown.length <= 60_000, `${markdown.length} characters`);
    const shown = markdown.split('```diff').length - 1;
    assert.ok(shown > 20 && shown < 100, `${shown} diffs shown`);
    assert.match(
      markdown,
      new RegExp(`Left out to stay under the size of a comment: ${100 - shown} resource diffs`),
    );
    assert.match(markdown, /--format text --output impact\.txt/);
    assert.equal(markdown.split('<details>').length, markdown.split('</details>').length);
    assert.equal(markdown.split('| staging | app').length - 1, 10, 'every app in the table');
  });

  it('pull-request body: one line naming the branches, then the markdown report, under the cap', () => {
    const apps = bigApps();
    const names = { head: `feature/${'long_'.repeat(40)}`, base: 'main' };
    const body = pullRequestImpactBody(impactOf(apps), names, editorText);
    assert.ok(body.length <= MARKDOWN_LIMIT, `${body.length} characters`);
    const [summary, blank, title] = body.split('\n');
    assert.equal(
      summary,
      `Changes of feature/${'long\\_'.repeat(40)} against main, as rendered by GitOps Workbench.`,
    );
    assert.equal(blank, '');
    assert.match(title ?? '', /^### Rendered impact of HEAD \(bbbbbbb\) against origin\/main/);
    assert.match(body, /Left out to stay under the size of a comment/);
    const small = pullRequestImpactBody(impactOf([]), { head: 'docs', base: 'main' }, editorText);
    assert.match(small, /\n\nNo rendered change \(1 file differs\)\.\n$/);
  });

  it('pull-request body: a render error names the editor setting, the CLI its flag', () => {
    const failing: AppImpact = {
      ...app('web', ['staging'], []),
      error: 'At bbbbbbb: kustomize was not found: install it or set its path.',
      hint: 'kustomizePath',
      errorChanged: true,
    };
    const names = { head: 'feature', base: 'main' };
    assert.match(
      pullRequestImpactBody(impactOf([failing]), names, editorText),
      /set its path \(gitopsWorkbench\.kustomizePath\)\./,
    );
    assert.match(
      impactMarkdown(impactOf([failing]), cliText),
      /set its path \(--kustomize PATH\)\./,
    );
  });

  it('text: control characters escaped, grouped by cluster; no change says so', () => {
    const hostile = app(
      'web\u001b]0;pwned\u0007',
      ['staging'],
      [resource('web', 'modified', '-a\n+b\u001b[2J\n')],
    );
    const text = impactText(
      impactOf([hostile, app('api', [], [resource('api', 'removed', '-x\n')])]),
    );
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text), JSON.stringify(text));
    assert.match(text, /^staging:\n {2}web\\u001b\]0;pwned\\u0007 \(flux-kustomization/m);
    assert.match(text, /^cluster not named in the repo:\n {2}api /m);
    assert.match(text, /\+b\\u001b\[2J/);
    assert.equal(
      impactText(impactOf([])),
      "Impact of HEAD (bbbbbbb) against origin/main (merge base aaaaaaa).\nNo rendered change (1 file differs). 4 units indexed, 4 rendered at the base, 1 at the head (the others' inputs did not change).\n",
    );
  });

  it('json: schema 1 with summary counts and no full texts', () => {
    const withTexts = { ...resource('web', 'modified', DIFF), baseText: 'a', headText: 'b' };
    const json = JSON.parse(impactJson(impactOf([app('web', ['staging'], [withTexts])]))) as {
      schema: number;
      changed: boolean;
      summary: Record<string, number>;
      apps: { resources: Record<string, unknown>[] }[];
    };
    assert.equal(json.schema, 1);
    assert.equal(json.changed, true);
    assert.deepEqual(json.summary, { apps: 1, added: 0, changed: 1, removed: 0, newFindings: 0 });
    assert.equal(json.apps[0]?.resources[0]?.baseText, undefined);
    assert.equal(json.apps[0]?.resources[0]?.diff, DIFF);
  });
});

describe('impact data', () => {
  const SECRET = 'sekret-value-1234';
  const SOPS = 'ENC[AES256_GCM,data:c29wcw==,iv:aXY=,tag:dGFn,type:str]';
  const secret = (value: string, token: string): RenderedResource => ({
    apiVersion: 'v1',
    kind: 'Secret',
    name: 'auth',
    text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: auth\ndata:\n  password: ${Buffer.from(value).toString('base64')}\n  token: ${token}\n`,
  });

  it('masks Secret values (plain, base64 and SOPS-like) in the diff and both texts', () => {
    const [change] = compareRenderedSides(
      [secret(SECRET, SOPS)],
      [secret(`${SECRET}-new`, SOPS.replace('c29wcw', 'b3RoZXI'))],
      { before: 'base', after: 'head' },
    );
    assert.equal(change?.change, 'modified');
    const all = [change?.diff, change?.beforeText, change?.afterText].join('\n');
    for (const leaked of [SECRET, Buffer.from(SECRET).toString('base64'), 'c29wcw', 'b3RoZXI']) {
      assert.ok(!all.includes(leaked), `${leaked} in ${all}`);
    }
    assert.match(change?.beforeText ?? '', /password:/);
  });

  it('a finding is new when the head has more copies of it than the base, wherever it moved', () => {
    const base = path.resolve('/tmp/gitops-workbench-head-a/tree');
    const head = path.resolve('/tmp/gitops-workbench-head-b/tree');
    const finding = (dir: string, line: number, code = 'removed-api-version'): FileFinding => ({
      file: path.join(dir, 'apps', 'pdb.yaml'),
      range: { start: { line, character: 0 }, end: { line, character: 4 } },
      severity: 'error',
      code,
      message: `old API in ${path.join(dir, 'apps')}`,
    });
    const found = newFindings(
      [finding(base, 1)],
      [finding(head, 7), finding(head, 9), finding(head, 2, 'missing-reference')],
      { base, head },
    );
    assert.deepEqual(
      found.map((each) => [each.code, each.file, each.line, each.message]),
      [
        ['removed-api-version', 'apps/pdb.yaml', 10, 'old API in apps'],
        ['missing-reference', 'apps/pdb.yaml', 3, 'old API in apps'],
      ],
    );
  });

  it('a changed file touches a render that read it or a folder holding it', () => {
    const reads = new Set(['bases/podinfo', 'overlays/staging/kustomization.yaml']);
    assert.ok(readSetTouched(reads, ['bases/podinfo/deployment.yaml']));
    assert.ok(readSetTouched(reads, ['overlays/staging/kustomization.yaml']));
    assert.ok(!readSetTouched(reads, ['overlays/production/kustomization.yaml']));
    assert.ok(!readSetTouched(reads, ['bases/podinfo-other/x.yaml']));
    assert.ok(readSetTouched(new Set(['.']), ['README.md']));
  });

  it('names the cluster of Flux units under clusters/<name>/, their folders, and Argo CD destinations', () => {
    const root = path.resolve('/repo');
    const at = (...parts: string[]): string => path.join(root, ...parts);
    const units: RenderUnit[] = [
      {
        kind: 'flux-kustomization',
        id: 'f1',
        name: 'apps',
        root: at('apps', 'staging'),
        renderer: 'kustomize',
        definedIn: { file: at('clusters', 'staging', 'apps.yaml'), line: 1 },
      },
      {
        kind: 'flux-helmrelease',
        id: 'h1',
        name: 'podinfo',
        root: at('charts', 'podinfo'),
        renderer: 'helm',
        definedIn: { file: at('apps', 'staging', 'release.yaml'), line: 1 },
      },
      {
        kind: 'kustomize',
        id: 'k1',
        name: 'apps/staging',
        root: at('apps', 'staging'),
        renderer: 'kustomize',
      },
      {
        kind: 'argocd-application',
        id: 'a1',
        name: 'guestbook',
        root: at('guestbook'),
        renderer: 'plain',
        definedIn: { file: at('argo', 'apps.yaml'), line: 1 },
      },
      { kind: 'plain', id: 'p1', name: 'misc', root: at('misc'), renderer: 'plain' },
    ];
    const files: Record<string, string> = {
      [at('argo', 'apps.yaml')]:
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: guestbook\nspec:\n  destination:\n    name: prod-eu\n',
    };
    const clusters = unitClusters(units, root, (file) => files[file]);
    assert.deepEqual(Object.fromEntries(clusters), {
      f1: ['staging'],
      h1: ['staging'],
      k1: ['staging'],
      a1: ['prod-eu'],
      p1: [],
    });
    assert.equal(clusterOfPath('clusters/production/flux-system/gotk-sync.yaml'), 'production');
    assert.equal(clusterOfPath('clusters'), undefined);
  });
});
