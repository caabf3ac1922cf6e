/**
 * `npm run bench:validate`: the validation targets of the project, measured against peers in
 * the same run on this machine.
 *   1. Diagnostics latency after an edit to a 1,000-document (~20k-line) file, p50 and p95,
 *      against yaml-language-server given the same Kubernetes schema (target: at most 1/3).
 *   2. `check` throughput on 10,000 resources against kubeconform -strict with local schemas
 *      from the same OpenAPI, verdicts compared (target: at least its resources per second).
 *   3. Language server memory after opening a 10,000-resource workspace (target: <= 300 MB RSS).
 * `npm run bench:validate -- --throughput` measures 2. only; `--runs N` repeats its pairs (ours, then
 * kubeconform) N times and reports medians with the load average (other work on the machine).
 */
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { ensureTools, toolPath } from '../harness/toolchain';
import { loadKubernetesBundle } from '../../server/src/engine/schemas/bundles';
import { manyDeployments } from '../../test/integration/support/generatedManifests';
import { TestLspClient } from '../../test/integration/support/lspClient';
import { celCost } from './celCost';
import { CORPUS_KINDS, writeCorpus } from './corpus';
import { kubeconformFileName, standaloneSchema } from './jsonSchemaExport';
import { countOption, ms, percentile, rssMb } from './stats';
import { YamlLanguageServer } from './yamlLanguageServer';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLES = path.join(ROOT, 'server', 'src', 'engine', 'schemas', 'bundled');
const EDITS = 40;

interface Toggle {
  readonly line: number;
  readonly broken: boolean;
}

/** Edits that alternately break and fix one field of a document chosen along the file. */
function toggles(text: string): Toggle[] {
  const lines = text.split('\n');
  const candidates = lines.flatMap((line, index) =>
    line === '  revisionHistoryLimit: 3' ? [index] : [],
  );
  return Array.from({ length: EDITS }, (_, i) => ({
    line: candidates[Math.floor(((i >> 1) * 37 + 500) % candidates.length)] ?? 0,
    broken: i % 2 === 0,
  }));
}

function keyEdit(toggle: Toggle): {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
} {
  const [from, to] = toggle.broken
    ? ['revisionHistoryLimit', 'revisionHistoryLmit']
    : ['revisionHistoryLmit', 'revisionHistoryLimit'];
  return {
    range: {
      start: { line: toggle.line, character: 2 },
      end: { line: toggle.line, character: 2 + from.length },
    },
    text: to,
  };
}

async function latency(work: string): Promise<{ ours: number[]; peer: number[] }> {
  const text = manyDeployments(1000);
  const plan = toggles(text);
  const bundle = await loadKubernetesBundle(BUNDLES, '1.34');
  const schemaFile = path.join(work, 'deployment.schema.json');
  await fs.writeFile(
    schemaFile,
    JSON.stringify(standaloneSchema(bundle, 'io.k8s.api.apps.v1.Deployment', true)),
  );

  const ours: number[] = [];
  const client = await TestLspClient.start();
  const uri = `file://${path.join(work, 'bench-deployments.yaml')}`;
  await client.open(uri, text);
  await client.diagnostics(uri);
  for (const toggle of plan) {
    const started = performance.now();
    await client.change(uri, [keyEdit(toggle)]);
    const report = (await client.diagnostics(uri)) as FullDocumentDiagnosticReport;
    ours.push(performance.now() - started);
    if (report.items.length > 0 !== toggle.broken) {
      throw new Error(`our diagnostics do not reflect the edit at line ${toggle.line + 1}`);
    }
  }
  await client.stop();

  const peer: number[] = [];
  const yamlServer = await YamlLanguageServer.start(schemaFile, '/bench-*.yaml');
  try {
    const peerUri = `file://${path.join(work, 'bench-deployments.yaml')}`;
    await yamlServer.open(peerUri, text, () => true);
    for (const toggle of plan) {
      const started = performance.now();
      await yamlServer.change(peerUri, keyEdit(toggle), (d) => d.length > 0 === toggle.broken);
      peer.push(performance.now() - started);
    }
  } finally {
    yamlServer.stop();
  }
  return { ours, peer };
}

