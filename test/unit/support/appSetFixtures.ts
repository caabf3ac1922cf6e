/** A repository, cluster Secrets and a generator context for the ApplicationSet unit tests. */
import assert from 'node:assert/strict';
import type {
  ClusterSecret,
  GeneratorContext,
  RepoFiles,
} from '../../../server/src/engine/render/appSets/appSetTypes';
import { AppSetProblem } from '../../../server/src/engine/render/appSets/appSetTypes';

export const THIS_REPO = 'https://github.com/example/platform.git';

export function repo(files: Record<string, string>): RepoFiles {
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

export const REPO = repo({
  'apps/guestbook/kustomization.yaml': 'resources: []',
  'apps/podinfo/Chart.yaml': 'name: podinfo',
  'apps/excluded/kustomization.yaml': 'resources: []',
  'apps/.hidden/kustomization.yaml': 'resources: []',
  'clusters/dev/config.json':
    '{"cluster": {"name": "dev", "address": "https://1.2.3.4"}, "replicas": 2, "tags": ["a", "b"]}',
  'clusters/prod/config.yaml': 'cluster:\n  name: prod\n  address: https://5.6.7.8\n',
  'clusters/list/config.yaml': '- cluster: {name: one}\n- cluster: {name: two}\n',
});

export const SECRETS: ClusterSecret[] = [
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

export function context(
  goTemplate: boolean,
  extra: Partial<GeneratorContext> = {},
): GeneratorContext {
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

export function problem(run: () => unknown): AppSetProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof AppSetProblem) return error;
    throw error;
  }
  assert.fail('expected an AppSetProblem');
}
