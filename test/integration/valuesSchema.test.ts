import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  readChartValuesSchema,
  valuesFileFindings,
} from '../../server/src/engine/helm/valuesFindings';
import type { ChartValuesSchema } from '../../server/src/engine/helm/valuesFindings';
import { renderTools, runDirect } from './support/renderSupport';

const CHART = path.resolve(__dirname, '..', 'fixtures', 'charts', 'opentelemetry-collector');

/** What every case sets, unless it sets the key itself, so the chart renders at all. */
const RENDERABLE: Readonly<Record<string, string>> = {
  mode: 'mode: deployment\n',
  image: 'image:\n  repository: otel/opentelemetry-collector-k8s\n',
};

function valuesText(values: string): string {
  const own = new Set([...values.matchAll(/^([\w-]+):/gm)].map((match) => match[1]));
  const added = Object.entries(RENDERABLE)
    .filter(([key]) => !own.has(key))
    .map(([, text]) => text);
  return `${added.join('')}${values}`;
}

/** Values files over the chart's defaults, and what helm says of each. */
const CASES: ReadonlyArray<{ name: string; values: string; refused: readonly string[] }> = [
  { name: 'renderable values', values: '', refused: [] },
  {
    name: 'a string where an integer is wanted',
    values: 'replicaCount: "3"\n',
    refused: ['/replicaCount'],
  },
  {
    name: 'a value outside an enum',
    values: 'image:\n  repository: otel/opentelemetry-collector-k8s\n  pullPolicy: Sometimes\n',
    refused: ['/image/pullPolicy'],
  },
  { name: 'an unknown top-level key', values: 'replicas: 2\n', refused: [''] },
  {
    name: 'a port without its required key (patternProperties)',
    values: 'ports:\n  jaeger:\n    containerPort: 14250\n',
    refused: ['/ports/jaeger'],
  },
  {
    name: 'a wrong type in a port (patternProperties)',
    values: 'ports:\n  otlp:\n    containerPort: "4317"\n',
    refused: ['/ports/otlp/containerPort'],
  },
  {
    name: 'a null that removes a required default',
    values: 'rollout:\n  strategy: null\n',
    refused: ['/rollout'],
  },
  {
    name: 'neither string nor integer ($ref to $defs, anyOf)',
    values: 'rollout:\n  rollingUpdate:\n    maxSurge: true\n',
    refused: ['/rollout/rollingUpdate/maxSurge'],
  },
  {
    name: 'a string or integer ($ref to $defs, anyOf)',
    values: 'rollout:\n  rollingUpdate:\n    maxSurge: 25%\n',
    refused: [],
  },
  {
    name: 'a number where a string or integer is wanted',
    values: 'resources:\n  limits:\n    cpu: 1.5\n',
    refused: ['/resources/limits/cpu'],
  },
  {
    name: 'a list item of the wrong type',
    values: 'command:\n  extraArgs: [--feature-gates=x, 2]\n',
    refused: ['/command/extraArgs/1'],
  },
  { name: 'YAML 1.1 booleans, as helm reads them', values: 'hostNetwork: yes\n', refused: [] },
  { name: 'a null that removes an optional default', values: 'nameOverride: null\n', refused: [] },
  {
    name: 'several mistakes at once',
    values: 'replicaCount: many\nmode: job\nunknown: 1\n',
    refused: ['/replicaCount', '/mode', ''],
  },
];

/** The locations helm's schema error names (`- at '/replicaCount': ...`), top-level only. */
function helmRefused(stderr: string): string[] {
  if (!stderr.includes("values don't meet the specifications of the schema")) return [];
  return [...stderr.matchAll(/^- at '([^']*)'/gm)].map((match) => match[1] ?? '');
}

function sorted(items: readonly string[]): string[] {
  return [...new Set(items)].sort();
}

describe('values.schema.json: the engine refuses what helm refuses (OpenTelemetry Collector chart)', () => {
  let helm = '';
  let repo = '';
  let chartDir = '';
  let chart: ChartValuesSchema;
  before(async () => {
    helm = (await renderTools()).helm;
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-values-schema-'));
    chartDir = path.join(repo, 'otel');
    cpSync(CHART, chartDir, { recursive: true });
    const read = (file: string): Promise<string | undefined> =>
      Promise.resolve(readFileSync(file, 'utf8'));
    const found = await readChartValuesSchema(chartDir, repo, read);
    assert.ok(found, 'the chart schema is read');
    chart = found;
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  for (const [index, testCase] of CASES.entries()) {
    it(`${testCase.name}: ${testCase.refused.length === 0 ? 'accepted' : 'refused'} by both`, async () => {
      const file = path.join(chartDir, `values-case-${index}.yaml`);
      const text = valuesText(testCase.values);
      writeFileSync(file, text);
      let stderr = '';
      try {
        await runDirect(helm, ['template', 'release', chartDir, '--values', file], repo);
      } catch (error) {
        stderr = error instanceof Error ? error.message : String(error);
      }
      const byHelm = sorted(helmRefused(stderr));
      if (testCase.refused.length === 0) assert.equal(stderr, '', 'helm renders these values');
      assert.deepEqual(byHelm, sorted(testCase.refused), `helm said: ${stderr}`);

      const findings = valuesFileFindings(text, file, chart);
      const byEngine = sorted(
        findings.map((finding) => /^At '([^']*)'/.exec(finding.message)?.[1] ?? '?'),
      );
      assert.deepEqual(byEngine, byHelm, JSON.stringify(findings));
    });
  }

  it("the chart's own values.yaml meets its schema for both (helm only stops on the missing image)", async () => {
    let stderr = '';
    try {
      await runDirect(helm, ['template', 'release', chartDir], repo);
    } catch (error) {
      stderr = error instanceof Error ? error.message : String(error);
    }
    assert.match(stderr, /'image.repository' must be set/);
    const values = path.join(chartDir, 'values.yaml');
    assert.deepEqual(valuesFileFindings(readFileSync(values, 'utf8'), values, chart), []);
  });
});