interface Throughput {
  readonly resources: number;
  /** Seconds of each run, ours and kubeconform's interleaved (one pair per run). */
  readonly oursSeconds: number[];
  readonly peerSeconds: number[];
  /** One-minute load average before each pair. */
  readonly loads: number[];
  readonly oursRejected: Set<string>;
  readonly peerRejected: Set<string>;
  /** True when every run of ours printed the same JSON report. */
  readonly oursStable: boolean;
}

async function throughput(work: string, runs: number): Promise<Throughput> {
  const corpus = path.join(work, 'corpus');
  const resources = await writeCorpus(corpus, 100, 100);
  const bundle = await loadKubernetesBundle(BUNDLES, '1.34');
  const schemas = path.join(work, 'kubeconform-schemas');
  await fs.mkdir(schemas, { recursive: true });
  for (const { apiVersion, kind, definition } of CORPUS_KINDS) {
    await fs.writeFile(
      path.join(schemas, kubeconformFileName(apiVersion, kind)),
      JSON.stringify(standaloneSchema(bundle, definition, true)),
    );
  }
  const oursSeconds: number[] = [];
  const peerSeconds: number[] = [];
  const loads: number[] = [];
  const oursOutputs = new Set<string>();
  let oursStdout = '';
  let peerStdout = '';
  for (let run = 0; run < runs; run++) {
    loads.push(os.loadavg()[0] ?? NaN);
    let started = performance.now();
    const ours = spawnSync(
      process.execPath,
      [path.join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', corpus],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        timeout: 600_000,
      },
    );
    oursSeconds.push((performance.now() - started) / 1000);
    oursStdout = ours.stdout;
    oursOutputs.add(ours.stdout);

    started = performance.now();
    const peer = spawnSync(
      toolPath('kubeconform'),
      [
        '-strict',
        '-verbose',
        '-output',
        'json',
        '-schema-location',
        path.join(schemas, '{{ .ResourceKind }}{{ .KindSuffix }}.json'),
        corpus,
      ],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 600_000 },
    );
    peerSeconds.push((performance.now() - started) / 1000);
    peerStdout = peer.stdout;
  }
  const report = JSON.parse(oursStdout) as {
    findings: Array<{ file: string; line: number; severity: string }>;
  };
  const oursRejected = new Set(
    report.findings
      .filter((f) => f.severity === 'error')
      .map((f) => `${path.basename(f.file)}#${documentIndex(f.file, f.line)}`),
  );
  const peerReport = JSON.parse(peerStdout) as {
    resources: Array<{ filename: string; name: string; status: string }>;
  };
  const peerRejected = new Set(
    peerReport.resources
      .filter((r) => r.status !== 'statusValid')
      .map((r) => `${path.basename(r.filename)}#${nameIndex(r.name)}`),
  );
  return {
    resources,
    oursSeconds,
    peerSeconds,
    loads,
    oursRejected,
    peerRejected,
    oursStable: oursOutputs.size === 1,
  };
}

const lineStarts = new Map<string, number[]>();

/** Which document of a corpus file a one-based line falls in. */
function documentIndex(file: string, line: number): number {
  let starts = lineStarts.get(file);
  if (!starts) {
    const lines = readFileSync(file, 'utf8').split('\n');
    starts = lines.flatMap((text, index) => (text === '---' ? [index + 1] : []));
    lineStarts.set(file, starts);
  }
  return starts.filter((start) => start < line).length;
}

/** Corpus names end with the resource's global index; the document index is index % 100. */
function nameIndex(name: string): number {
  return Number(/(\d+)$/.exec(name)?.[1] ?? NaN) % 100;
}

