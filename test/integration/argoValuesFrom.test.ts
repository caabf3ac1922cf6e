import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isInside } from '../../server/src/engine/files/pathInside';
import { unitValuesFindings } from '../../server/src/engine/helm/unitValuesFindings';
import type { UnitValuesContext } from '../../server/src/engine/helm/unitValuesFindings';
import { readChartValuesSchema } from '../../server/src/engine/helm/valuesFindings';
import type { RenderUnit, ValuesReference } from '../../server/src/engine/render/types';
import { renderTools, runDirect } from './support/renderSupport';

const CHART = path.resolve(__dirname, '..', 'fixtures', 'charts', 'opentelemetry-collector');

/** What every case's values hold so the chart renders at all. */
const RENDERABLE = ['mode: deployment', 'image:', '  repository: otel/opentelemetry-collector-k8s'];

/**
 * An Argo CD source's `helm` field, and the `helm template` flags Argo CD passes for it, written
 * out by hand: value files, the inline values as one more values file, then `--set` and
 * `--set-string` (commas escaped).
 */
interface ArgoCase {
  readonly name: string;
  readonly helm: readonly string[];
  readonly files?: Readonly<Record<string, string>>;
  readonly inline?: string;
  readonly flags: readonly string[];
  /** What helm refuses (its error's locations). */
  readonly refused: readonly string[];
}

const ARGO_CASES: readonly ArgoCase[] = [
  {
    name: 'valuesObject and a typed parameter',
    helm: [
      'valuesObject:',
      ...RENDERABLE.map((line) => `  ${line}`),
      'parameters:',
      '  - name: replicaCount',
      '    value: "3"',
    ],
    inline: RENDERABLE.join('\n'),
    flags: ['--set', 'replicaCount=3'],
    refused: [],
  },
  {
    name: 'a forceString parameter where an integer is wanted',
    helm: [
      'valuesObject:',
      ...RENDERABLE.map((line) => `  ${line}`),
      'parameters:',
      '  - name: replicaCount',
      '    value: "3"',
      '    forceString: true',
    ],
    inline: RENDERABLE.join('\n'),
    flags: ['--set-string', 'replicaCount=3'],
    refused: ['/replicaCount'],
  },
  {
    name: 'a parameter value with a comma (escaped by Argo CD)',
    helm: [
      'valuesObject:',
      ...RENDERABLE.map((line) => `  ${line}`),
      'parameters:',
      '  - name: replicaCount',
      '    value: 3,4',
    ],
    inline: RENDERABLE.join('\n'),
    flags: ['--set', 'replicaCount=3\\,4'],
    refused: ['/replicaCount'],
  },
  {
    name: 'a values text with a wrong enum and a wrong nested type',
    helm: [
      'values: |',
      ...RENDERABLE.map((line) => `  ${line.replace('deployment', 'job')}`),
      '  resources:',
      '    limits:',
      '      cpu: 1.5',
    ],
    inline: [
      ...RENDERABLE.map((line) => line.replace('deployment', 'job')),
      'resources:',
      '  limits:',
      '    cpu: 1.5',
    ].join('\n'),
    flags: [],
    refused: ['/mode', '/resources/limits/cpu'],
  },
  {
    name: 'a values file outside the chart refused, then fixed by a parameter',
    helm: [
      'valueFiles:',
      '  - ../env/prod.yaml',
      'valuesObject:',
      ...RENDERABLE.map((line) => `  ${line}`),
      'parameters:',
      '  - name: hostNetwork',
      '    value: "true"',
    ],
    files: { 'env/prod.yaml': 'hostNetwork: sometimes\nreplicaCount: "2"\n' },
    inline: RENDERABLE.join('\n'),
    flags: ['--set', 'hostNetwork=true'],
    refused: ['/replicaCount'],
  },
  {
    name: 'a null in valuesObject that removes a required default',
    helm: [
      'valuesObject:',
      ...RENDERABLE.map((line) => `  ${line}`),
      '  rollout:',
      '    strategy: null',
    ],
    inline: [...RENDERABLE, 'rollout:', '  strategy: null'].join('\n'),
    flags: [],
    refused: ['/rollout'],
  },
];

/**
 * A HelmRelease's `spec.values` and its `valuesFrom` ConfigMaps and Secrets, and the flags that
 * give helm the same values: each ConfigMap's text as a values file in order (`--set` for a
 * targetPath), then `spec.values` as the last values file.
 */
