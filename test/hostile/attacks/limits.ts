/** Attacks on time and memory: bombs, endless templates, huge and deep inputs. */
import { createWriteStream, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Attack } from '../support/attack';

const targets = ['bounded time and memory'] as const;
const MEMORY = /used more than \d+ MB/;

/** Writes `count` copies of `chunk` to `file` without holding them all in memory. */
async function writeRepeated(
  file: string,
  head: string,
  chunk: string,
  count: number,
): Promise<void> {
  const out = createWriteStream(file);
  out.write(head);
  for (let i = 0; i < count; i++) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

export const limits: readonly Attack[] = [
  {
    id: 'kustomize-alias-bomb',
    what: 'a billion-laughs alias bomb in a resource that kustomize builds',
    targets,
    refusal: /alias|memory|MB/i,
  },
  {
    id: 'yaml-alias-bomb-in-editor',
    what: 'a billion-laughs alias bomb in a manifest the editor and check parse',
    targets,
  },
  {
    id: 'helm-string-doubling',
    what: 'a template that doubles a string 40 times (16 TB if nothing stops it)',
    targets,
    unit: 'chart',
    refusal: MEMORY,
  },
  {
    id: 'helm-endless-range',
    what: 'a template that loops two billion times',
    targets,
    unit: 'chart',
    refusal: /within .* s and was stopped|more than \d+ MB/,
  },
  {
    id: 'helm-template-recursion',
    what: 'a template that includes itself forever',
    targets,
    unit: 'chart',
    refusal: /recursion|include/i,
  },
  {
    id: 'kustomize-cycle',
    what: 'two kustomizations that include each other',
    targets,
    unit: 'a',
    refusal: /cycle|cyclic/i,
  },
  {
    id: 'flux-kustomization-includes-itself',
    what: 'a Flux Kustomization whose path is its own folder',
    targets,
    unit: 'clusters/dev/apps.yaml',
  },
  {
    id: 'deeply-nested-yaml',
    what: 'documents nested 100,000 levels deep (flow) and 3,000 levels deep (block)',
    targets,
    prepare: (repo: string): void => {
      writeFileSync(
        path.join(repo, 'flow.yaml'),
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flow\ndata:\n  a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
      );
      let block = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: block\n  labels:\n';
      for (let depth = 2; depth < 3_000; depth++) block += `${' '.repeat(depth)}k:\n`;
      writeFileSync(path.join(repo, 'block.yaml'), block);
    },
  },
  {
    id: 'huge-file',
    what: 'a 160 MB manifest file',
    targets,
    touch: 'NOTES.md',
    afterCommit: (repo: string): Promise<void> =>
      writeRepeated(
        path.join(repo, 'huge.yaml'),
        '',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  key: value\n---\n',
        2_500_000,
      ),
  },
  {
    id: 'many-documents',
    what: 'one file of 200,000 empty documents',
    targets,
    prepare: (repo: string): void => {
      writeFileSync(path.join(repo, 'many.yaml'), '---\n'.repeat(200_000));
    },
  },
  {
    id: 'very-long-line',
    what: 'a manifest with a 32 MB line',
    targets,
    afterCommit: (repo: string): Promise<void> =>
      writeRepeated(
        path.join(repo, 'long.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\ndata:\n  key: "',
        'x'.repeat(1024),
        32 * 1024,
      ).then(() => writeFileSync(path.join(repo, 'long.yaml'), '"\n', { flag: 'a' })),
  },
  {
    id: 'crd-pattern-backtracking',
    what: 'a CRD in the repository whose pattern backtracks exponentially, and an object that triggers it',
    targets,
  },
  {
    id: 'crd-cel-rule-cost',
    what: 'a CRD whose CEL rules cost 8 billion steps on 2,000 items, and a find() that backtracks',
    targets,
    // The step count or, on a loaded machine, the time limit stops it first.
    refusal: /cel-cost\] spec: the rule(s of this object)? (costs more than|ran longer than)/,
    refusalIn: ['check'],
  },
];
