import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  ClusterSecret,
  GeneratorContext,
  RepoFiles,
} from '../../server/src/engine/render/appSets/appSetTypes';
import { AppSetProblem } from '../../server/src/engine/render/appSets/appSetTypes';
import { clusterSecretOf } from '../../server/src/engine/render/appSets/clusterGenerator';
import { expandApplicationSet } from '../../server/src/engine/render/appSets/expandAppSet';
import { generatorItemParams } from '../../server/src/engine/render/appSets/generators';
import { gitPathspecMatch, goPathMatch } from '../../server/src/engine/render/appSets/pathGlobs';

const THIS_REPO = 'https://github.com/example/platform.git';

function repo(files: Record<string, string>): RepoFiles {
  const names = Object.keys(files).sort();
  const dirs = new Set<string>();
  for (const name of names) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return {
    directories: () =>
      [...dirs].filter((dir) => !dir.split('/').some((p) => p.startsWith('.'))).sort(),
    files: () => names,
    read: (file) => files[file],
  };
}

const REPO = repo({
  'apps/guestbook/kustomization.yaml': 'resources: []',
  'apps/podinfo/Chart.yaml': 'name: podinfo',
  'apps/excluded/kustomization.yaml': 'resources: []',
  'apps/.hidden/kustomization.yaml': 'resources: []',
  'clusters/dev/config.json':
    '{"cluster": {"name": "dev", "address": "https://1.2.3.4"}, "replicas": 2, "tags": ["a", "b"]}',
  'clusters/prod/config.yaml': 'cluster:\n  name: prod\n  address: https://5.6.7.8\n',
  'clusters/list/config.yaml': '- cluster: {name: one}\n- cluster: {name: two}\n',
});

const SECRETS: ClusterSecret[] = [
  {
    name: 'staging',
    server: 'https://staging:6443',
    labels: { env: 'staging', 'argocd.argoproj.io/secret-type': 'cluster' },
    annotations: { team: 'a' },
  },
  {
    name: 'production',
    server: 'https://prod:6443',
    project: 'prod',
    labels: { env: 'prod', 'argocd.argoproj.io/secret-type': 'cluster' },
    annotations: {},
  },
];

function context(goTemplate: boolean, extra: Partial<GeneratorContext> = {}): GeneratorContext {
  return {
    appSetName: 'demo',
    goTemplate,
    goTemplateOptions: [],
    repoCheck: (url) =>
      url === THIS_REPO ? undefined : `its git generator reads ${url ?? ''}, another repository`,
    repo: REPO,
    clusters: SECRETS,
    limit: 1000,
    ...extra,
  };
}

function problem(run: () => unknown): AppSetProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof AppSetProblem) return error;
    throw error;
  }
  assert.fail('expected an AppSetProblem');
}

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

