/** Attacks that try to read a file outside the repository. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Attack } from '../support/attack';
import type { Sandbox } from '../support/sandbox';

const targets = ['nothing outside is read'] as const;
const OUTSIDE = /outside the workspace/;

/** A tar archive with one chart folder; made by the system's tar at run time. */
function subchartArchive(repo: string, schema: unknown): void {
  const work = path.join(repo, '.sub-build');
  const chart = path.join(work, 'sub');
  mkdirSync(path.join(chart, 'templates'), { recursive: true });
  writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: sub\nversion: 0.1.0\n');
  writeFileSync(path.join(chart, 'values.schema.json'), JSON.stringify(schema));
  writeFileSync(
    path.join(chart, 'templates', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\ndata:\n  key: value\n',
  );
  const charts = path.join(repo, 'chart', 'charts');
  mkdirSync(charts, { recursive: true });
  execFileSync('tar', ['-czf', path.join(charts, 'sub-0.1.0.tgz'), '-C', work, 'sub']);
  rmSync(work, { recursive: true, force: true });
}

export const outside: readonly Attack[] = [
  {
    id: 'kustomize-resources-outside',
    what: 'resources: ../../outside/base, a kustomization beside the repository',
    targets,
    refusal: OUTSIDE,
  },
  {
    id: 'kustomize-resources-case-folded',
    what: 'Resources: with a capital (kustomize folds keys as Go JSON does) pointing outside',
    targets,
    refusal: OUTSIDE,
  },
  {
    id: 'kustomize-resources-unicode-folded',
    what: 'reſources: (U+017F, which Go folds to s) pointing outside',
    targets,
    refusal: OUTSIDE,
  },
  {
    id: 'kustomize-resources-merge-key',
    what: 'resources pointing outside, brought in by a YAML merge key',
    targets,
    refusal: OUTSIDE,
  },
  {
    id: 'kustomize-absolute-path',
    what: 'resources: an absolute path outside the repository',
    targets,
    refusal: /outside the workspace|absolute/,
  },
  {
    id: 'kustomize-symlinked-file',
    what: 'a resource file that is a symbolic link to a file outside',
    targets,
    refusal: OUTSIDE,
    prepare: (repo: string, sandbox: Sandbox): void => {
      symlinkSync(path.join(sandbox.outside, 'configmap.yaml'), path.join(repo, 'leak.yaml'));
    },
  },
  {
    id: 'kustomize-symlinked-folder',
    what: 'a base folder that is a symbolic link to a folder outside',
    targets,
    refusal: OUTSIDE,
    prepare: (repo: string, sandbox: Sandbox): void => {
      symlinkSync(path.join(sandbox.outside, 'base'), path.join(repo, 'linked'));
    },
  },
  {
    id: 'kustomize-generator-files-outside',
    what: 'configMapGenerator files and envs outside the repository (../.. and /etc/passwd)',
    targets,
    refusal: OUTSIDE,
  },
  {
    id: 'kustomize-generator-files-case-folded',
    what: 'configMapGenerator Files: with a capital pointing outside',
    targets,
    refusal: OUTSIDE,
  },
  {
    id: 'kustomize-patch-outside',
    what: 'patch files outside the repository, one of them under a Path: key',
    targets,
    refusal: OUTSIDE,
  },
  {
    id: 'kustomize-openapi-path',
    what: 'openapi.path: /etc/passwd',
    targets,
    refusal: OUTSIDE,
  },
  {
    id: 'kustomize-replacements-outside',
    what: 'a replacements file outside the repository',
    targets,
    refusal: OUTSIDE,
  },
  {
    id: 'kustomize-components-outside',
    what: 'a component outside the repository',
    targets,
    refusal: OUTSIDE,
  },
  {
    id: 'helm-files-get-symlink',
    what: "a chart file that is a symbolic link outside, read by the template's .Files.Get",
    targets,
    unit: 'chart',
    refusal: OUTSIDE,
    prepare: (repo: string, sandbox: Sandbox): void => {
      symlinkSync(path.join(sandbox.outside, 'secret.txt'), path.join(repo, 'chart', 'leak.txt'));
    },
  },
  {
    id: 'helm-templates-symlinked-folder',
    what: 'a chart whose templates folder is a symbolic link to a folder outside',
    targets,
    unit: 'chart',
    refusal: OUTSIDE,
    prepare: (repo: string, sandbox: Sandbox): void => {
      symlinkSync(path.join(sandbox.outside, 'templates'), path.join(repo, 'chart', 'templates'));
    },
  },
  {
    id: 'helm-values-file-outside',
    what: 'Argo CD valueFiles and Flux valuesFiles outside the repository',
    targets,
    unit: 'apps/web.yaml',
    refusal: OUTSIDE,
  },
  {
    id: 'helm-schema-ref-file-url',
    what: 'values.schema.json with $ref: file:///etc/passwd',
    targets,
    unit: 'chart',
    refusal: /values\.schema\.json.*file:\/\/\/etc\/passwd/,
  },
  {
    id: 'helm-schema-ref-relative-path',
    what: 'values.schema.json with a relative $ref, which helm resolves against file:///',
    targets,
    unit: 'chart',
    refusal: /values\.schema\.json/,
  },
  {
    id: 'helm-schema-ref-in-subchart-archive',
    what: 'a subchart archive (charts/sub-0.1.0.tgz) whose values.schema.json has $ref: file:///etc/passwd',
    targets,
    unit: 'chart',
    refusal: /sub-0\.1\.0\.tgz.*values\.schema\.json/,
    prepare: (repo: string): void => {
      subchartArchive(repo, { type: 'object', properties: { a: { $ref: 'file:///etc/passwd' } } });
    },
  },
  {
    id: 'flux-kustomization-path-outside',
    what: 'a Flux Kustomization whose spec.path leaves the repository',
    targets,
    unit: 'clusters/dev/apps.yaml',
    refusal: OUTSIDE,
  },
  {
    id: 'argocd-path-outside',
    what: 'an Argo CD Application whose source.path leaves the repository',
    targets,
    unit: 'apps/web.yaml',
    refusal: OUTSIDE,
  },
  {
    id: 'fifo-instead-of-file',
    what: 'a named pipe where a manifest should be: reading it would block forever',
    targets: ['bounded time and memory'],
    afterCommit: (repo: string): void => {
      execFileSync('mkfifo', [path.join(repo, 'pipe.yaml')]);
    },
  },
  {
    id: 'symlink-loop',
    what: 'folders that link to each other in a loop',
    targets: ['bounded time and memory'],
    prepare: (repo: string): void => {
      mkdirSync(path.join(repo, 'loop'));
      symlinkSync('../loop', path.join(repo, 'loop', 'again'));
      symlinkSync('b', path.join(repo, 'a'));
      symlinkSync('a', path.join(repo, 'b'));
    },
  },
];
