/**
 * The same file gets the same answer from every face: the language server over LSP, the CLI's
 * `check`, and the benchmarks' path through the Workspace find the same findings on the same
 * fixtures (file, line, code, severity), because all three ask the one workspace model.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { benchFindings, openBenchWorkspace } from '../../scripts/bench/benchWorkspace';
import { SchemaCatalog } from '../../server/src/engine';
import type { SchemaRegistry } from '../../server/src/engine';
import { BUNDLE_DIR } from '../unit/support/schemas';
import { TestLspClient } from './support/lspClient';
import { FLUX_EXAMPLE, renderTools } from './support/renderSupport';
import type { Tools } from './support/renderSupport';
import { otelRelease } from '../unit/support/otelRelease';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const PODINFO_EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');
const SEVERITIES = ['', 'error', 'warning', 'info', 'hint'];

/** A fixture copied to a temporary folder, with edits that only some renders reveal. */
interface Fixture {
  readonly name: string;
  readonly source: string;
  /** Where in the temporary folder the source goes (default: its root). */
  readonly into?: string;
  /** Files written next to it, by path in the temporary folder. */
  readonly files?: Readonly<Record<string, string>>;
  readonly edits: ReadonlyArray<{ file: string; from: string; to: string }>;
  /** Codes the findings must include, so the comparison is never of two empty lists. */
  readonly expected: readonly string[];
  /** Codes the files' own findings (no render) must include. */
  readonly expectedAlone?: readonly string[];
}

const OTEL_CHART = path.resolve(__dirname, '..', 'fixtures', 'charts', 'opentelemetry-collector');

/** A Flux HelmRelease of the chart in `charts/otel`, from the repository itself. */
const OTEL_RELEASE = otelRelease('otel', ['mode: job']);

const FIXTURES: readonly Fixture[] = [
  {
    name: 'the podinfo example: kustomize overlays and a Flux Kustomization, broken three ways',
    source: PODINFO_EXAMPLE,
    edits: [
      {
        // Only the rendered resources carry the namespace: an error of the render alone.
        file: 'apps/podinfo/overlays/production/kustomization.yaml',
        from: 'namespace: podinfo-production',
        to: 'namespace: Podinfo_Production',
      },
      {
        file: 'apps/podinfo/overlays/production/replicas-patch.yaml',
        from: 'minReplicas: 3',
        to: 'minReplicas: 0',
      },
      {
        // A unit that does not render at all.
        file: 'apps/podinfo/overlays/staging/kustomization.yaml',
        from: '  - namespace.yaml',
        to: '  - namespace.yaml\n  - missing.yaml',
      },
    ],
    expected: ['render-failed'],
  },
  {
    name: "Flux's kustomize-helm example: HelmReleases of remote charts, not fetched",
    source: FLUX_EXAMPLE,
    edits: [],
    expected: ['not-rendered'],
  },
  {
    name: 'the OpenTelemetry Collector chart and a HelmRelease of it, values its schema refuses',
    source: OTEL_CHART,
    into: 'charts/otel',
    files: { 'clusters/otel.yaml': OTEL_RELEASE },
    edits: [
      { file: 'charts/otel/values.yaml', from: 'mode: ""', to: 'mode: deployment' },
      {
        file: 'charts/otel/values.yaml',
        from: '  repository: ""',
        to: '  repository: otel/opentelemetry-collector-k8s',
      },
      { file: 'charts/otel/values.yaml', from: 'replicaCount: 1', to: 'replicaCount: "1"' },
    ],
    // helm refuses to render, and says so nowhere: the values-schema finding on the key says it.
    expected: [],
    expectedAlone: ['values-schema'],
  },
];

/** `apps/x.yaml:12 code severity`, a finding as every face can say it. */
type Key = string;

function key(root: string, file: string, line: number, code: string, severity: string): Key {
  return `${path.relative(root, path.resolve(root, file)).split(path.sep).join('/')}:${line} ${code} ${severity}`;
}