describe('the selector of a generator item', () => {
  it('keeps the parameter sets whose flattened parameters it selects', () => {
    const params = generatorItemParams(
      {
        list: { elements: [{ cluster: { env: 'dev' } }, { cluster: { env: 'prod' } }] },
        selector: { matchLabels: { 'cluster.env': 'prod' } },
      },
      context(true),
    );
    assert.deepEqual(params, [{ cluster: { env: 'prod' } }]);
  });
  it('stops reading files past the limit', () => {
    const read: string[] = [];
    const files = repo(
      Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c/${i}/config.json`, '{}'])),
    );
    const counted: RepoFiles = { ...files, read: (file) => (read.push(file), files.read(file)) };
    const params = generatorItemParams(
      { git: { repoURL: THIS_REPO, files: [{ path: 'c/**' }] } },
      context(false, { repo: counted, limit: 5 }),
    );
    assert.equal(params.length, 6);
    assert.equal(read.length, 6);
  });
});

describe('matrix and merge generators', () => {
  it('matrix pairs both children, the second templated with the first', () => {
    const params = generatorItemParams(
      {
        matrix: {
          generators: [
            { git: { repoURL: THIS_REPO, directories: [{ path: 'apps/guestbook' }] } },
            { list: { elements: [{ env: '{{path.basename}}-dev' }, { env: 'prod' }] } },
          ],
        },
      },
      context(false),
    );
    assert.deepEqual(
      params.map((set) => [set.path, set.env]),
      [
        ['apps/guestbook', 'guestbook-dev'],
        ['apps/guestbook', 'prod'],
      ],
    );
  });
  it('matrix refuses a key both children set differently (fasttemplate), as Argo CD does', () => {
    const conflict = problem(() =>
      generatorItemParams(
        {
          matrix: {
            generators: [
              { list: { elements: [{ a: '1' }] } },
              { list: { elements: [{ a: '2' }] } },
            ],
          },
        },
        context(false),
      ),
    );
    assert.equal(conflict.reason, 'invalid');
    assert.match(conflict.message, /both set "a", to "1" and "2"/);
  });
  it('merge overrides the base sets that agree on the merge keys', () => {
    const params = generatorItemParams(
      {
        merge: {
          mergeKeys: ['server'],
          generators: [
            { clusters: { values: { kafka: 'true' } } },
            { list: { elements: [{ server: 'https://prod:6443', 'values.kafka': 'false' }] } },
          ],
        },
      },
      context(false),
    );
    assert.deepEqual(
      params.map((set) => [set.name, set['values.kafka']]),
      [
        ['production', 'false'],
        ['staging', 'true'],
        ['in-cluster', 'true'],
      ],
    );
  });
});

describe('expanding an ApplicationSet', () => {
  const template = {
    metadata: { name: '{{name}}-guestbook' },
    spec: {
      project: 'default',
      source: { repoURL: THIS_REPO, path: 'apps/guestbook' },
      destination: { server: '{{server}}', namespace: 'guestbook' },
    },
  };
  const inputs = { repoCheck: context(false).repoCheck, repo: REPO, clusters: SECRETS };
  it('names unsupported generators as information and still expands the others', () => {
    const expansion = expandApplicationSet(
      {
        metadata: { name: 'demo', namespace: 'argocd' },
        spec: {
          generators: [
            { pullRequest: { github: { owner: 'x', repo: 'y' } } },
            { clusters: { selector: { matchLabels: { env: 'prod' } } } },
          ],
          template,
        },
      },
      inputs,
    );
    assert.deepEqual(
      expansion.applications.map((app) => app.name),
      ['production-guestbook'],
    );
    assert.equal(
      (expansion.applications[0]?.resource.metadata as Record<string, unknown>).namespace,
      'argocd',
    );
    assert.deepEqual(expansion.notes, [
      {
        reason: 'unsupported',
        message:
          'its pullRequest generator asks a forge for open pull requests, which is not done offline, so the Applications it generates are not shown',
      },
    ]);
  });
  it('says the clusters Argo CD knows are not in a repository that defines no cluster Secret', () => {
    const expansion = expandApplicationSet(
      {
        metadata: { name: 'c' },
        spec: {
          generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }],
          template,
        },
      },
      { ...inputs, clusters: [] },
    );
    assert.deepEqual(expansion.applications, []);
    assert.deepEqual(expansion.notes, [
      {
        reason: 'unknown',
        message:
          'its clusters generator reads the clusters registered in Argo CD, and this repository defines no cluster Secret (labelled argocd.argoproj.io/secret-type: cluster) for its selector, so the Applications it generates for them are not shown',
      },
    ]);
    const inCluster = expandApplicationSet(
      { metadata: { name: 'c' }, spec: { generators: [{ clusters: {} }], template } },
      { ...inputs, clusters: [] },
    );
    assert.deepEqual(
      inCluster.applications.map((app) => app.name),
      ['in-cluster-guestbook'],
    );
    assert.match(
      inCluster.notes[0]?.message ?? '',
      /so only the in-cluster cluster is known here$/,
    );
  });
  it('caps the Applications of one set, saying so', () => {
    const elements = Array.from({ length: 12 }, (_, i) => ({ name: `c${i}`, server: 's' }));
    const expansion = expandApplicationSet(
      { metadata: { name: 'many' }, spec: { generators: [{ list: { elements } }], template } },
      { ...inputs, limit: 10 },
    );
    assert.equal(expansion.applications.length, 10);
    assert.deepEqual(expansion.notes, [
      {
        reason: 'capped',
        message: 'it generates more than 10 Applications; only the first 10 are shown',
      },
    ]);
  });
  it('refuses duplicate Application names and templatePatch, generating nothing', () => {
    const duplicate = expandApplicationSet(
      {
        metadata: { name: 'd' },
        spec: {
          generators: [
            {
              list: {
                elements: [
                  { name: 'a', server: 's' },
                  { name: 'a', server: 't' },
                ],
              },
            },
          ],
          template,
        },
      },
      inputs,
    );
    assert.deepEqual(duplicate.applications, []);
    assert.equal(duplicate.notes[0]?.reason, 'invalid');
    assert.match(duplicate.notes[0]?.message ?? '', /two Applications named a-guestbook/);
    const patched = expandApplicationSet(
      {
        metadata: { name: 'p' },
        spec: { generators: [{ list: { elements: [] } }], template, templatePatch: 'spec: {}' },
      },
      inputs,
    );
    assert.equal(patched.notes[0]?.reason, 'unsupported');
    assert.match(patched.notes[0]?.message ?? '', /templatePatch is not applied offline/);
  });
  it("lays a generator's own template over the set's", () => {
    const expansion = expandApplicationSet(
      {
        metadata: { name: 'o' },
        spec: {
          generators: [
            {
              list: {
                elements: [{ name: 'x', server: 's' }],
                template: { metadata: {}, spec: { destination: { namespace: 'other' } } },
              },
            },
          ],
          template,
        },
      },
      inputs,
    );
    const spec = expansion.applications[0]?.resource.spec as {
      destination: Record<string, unknown>;
      project: string;
    };
    assert.deepEqual(spec.destination, { server: 's', namespace: 'other' });
    assert.equal(spec.project, 'default');
  });
});
