import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterSecretOf } from '../../server/src/engine/render/appSets/clusterGenerator';
import { generatorItemParams } from '../../server/src/engine/render/appSets/generators';
import { gitPathspecMatch, goPathMatch } from '../../server/src/engine/render/appSets/pathGlobs';
import { THIS_REPO, context, problem } from './support/appSetFixtures';

describe('path patterns of the git generator', () => {
  it('directories use Go path.Match: * stops at /', () => {
    assert.equal(goPathMatch('apps/*', 'apps/guestbook'), true);
    assert.equal(goPathMatch('apps/*', 'apps/guestbook/base'), false);
    assert.equal(goPathMatch('apps/[gp]*', 'apps/podinfo'), true);
    assert.equal(goPathMatch('apps/[', 'apps/x'), undefined);
    assert.equal(goPathMatch('*/*-app', 'apps/guestbook-app'), true);
    assert.equal(goPathMatch('a*b*c', 'axxbyyc'), true);
    assert.equal(goPathMatch('a*b*c', 'axxbyy/c'), false);
    assert.equal(goPathMatch('apps/\\*', 'apps/*'), true);
    assert.equal(goPathMatch('apps/\\*', 'apps/x'), false);
  });
  it('a pattern of many stars is answered at once (no backtracking blow-up)', () => {
    const started = Date.now();
    const pattern = `${'*a'.repeat(40)}*b`;
    assert.equal(gitPathspecMatch(pattern, 'a'.repeat(300)), false);
    assert.equal(goPathMatch(pattern, 'a'.repeat(300)), false);
    assert.ok(Date.now() - started < 500);
  });
  it('files use git pathspecs: * and ** cross /, a plain path names a file or a folder', () => {
    assert.equal(gitPathspecMatch('clusters/**/config.json', 'clusters/dev/config.json'), true);
    assert.equal(gitPathspecMatch('clusters/*.json', 'clusters/dev/config.json'), true);
    assert.equal(gitPathspecMatch('clusters/dev', 'clusters/dev/config.json'), true);
    assert.equal(gitPathspecMatch('clusters/de', 'clusters/dev/config.json'), false);
    assert.equal(
      gitPathspecMatch(
        'cluster-config/**/config.json',
        'cluster-config/engineering/dev/config.json',
      ),
      true,
    );
    assert.equal(
      gitPathspecMatch('cluster-config/[a-e]*/x.json', 'cluster-config/dev/x.json'),
      true,
    );
    assert.equal(
      gitPathspecMatch('cluster-config/[!a-e]*/x.json', 'cluster-config/dev/x.json'),
      false,
    );
  });
});

describe('list generator', () => {
  it('yields each element; without goTemplate values.* are flattened and non-strings refused', () => {
    assert.deepEqual(
      generatorItemParams(
        { list: { elements: [{ cluster: 'dev', values: { tier: 'gold' } }] } },
        context(false),
      ),
      [{ cluster: 'dev', 'values.tier': 'gold' }],
    );
    assert.deepEqual(
      generatorItemParams(
        { list: { elements: [{ replicas: 2 }], elementsYaml: '- cluster: x\n' } },
        context(true),
      ),
      [{ replicas: 2 }, { cluster: 'x' }],
    );
    assert.match(
      problem(() => generatorItemParams({ list: { elements: [{ replicas: 2 }] } }, context(false)))
        .message,
      /"replicas" of element 1 of its list generator is not a string/,
    );
  });
});

describe('git directories generator', () => {
  it('matches folders, drops excluded and hidden ones, and gives the path parameters', () => {
    const params = generatorItemParams(
      {
        git: {
          repoURL: THIS_REPO,
          directories: [{ path: 'apps/*' }, { path: 'apps/excluded', exclude: true }],
        },
      },
      context(false),
    );
    assert.deepEqual(params, [
      {
        path: 'apps/guestbook',
        'path.basename': 'guestbook',
        'path.basenameNormalized': 'guestbook',
        'path[0]': 'apps',
        'path[1]': 'guestbook',
      },
      {
        path: 'apps/podinfo',
        'path.basename': 'podinfo',
        'path.basenameNormalized': 'podinfo',
        'path[0]': 'apps',
        'path[1]': 'podinfo',
      },
    ]);
    const go = generatorItemParams(
      {
        git: {
          repoURL: THIS_REPO,
          directories: [{ path: 'apps/guestbook' }],
          values: { env: '{{.path.basename}}-x' },
        },
      },
      context(true),
    );
    assert.deepEqual(go, [
      {
        path: {
          path: 'apps/guestbook',
          basename: 'guestbook',
          basenameNormalized: 'guestbook',
          segments: ['apps', 'guestbook'],
        },
        values: { env: 'guestbook-x' },
      },
    ]);
  });
  it('skips another repository with the reason, and refuses a path out of the repository', () => {
    const skipped = problem(() =>
      generatorItemParams(
        {
          git: { repoURL: 'https://github.com/argoproj/argo-cd.git', directories: [{ path: '*' }] },
        },
        context(false),
      ),
    );
    assert.equal(skipped.reason, 'skipped');
    assert.equal(
      skipped.message,
      'its git generator reads https://github.com/argoproj/argo-cd.git, another repository',
    );
    const outside = problem(() =>
      generatorItemParams(
        { git: { repoURL: THIS_REPO, directories: [{ path: '../*' }] } },
        context(false),
      ),
    );
    assert.match(outside.message, /points outside the repository/);
  });
});