interface FluxCase {
  readonly name: string;
  readonly values?: readonly string[];
  readonly configs: string;
  readonly valuesFrom: readonly Omit<ValuesReference, 'file'>[];
  readonly flagsOf: (dir: string) => string[];
  readonly refused: readonly string[];
}

function config(kind: string, name: string, field: string, body: readonly string[]): string {
  return [
    'apiVersion: v1',
    `kind: ${kind}`,
    'metadata:',
    `  name: ${name}`,
    `${field}:`,
    ...body.map((line) => `  ${line}`),
  ].join('\n');
}

const FLUX_CASES: readonly FluxCase[] = [
  {
    name: 'ConfigMap values that meet the schema',
    configs: config('ConfigMap', 'base', 'data', [
      'values.yaml: |',
      ...RENDERABLE.map((line) => `  ${line}`),
    ]),
    valuesFrom: [{ kind: 'ConfigMap', name: 'base', valuesKey: 'values.yaml', optional: false }],
    flagsOf: (dir) => ['--values', path.join(dir, 'cm-0.yaml')],
    refused: [],
  },
  {
    name: 'a wrong type in a ConfigMap, not fixed by spec.values',
    values: ['nameOverride: fine'],
    configs: config('ConfigMap', 'base', 'data', [
      'values.yaml: |',
      ...RENDERABLE.map((line) => `  ${line}`),
      '  replicaCount: "3"',
    ]),
    valuesFrom: [{ kind: 'ConfigMap', name: 'base', valuesKey: 'values.yaml', optional: false }],
    flagsOf: (dir) => [
      '--values',
      path.join(dir, 'cm-0.yaml'),
      '--values',
      path.join(dir, 'spec.yaml'),
    ],
    refused: ['/replicaCount'],
  },
  {
    name: 'a wrong ConfigMap value that spec.values sets right',
    values: ['replicaCount: 2'],
    configs: config('ConfigMap', 'base', 'data', [
      'values.yaml: |',
      ...RENDERABLE.map((line) => `  ${line}`),
      '  replicaCount: "3"',
    ]),
    valuesFrom: [{ kind: 'ConfigMap', name: 'base', valuesKey: 'values.yaml', optional: false }],
    flagsOf: (dir) => [
      '--values',
      path.join(dir, 'cm-0.yaml'),
      '--values',
      path.join(dir, 'spec.yaml'),
    ],
    refused: [],
  },
  {
    name: 'a Secret and a targetPath value',
    configs: [
      config('Secret', 'secret', 'stringData', [
        'values.yaml: |',
        ...RENDERABLE.map((line) => `  ${line}`),
        '  hostNetwork: sometimes',
      ]),
      '---',
      config('ConfigMap', 'count', 'data', ['replicas: "4"']),
    ].join('\n'),
    valuesFrom: [
      { kind: 'Secret', name: 'secret', valuesKey: 'values.yaml', optional: false },
      {
        kind: 'ConfigMap',
        name: 'count',
        valuesKey: 'replicas',
        targetPath: 'replicaCount',
        optional: false,
      },
    ],
    flagsOf: (dir) => ['--values', path.join(dir, 'cm-0.yaml'), '--set', 'replicaCount=4'],
    refused: ['/hostNetwork'],
  },
];

