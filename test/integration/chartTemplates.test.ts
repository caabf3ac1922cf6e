import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CompletionRequest,
  DefinitionRequest,
  HoverRequest,
  ReferencesRequest,
} from 'vscode-languageserver-protocol/node';
import type {
  CompletionItem,
  Diagnostic,
  Hover,
  FullDocumentDiagnosticReport,
  Location,
} from 'vscode-languageserver-protocol/node';
import { TestLspClient } from './support/lspClient';
import { renderTools } from './support/renderSupport';
import { otelRelease } from '../unit/support/otelRelease';

const CHART = path.resolve(__dirname, '..', 'fixtures', 'charts', 'opentelemetry-collector');

async function waitForDiagnostics(
  client: TestLspClient,
  uri: string,
  accept: (items: Diagnostic[]) => boolean,
): Promise<Diagnostic[]> {
  const deadline = Date.now() + 60_000;
  let items: Diagnostic[] = [];
  while (Date.now() < deadline) {
    try {
      items = ((await client.diagnostics(uri)) as FullDocumentDiagnosticReport).items;
      if (accept(items)) return items;
    } catch {
      // superseded by a refresh: ask again
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`diagnostics of ${uri} never matched; last: ${JSON.stringify(items)}`);
}

/** The 0-based line of `text` that holds `needle`. */
function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((candidate) => candidate.includes(needle));
  assert.ok(line >= 0, `${needle} not found`);
  return line;
}

const RELEASE = otelRelease('otel', ['replicaCount: 2']);

