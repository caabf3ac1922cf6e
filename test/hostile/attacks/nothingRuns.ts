/** Attacks that try to make a tool run a program or turn on a dangerous flag. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Attack } from '../support/attack';

const targets = ['nothing runs'] as const;
const RELEASE_NAME = /release name "--post-renderer=pwn"/i;

export const nothingRuns: readonly Attack[] = [
  {
    id: 'helm-chart-name-post-renderer',
    what: "a chart named --post-renderer=pwn, which a default release name taken from the chart would pass to helm as a flag that runs a program (a chart alone renders under helm's own 'release-name')",
    targets,
    unit: 'chart',
  },
  {
    id: 'helm-release-name-set-file',
    what: 'a HelmRelease whose releaseName is --set-file=leak=<file outside the repo>',
    targets: ['nothing runs', 'nothing outside is read'],
    unit: 'flux/release.yaml',
    refusal: /release name "--set-file=leak=/i,
  },
  {
    id: 'flux-helmrelease-release-name',
    what: 'a Flux HelmRelease whose spec.releaseName is --post-renderer=pwn',
    targets,
    unit: 'flux/release.yaml',
    refusal: RELEASE_NAME,
  },
  {
    id: 'flux-helmrelease-metadata-name',
    what: 'a Flux HelmRelease named --post-renderer=pwn (the default release name)',
    targets,
    unit: 'flux/release.yaml',
    refusal: /--post-renderer=pwn/,
  },
  {
    id: 'flux-helmrelease-target-namespace',
    what: 'a Flux HelmRelease whose targetNamespace (namespace flag and release name prefix) is --post-renderer=pwn',
    targets,
    unit: 'flux/release.yaml',
    refusal: /--post-renderer=pwn/,
  },
  {
    id: 'argocd-helm-release-name',
    what: 'an Argo CD Application whose helm.releaseName is --post-renderer=pwn',
    targets,
    unit: 'apps/web.yaml',
    refusal: RELEASE_NAME,
  },
  {
    id: 'argocd-app-name',
    what: 'an Argo CD Application named --post-renderer=pwn (the default release name)',
    targets,
    unit: 'apps/web.yaml',
    refusal: /--post-renderer=pwn/,
  },
  {
    id: 'argocd-helm-parameters',
    what: 'Argo CD helm parameters whose name and value look like flags',
    targets,
    unit: 'apps/web.yaml',
  },
  {
    id: 'argocd-helm-namespace',
    what: 'an Argo CD Application whose destination namespace is --post-renderer=pwn',
    targets,
    unit: 'apps/web.yaml',
    refusal: /--post-renderer=pwn/,
  },
  {
    id: 'argocd-config-management-plugin',
    what: 'an Argo CD Application rendered by a config management plugin named pwn',
    targets,
    unit: 'apps/web.yaml',
  },
  {
    id: 'kustomize-exec-function',
    what: 'a kustomize generator that is an exec KRM function running pwn',
    targets,
    refusal: /exec KRM function/,
  },
  {
    id: 'kustomize-container-function',
    what: 'a kustomize transformer that is a container KRM function',
    targets,
    refusal: /container KRM function/,
  },
  {
    id: 'kustomize-alpha-plugin',
    what: 'a kustomize generator that is an alpha plugin (needs --enable-alpha-plugins)',
    targets,
    refusal: /kustomize plugin/,
  },
  {
    id: 'kustomize-helmcharts',
    what: 'a kustomization with helmCharts (needs --enable-helm, which runs helm from the repo)',
    targets,
    refusal: /helmCharts/,
  },
  {
    id: 'kustomize-helmcharts-case-folded',
    what: 'HelmCharts: spelt with a capital, which kustomize reads as helmCharts',
    targets,
    refusal: /helmCharts/i,
  },
  {
    id: 'kustomize-function-via-merge-key',
    what: 'an exec function generator hidden behind a YAML merge key (<<:)',
    targets,
    refusal: /exec KRM function/,
  },
  {
    id: 'unit-folder-named-like-a-flag',
    what: 'units in folders named --enable-alpha-plugins and -o',
    targets,
    unit: '--enable-alpha-plugins',
  },
  {
    id: 'git-config-runs-programs',
    what: "a repository whose own .git/config names programs for git's read commands (core.fsmonitor, diff.external, textconv, core.pager)",
    targets,
    afterCommit: (repo: string): void => {
      const set = (key: string, value: string): void => {
        execFileSync('git', ['config', key, value], { cwd: repo, stdio: 'ignore' });
      };
      set('core.fsmonitor', 'pwn');
      set('diff.external', 'pwn');
      set('diff.pwn.textconv', 'pwn');
      set('core.pager', 'pwn');
      set('core.sshCommand', 'pwn');
      set('gpg.program', 'pwn');
      writeFileSync(path.join(repo, '.git', 'info', 'attributes'), '* diff=pwn\n');
    },
  },
];