describe('git files generator', () => {
  it('flattens JSON and YAML files to parameters as Argo CD does', () => {
    const params = generatorItemParams(
      {
        git: {
          repoURL: THIS_REPO,
          files: [{ path: 'clusters/**/config.*' }, { path: 'clusters/list/*', exclude: true }],
        },
      },
      context(false),
    );
    assert.deepEqual(params, [
      {
        'cluster.name': 'dev',
        'cluster.address': 'https://1.2.3.4',
        replicas: '2',
        'tags.0': 'a',
        'tags.1': 'b',
        path: 'clusters/dev',
        'path.basename': 'dev',
        'path.filename': 'config.json',
        'path.basenameNormalized': 'dev',
        'path.filenameNormalized': 'config.json',
        'path[0]': 'clusters',
        'path[1]': 'dev',
      },
      {
        'cluster.name': 'prod',
        'cluster.address': 'https://5.6.7.8',
        path: 'clusters/prod',
        'path.basename': 'prod',
        'path.filename': 'config.yaml',
        'path.basenameNormalized': 'prod',
        'path.filenameNormalized': 'config.yaml',
        'path[0]': 'clusters',
        'path[1]': 'prod',
      },
    ]);
  });
  it('with goTemplate keeps the file nested and adds .path.*; a list file yields one set per item', () => {
    const params = generatorItemParams(
      { git: { repoURL: THIS_REPO, files: [{ path: 'clusters/list/config.yaml' }] } },
      context(true),
    );
    assert.equal(params.length, 2);
    assert.deepEqual(params[1], {
      cluster: { name: 'two' },
      path: {
        path: 'clusters/list',
        basename: 'list',
        filename: 'config.yaml',
        basenameNormalized: 'list',
        filenameNormalized: 'config.yaml',
        segments: ['clusters', 'list'],
      },
    });
  });
});

describe('cluster generator', () => {
  it('yields every cluster Secret and then in-cluster when no selector is given', () => {
    const params = generatorItemParams({ clusters: {} }, context(false));
    assert.deepEqual(
      params.map((set) => [set.name, set.server]),
      [
        ['production', 'https://prod:6443'],
        ['staging', 'https://staging:6443'],
        ['in-cluster', 'https://kubernetes.default.svc'],
      ],
    );
    assert.equal(params[1]?.['metadata.labels.env'], 'staging');
    assert.equal(params[1]?.['metadata.annotations.team'], 'a');
    assert.equal(params[0]?.project, 'prod');
  });
  it('filters by matchLabels and matchExpressions, without in-cluster', () => {
    const byLabel = generatorItemParams(
      { clusters: { selector: { matchLabels: { env: 'staging' } } } },
      context(true),
    );
    assert.deepEqual(
      byLabel.map((set) => set.name),
      ['staging'],
    );
    assert.deepEqual(byLabel[0]?.metadata, {
      annotations: { team: 'a' },
      labels: { env: 'staging', 'argocd.argoproj.io/secret-type': 'cluster' },
    });
    const byExpression = generatorItemParams(
      {
        clusters: {
          selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['staging'] }] },
        },
      },
      context(false),
    );
    assert.deepEqual(
      byExpression.map((set) => set.name),
      ['production'],
    );
  });
  it('reads cluster Secrets with data (base64) or stringData', () => {
    const secret = clusterSecretOf({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'dev' } },
      data: { name: Buffer.from('dev').toString('base64') },
      stringData: { server: 'https://dev:6443' },
    });
    assert.deepEqual(secret, {
      name: 'dev',
      server: 'https://dev:6443',
      labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'dev' },
      annotations: {},
    });
    assert.equal(
      clusterSecretOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain' } }),
      undefined,
    );
  });
});