async function memory(work: string): Promise<{ rss: number; files: number }> {
  const corpus = path.join(work, 'corpus');
  const files = (await fs.readdir(corpus)).filter((name) => name.endsWith('.yaml'));
  const client = await TestLspClient.start();
  try {
    for (const name of files) {
      const uri = `file://${path.join(corpus, name)}`;
      await client.open(uri, await fs.readFile(path.join(corpus, name), 'utf8'));
      await client.diagnostics(uri);
    }
    const pid = client.pid;
    return { rss: pid === undefined ? NaN : await rssMb(pid), files: files.length };
  } finally {
    await client.stop();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function writeThroughput(t: Throughput): void {
  const onlyOurs = [...t.oursRejected].filter((id) => !t.peerRejected.has(id));
  const onlyPeer = [...t.peerRejected].filter((id) => !t.oursRejected.has(id));
  const oursSeconds = median(t.oursSeconds);
  const peerSeconds = median(t.peerSeconds);
  const oursRate = t.resources / oursSeconds;
  const peerRate = t.resources / peerSeconds;
  const ratios = t.oursSeconds.map((ours, i) => (t.peerSeconds[i] ?? NaN) / ours);
  const runs = t.oursSeconds.length;
  process.stdout.write(
    `2. check throughput, ${t.resources} resources in 100 files, median of ${runs} interleaved run${runs === 1 ? '' : 's'}\n` +
      `   gitops-workbench check ${oursSeconds.toFixed(2)} s  ${oursRate.toFixed(0)} resources/s  rejected ${t.oursRejected.size}\n` +
      `   kubeconform -strict    ${peerSeconds.toFixed(2)} s  ${peerRate.toFixed(0)} resources/s  rejected ${t.peerRejected.size}\n` +
      `   ratio (ours/peer) ${median(ratios).toFixed(2)} median of pairs  (target >= 1.00)` +
      (runs > 1 ? `; pairs ${ratios.map((r) => r.toFixed(2)).join(' ')}` : '') +
      `\n   load average (1 min) ${median(t.loads).toFixed(2)} median before each pair, ${os.cpus().length} cores\n` +
      `   verdicts: ${onlyOurs.length === 0 && onlyPeer.length === 0 ? 'identical' : `differ: only ours ${onlyOurs.slice(0, 5).join(', ')}; only kubeconform ${onlyPeer.slice(0, 5).join(', ')}`}` +
      `${t.oursStable ? '' : '; our JSON report differed between runs'}\n\n`,
  );
}

/** `--runs N`: how many interleaved pairs the throughput runs (default 1). */
function runsOption(): number {
  return countOption('--runs', 1);
}

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-bench-'));
  try {
    await ensureTools(['kubeconform']);
    process.stdout.write(
      `bench:validate on ${os.cpus().length} cores, Node ${process.version}\n\n`,
    );
    if (process.argv.includes('--throughput')) {
      writeThroughput(await throughput(work, runsOption()));
      return;
    }
    const { ours, peer } = await latency(work);
    const oursP50 = percentile(ours, 50);
    const oursP95 = percentile(ours, 95);
    const peerP50 = percentile(peer, 50);
    const peerP95 = percentile(peer, 95);
    process.stdout.write(
      `1. diagnostics after an edit, 1,000 documents / ${manyDeployments(1000).split('\n').length} lines, ${EDITS} edits\n` +
        `   gitops-workbench     p50 ${ms(oursP50)}  p95 ${ms(oursP95)}\n` +
        `   yaml-language-server p50 ${ms(peerP50)}  p95 ${ms(peerP95)}\n` +
        `   ratio (ours/peer)    p50 ${(oursP50 / peerP50).toFixed(3)}  p95 ${(oursP95 / peerP95).toFixed(3)}  (target <= 0.333)\n\n`,
    );
    writeThroughput(await throughput(work, runsOption()));
    const mem = await memory(work);
    process.stdout.write(
      `3. language server memory after opening ${mem.files} files / 10,000 resources: ${mem.rss.toFixed(0)} MB RSS (target <= 300 MB)\n\n`,
    );
    const cel = await celCost();
    process.stdout.write(
      `4. CEL rules (x-kubernetes-validations), ${cel.documents} Gateway API HTTPRoutes (${cel.rules} rules in the CRD file, two versions), one file, engine only, p50\n` +
        `   whole validation ${ms(cel.fileMs)}, of which CEL ${ms(cel.celMs)} (${((cel.celMs / cel.fileMs) * 100).toFixed(0)}%, ${((cel.celMs / cel.documents) * 1000).toFixed(0)} us per route)\n` +
        `   (the corpus of 1. to 3. has no CRD with rules: there CEL costs one cached lookup per kind)\n`,
    );
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:validate: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