describe('chart templates in the language server (OpenTelemetry Collector chart)', () => {
  let repo = '';
  let client: TestLspClient;
  let deployment = '';
  let release = '';
  before(async () => {
    const tools = await renderTools();
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-chart-templates-'));
    const chart = path.join(repo, 'charts', 'otel');
    cpSync(CHART, chart, { recursive: true });
    // The chart needs a mode and an image to render.
    const values = path.join(chart, 'values.yaml');
    writeFileSync(
      values,
      readFileSync(values, 'utf8')
        .replace(/^mode: ""$/m, 'mode: deployment')
        .replace(/^ {2}repository: ""$/m, '  repository: otel/opentelemetry-collector-k8s'),
    );
    deployment = path.join(chart, 'templates', 'deployment.yaml');
    release = path.join(repo, 'clusters', 'otel.yaml');
    mkdirSync(path.dirname(release));
    writeFileSync(release, RELEASE);
    client = await TestLspClient.start({ trusted: true }, repo, {
      validation: { enable: true },
      helmPath: tools.helm,
      kustomizePath: tools.kustomize,
    });
  });
  after(async () => {
    await client.stop();
    rmSync(repo, { recursive: true, force: true });
  });

  it('shows a rendered mistake of a template on its line, and no YAML error of the raw template', async () => {
    const uri = pathToFileURL(deployment).href;
    const text = readFileSync(deployment, 'utf8');
    await client.open(uri, text, 'helm-template');
    await waitForDiagnostics(client, uri, (items) => items.length === 0);

    const line = lineOf(text, 'replicas: {{ .Values.replicaCount }}');
    await client.change(uri, [
      {
        range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
        text: '  replicas: "many"\n',
      },
    ]);
    const items = await waitForDiagnostics(client, uri, (found) => found.length > 0);
    assert.deepEqual(
      items.map((item) => item.range.start.line),
      [line],
      JSON.stringify(items),
    );
    assert.match(
      items[0]?.message ?? '',
      /Wrong type for spec\.replicas.*rendered Deployment .* of chart opentelemetry-collector/,
    );
  });

  it('shows a template that does not render on the line helm names, for the `helm` language id too', async () => {
    const service = path.join(path.dirname(deployment), 'service.yaml');
    const uri = pathToFileURL(service).href;
    const text = readFileSync(service, 'utf8');
    await client.open(uri, text, 'helm');
    const line = lineOf(text, 'kind: Service');
    await client.change(uri, [
      {
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        text: '{{ .Values.nothing.here }}\n',
      },
    ]);
    const items = await waitForDiagnostics(client, uri, (found) =>
      found.some((item) => item.code === 'render-failed'),
    );
    const failed = items.filter((item) => item.code === 'render-failed');
    assert.equal(failed.length, 1, JSON.stringify(items));
    assert.equal(failed[0]?.range.start.line, line);
    assert.match(
      failed[0]?.message ?? '',
      /chart opentelemetry-collector does not render: .*templates\/service\.yaml:3/,
    );
    // The raw template is not parsed as YAML.
    assert.equal(items.length, 1, JSON.stringify(items));
  });

  it('underlines a value the chart schema refuses on its key, in values.yaml and in a HelmRelease', async () => {
    const values = path.join(path.dirname(path.dirname(deployment)), 'values.yaml');
    const valuesUri = pathToFileURL(values).href;
    const text = readFileSync(values, 'utf8');
    await client.open(valuesUri, text);
    const line = lineOf(text, 'replicaCount: 1');
    await client.change(valuesUri, [
      {
        range: { start: { line, character: 14 }, end: { line, character: 15 } },
        text: '"3"',
      },
    ]);
    const onValues = await waitForDiagnostics(client, valuesUri, (found) =>
      found.some((item) => item.code === 'values-schema'),
    );
    assert.deepEqual(
      onValues
        .filter((item) => item.code === 'values-schema')
        .map((item) => [item.range.start.line, item.range.start.character, item.message]),
      [
        [
          line,
          0,
          "At '/replicaCount': got string, want integer (values.schema.json of chart opentelemetry-collector: helm does not render these values).",
        ],
      ],
    );

    const releaseUri = pathToFileURL(release).href;
    const releaseText = readFileSync(release, 'utf8');
    await client.open(releaseUri, releaseText);
    const valueLine = lineOf(releaseText, '    replicaCount: 2');
    await client.change(releaseUri, [
      {
        range: {
          start: { line: valueLine, character: 0 },
          end: { line: valueLine + 1, character: 0 },
        },
        text: '    replicaCount: 2\n    mode: job\n',
      },
    ]);
    const onRelease = await waitForDiagnostics(client, releaseUri, (found) =>
      found.some((item) => item.code === 'values-schema'),
    );
    // The values.yaml buffer still says "3": its mistake is reported there, not here.
    assert.deepEqual(
      onRelease
        .filter((item) => item.code === 'values-schema')
        .map((item) => [
          item.range.start.line,
          item.range.start.character,
          item.message.split(' (')[0],
        ]),
      [
        [
          valueLine + 1,
          4,
          "At '/mode': value must be one of 'daemonset', 'deployment', 'statefulset', ''",
        ],
      ],
    );
  });

  it("reports a value the chart schema refuses once: no 'does not render' for helm's refusal of it", async () => {
    const releaseUri = pathToFileURL(release).href;
    const chartUri = pathToFileURL(
      path.join(path.dirname(path.dirname(deployment)), 'Chart.yaml'),
    ).href;
    const chartText = readFileSync(new URL(chartUri), 'utf8');
    await client.open(chartUri, chartText);
    // The pull report's id ends with the generation of the rendered findings: a render that
    // finished after the edit below has a larger one.
    const renderedGeneration = (report: { resultId?: string }): number =>
      Number(/\.(\d+)$/.exec(report.resultId ?? '')?.[1] ?? -1);
    const before = renderedGeneration(await client.diagnostics(releaseUri));
    const releaseText = readFileSync(release, 'utf8');
    const valueLine = lineOf(releaseText, '    replicaCount: 2');
    await client.change(releaseUri, [
      {
        range: {
          start: { line: valueLine, character: 18 },
          end: { line: valueLine, character: 19 },
        },
        text: '"2"',
      },
    ]);
    const deadline = Date.now() + 60_000;
    let items: Diagnostic[] = [];
    for (;;) {
      assert.ok(Date.now() < deadline, `no render after the edit; last: ${JSON.stringify(items)}`);
      try {
        const report = (await client.diagnostics(releaseUri)) as FullDocumentDiagnosticReport;
        items = report.items;
        const refused = items.some(
          (item) => item.code === 'values-schema' && item.range.start.line === valueLine,
        );
        if (refused && renderedGeneration(report) > before) break;
      } catch {
        // superseded by a refresh: ask again
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(
      items.filter((item) => item.code === 'render-failed'),
      [],
      'the HelmRelease is not also reported as not rendering',
    );
    const onChart = (await client.diagnostics(chartUri)) as FullDocumentDiagnosticReport;
    assert.deepEqual(
      onChart.items.filter((item) => item.code === 'render-failed'),
      [],
      'the chart is not reported as not rendering',
    );
  });

  it('goes from .Values.a.b in a template to the key in values.yaml, and back to the templates that read it', async () => {
    const chart = path.dirname(path.dirname(deployment));
    const values = path.join(chart, 'values.yaml');
    const text = readFileSync(deployment, 'utf8');
    const line = lineOf(text, '{{- with .Values.rollout.rollingUpdate }}');
    const character = text.split('\n')[line]?.indexOf('rollingUpdate') ?? -1;
    const definition = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: pathToFileURL(deployment).href },
      position: { line, character: character + 3 },
    })) as Location[];
    const valuesText = readFileSync(values, 'utf8');
    assert.deepEqual(
      definition.map((at) => [at.uri, at.range.start.line, at.range.start.character]),
      [[pathToFileURL(values).href, lineOf(valuesText, '  rollingUpdate: {}'), 2]],
    );

    const keyLine = lineOf(valuesText, 'revisionHistoryLimit: 10');
    const references = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: pathToFileURL(values).href },
      position: { line: keyLine, character: 3 },
      context: { includeDeclaration: false },
    })) as Location[];
    assert.deepEqual(
      references.map((at) => [path.basename(new URL(at.uri).pathname), at.range.start.line]),
      [
        ['daemonset.yaml', 15],
        ['deployment.yaml', 18],
        ['statefulset.yaml', 25],
      ],
    );
  });

  it("explains a values key from the chart's schema and values.yaml comments, in values.yaml and in a HelmRelease", async () => {
    const values = path.join(path.dirname(path.dirname(deployment)), 'values.yaml');
    const valuesText = readFileSync(values, 'utf8');
    const hover: Hover | null = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: pathToFileURL(values).href },
      position: { line: lineOf(valuesText, 'mode: deployment'), character: 1 },
    });
    const markdown = (hover?.contents as { value?: string } | undefined)?.value ?? '';
    assert.match(markdown, /^\*\*mode\*\* · `string`/);
    assert.match(markdown, /Valid values are "daemonset", "deployment", and "statefulset"\./);
    assert.match(markdown, /Allowed: `"daemonset"`, `"deployment"`, `"statefulset"`, `""`/);

    // A new key under the HelmRelease's spec.values: the chart's keys it does not set yet.
    const releaseUri = pathToFileURL(release).href;
    const releaseText = readFileSync(release, 'utf8');
    const last = releaseText.split('\n').length - 1;
    await client.change(releaseUri, [
      {
        range: { start: { line: last, character: 0 }, end: { line: last, character: 0 } },
        text: '    name',
      },
    ]);
    const items = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: releaseUri },
      position: { line: last, character: 8 },
    })) as CompletionItem[];
    const labels = items.map((item) => item.label);
    assert.ok(labels.includes('nameOverride'), JSON.stringify(labels));
    assert.ok(!labels.includes('replicaCount'), 'a key the release sets is not offered again');
    assert.ok(!labels.includes('metadata'), 'no Kubernetes field is offered in spec.values');
    const name = items.find((item) => item.label === 'nameOverride');
    assert.match(
      (name?.documentation as { value?: string } | undefined)?.value ?? '',
      /Override name of the chart used in Kubernetes object names\./,
    );
  });
});