function yamlFilesOf(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** The CLI: `gitops-workbench check <repo> --format json`, its root the default one. */
function cliFindings(repo: string, tools: Tools): Key[] {
  const run = spawnSync(
    process.execPath,
    [CLI, 'check', '--format', 'json', '--helm', tools.helm, '--kustomize', tools.kustomize, repo],
    { encoding: 'utf8', timeout: 180_000, cwd: repo },
  );
  assert.equal(run.stderr, '');
  const report = JSON.parse(run.stdout) as {
    findings: Array<{ file: string; line: number; code: string; severity: string }>;
  };
  return report.findings.map((f) => key(repo, f.file, f.line, f.code, f.severity)).sort();
}

/** The benchmarks' path: the workspace's check of every unit (rendered findings only). */
async function benchKeys(repo: string, tools: Tools, registry: SchemaRegistry): Promise<Key[]> {
  const workspace = await openBenchWorkspace(repo, tools);
  const findings = await benchFindings(workspace, registry);
  return findings.map((f) => key(repo, f.file, f.range.start.line + 1, f.code, f.severity)).sort();
}

/** The language server: every YAML file opened as it is on disk, its diagnostics pulled. */
async function lspFindings(client: TestLspClient, repo: string): Promise<Key[]> {
  const keys: Key[] = [];
  for (const file of yamlFilesOf(repo)) {
    const report = (await client.diagnostics(
      pathToFileURL(file).href,
    )) as FullDocumentDiagnosticReport;
    for (const item of report.items) {
      keys.push(
        key(
          repo,
          file,
          item.range.start.line + 1,
          String(item.code),
          SEVERITIES[item.severity ?? 1] ?? '',
        ),
      );
    }
  }
  return keys.sort();
}

describe('every face gives the same findings on the same fixtures', () => {
  let tools: Tools;
  let registry: SchemaRegistry;
  const folders: string[] = [];
  before(async () => {
    tools = await renderTools();
    const catalog = new SchemaCatalog(BUNDLE_DIR);
    registry = await catalog.registry((await catalog.defaultVersion()) ?? '');
  });
  after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  for (const fixture of FIXTURES) {
    it(fixture.name, async () => {
      const repo = mkdtempSync(path.join(os.tmpdir(), 'gw-faces-'));
      folders.push(repo);
      cpSync(fixture.source, path.join(repo, fixture.into ?? ''), { recursive: true });
      for (const [file, text] of Object.entries(fixture.files ?? {})) {
        mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
        writeFileSync(path.join(repo, file), text);
      }
      for (const edit of fixture.edits) {
        const file = path.join(repo, edit.file);
        const text = readFileSync(file, 'utf8');
        assert.ok(text.includes(edit.from), `${edit.from} is in ${edit.file}`);
        writeFileSync(file, text.replace(edit.from, edit.to));
      }

      const cli = cliFindings(repo, tools);
      const rendered = await benchKeys(repo, tools, registry);
      for (const code of fixture.expected) {
        assert.ok(
          rendered.some((entry) => entry.includes(` ${code} `)),
          `the fixture has a ${code} finding: ${rendered.join('\n')}`,
        );
      }
      // The CLI reports what the files say alone and what their units render to: every finding
      // of the rendered units is in it, and nothing the files alone do not explain is added.
      const direct = spawnSync(
        process.execPath,
        [CLI, 'check', '--format', 'json', '--no-render', repo],
        { encoding: 'utf8', timeout: 120_000, cwd: repo },
      );
      const alone = (
        JSON.parse(direct.stdout) as {
          findings: Array<{ file: string; line: number; code: string; severity: string }>;
        }
      ).findings.map((f) => key(repo, f.file, f.line, f.code, f.severity));
      for (const code of fixture.expectedAlone ?? []) {
        assert.ok(
          alone.some((entry) => entry.includes(` ${code} `)),
          `the files alone have a ${code} finding: ${alone.join('\n')}`,
        );
      }
      assert.deepEqual(
        rendered.filter((entry) => !cli.includes(entry)),
        [],
        'the benchmark path found what the CLI did not',
      );
      assert.deepEqual(
        cli.filter((entry) => !rendered.includes(entry) && !alone.includes(entry)),
        [],
        'the CLI found what neither the files alone nor the rendered units say',
      );

      // The language server, trusted, with the same tools: the same list, once its renders ran.
      const client = await TestLspClient.start({ trusted: true }, repo, {
        validation: { enable: true },
        helmPath: tools.helm,
        kustomizePath: tools.kustomize,
      });
      try {
        for (const file of yamlFilesOf(repo)) {
          await client.open(pathToFileURL(file).href, readFileSync(file, 'utf8'));
        }
        const deadline = Date.now() + 90_000;
        let lsp: Key[] = [];
        while (Date.now() < deadline) {
          lsp = await lspFindings(client, repo).catch(() => lsp);
          if (JSON.stringify(lsp) === JSON.stringify(cli)) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        assert.deepEqual(lsp, cli);
      } finally {
        await client.stop();
      }
    });
  }
});