/** The locations helm's schema error names (`- at '/replicaCount': ...`). */
function helmRefused(stderr: string): string[] {
  if (!stderr.includes("values don't meet the specifications of the schema")) return [];
  return sorted([...stderr.matchAll(/^- at '([^']*)'/gm)].map((match) => match[1] ?? ''));
}

function sorted(items: readonly string[]): string[] {
  return [...new Set(items)].sort();
}

describe('Argo CD and valuesFrom values: the engine refuses what helm refuses', () => {
  let helm = '';
  let repo = '';
  let chartDir = '';
  let context: UnitValuesContext;
  before(async () => {
    helm = (await renderTools()).helm;
    repo = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gw-argo-values-')));
    chartDir = path.join(repo, 'otel');
    cpSync(CHART, chartDir, { recursive: true });
    mkdirSync(path.join(repo, 'apps'), { recursive: true });
    const read = (file: string): Promise<string | undefined> =>
      Promise.resolve(existsSync(file) ? readFileSync(file, 'utf8') : undefined);
    context = {
      repoRoot: repo,
      read,
      whereIs: (file) =>
        Promise.resolve(
          !existsSync(file) ? 'missing' : isInside(repo, realpathSync(file)) ? 'inside' : 'outside',
        ),
      chartOf: (root) => readChartValuesSchema(root, repo, read),
    };
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  async function helmSays(flags: readonly string[]): Promise<string> {
    try {
      await runDirect(helm, ['template', 'release', chartDir, ...flags], repo);
      return '';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  async function engineSays(unit: RenderUnit): Promise<string[]> {
    const placed = await unitValuesFindings(unit, context);
    return sorted(placed.map(({ finding }) => /^At '([^']*)'/.exec(finding.message)?.[1] ?? '?'));
  }

  for (const [index, testCase] of ARGO_CASES.entries()) {
    it(`Argo CD: ${testCase.name}`, async () => {
      const dir = path.join(repo, `argo-${index}`);
      mkdirSync(dir, { recursive: true });
      const flags: string[] = [];
      for (const [relative, text] of Object.entries(testCase.files ?? {})) {
        const file = path.join(repo, relative);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text);
        flags.push('--values', file);
      }
      if (testCase.inline !== undefined) {
        writeFileSync(path.join(dir, 'inline.yaml'), `${testCase.inline}\n`);
        flags.push('--values', path.join(dir, 'inline.yaml'));
      }
      flags.push(...testCase.flags);
      const app = path.join(repo, 'apps', `app-${index}.yaml`);
      writeFileSync(
        app,
        [
          'apiVersion: argoproj.io/v1alpha1',
          'kind: Application',
          'metadata:',
          `  name: app-${index}`,
          'spec:',
          '  source:',
          '    repoURL: https://example.com/repo.git',
          '    path: otel',
          '    helm:',
          ...testCase.helm.map((line) => `      ${line}`),
          '',
        ].join('\n'),
      );
      const stderr = await helmSays(flags);
      const byHelm = helmRefused(stderr);
      assert.deepEqual(byHelm, sorted(testCase.refused), `helm said: ${stderr}`);
      if (byHelm.length === 0) assert.equal(stderr, '', 'helm renders these values');
      const byEngine = await engineSays({
        kind: 'argocd-application',
        id: `argocd-application:${app}:1:0`,
        name: `app-${index}`,
        root: chartDir,
        renderer: 'helm',
        definedIn: { file: app, line: 1 },
        helm: { releaseName: 'release', valueFiles: [] },
      });
      assert.deepEqual(byEngine, byHelm, `helm said: ${stderr}`);
    });
  }

  for (const [index, testCase] of FLUX_CASES.entries()) {
    it(`Flux valuesFrom: ${testCase.name}`, async () => {
      const dir = path.join(repo, `flux-${index}`);
      mkdirSync(dir, { recursive: true });
      const configFile = path.join(repo, 'apps', `config-${index}.yaml`);
      writeFileSync(configFile, `${testCase.configs}\n`);
      // The values helm gets, written from the case, not from the engine.
      const first = /\|\n((?: {4}.*\n?)+)/.exec(testCase.configs)?.[1] ?? '';
      writeFileSync(path.join(dir, 'cm-0.yaml'), first.replace(/^ {4}/gm, ''));
      writeFileSync(path.join(dir, 'spec.yaml'), `${(testCase.values ?? []).join('\n')}\n`);
      const release = path.join(repo, 'apps', `release-${index}.yaml`);
      writeFileSync(
        release,
        [
          'apiVersion: helm.toolkit.fluxcd.io/v2',
          'kind: HelmRelease',
          'metadata:',
          `  name: release-${index}`,
          'spec:',
          ...(testCase.values
            ? ['  values:', ...testCase.values.map((line) => `    ${line}`)]
            : []),
          '',
        ].join('\n'),
      );
      const stderr = await helmSays(testCase.flagsOf(dir));
      const byHelm = helmRefused(stderr);
      assert.deepEqual(byHelm, sorted(testCase.refused), `helm said: ${stderr}`);
      if (byHelm.length === 0) assert.equal(stderr, '', 'helm renders these values');
      const byEngine = await engineSays({
        kind: 'flux-helmrelease',
        id: `flux-helmrelease:${release}:1`,
        name: `release-${index}`,
        root: chartDir,
        renderer: 'helm',
        definedIn: { file: release, line: 1 },
        helm: {
          releaseName: 'release',
          valueFiles: [],
          valuesFrom: testCase.valuesFrom.map((reference) => ({ ...reference, file: configFile })),
        },
      });
      assert.deepEqual(byEngine, byHelm, `helm said: ${stderr}`);
    });
  }
});
