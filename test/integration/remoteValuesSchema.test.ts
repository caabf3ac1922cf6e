/**
 * Values of remote charts against the real helm, with a local stand-in for a Helm chart
 * repository (an HTTP server on 127.0.0.1 serving `index.yaml` and chart archives made with
 * `helm package`): with network rendering on, a wrong value in a Flux HelmRelease's `spec.values`
 * or an Argo CD Application's `helm.valuesObject` is reported on its key from the downloaded
 * chart's values.schema.json (one download per chart and version), and helm's own refusal of the
 * unit is not reported again; with network rendering off nothing is requested and nothing is
 * checked; a remote chart whose schema references a host is refused and the host never contacted.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Workspace } from '../../server/src/engine';
import type { FileFinding, Finding, SchemaRegistry } from '../../server/src/engine';
import { valuesCompletionIn, valuesHoverIn } from '../../server/src/engine/helm/valuesAssist';
import { bundledRegistry } from '../unit/support/schemas';
import { renderTools, runDirect, tempWorkspace } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

const SCHEMA = {
  type: 'object',
  properties: {
    replicas: { type: 'integer' },
    image: { type: 'object', properties: { tag: { type: 'string' } } },
  },
};

const TEMPLATE = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: {{ .Release.Name }}-shop',
  'data:',
  '  replicas: {{ .Values.replicas | quote }}',
  '  tag: {{ .Values.image.tag | quote }}',
  '',
].join('\n');

let tools: Tools;
let registry: SchemaRegistry;
let root = '';
let port = 0;
const requests: string[] = [];
let server: http.Server;

async function write(base: string, files: Record<string, string>): Promise<void> {
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(base, relative);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
  }
}

function repository(): string {
  return [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: HelmRepository',
    'metadata:',
    '  name: local',
    '  namespace: flux-system',
    'spec:',
    `  url: http://127.0.0.1:${port}`,
    '',
  ].join('\n');
}

function release(chart: string, version: string, values: string[]): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: shop',
    '  namespace: flux-system',
    'spec:',
    '  interval: 5m',
    '  chart:',
    '    spec:',
    `      chart: ${chart}`,
    `      version: ${version}`,
    '      sourceRef:',
    '        kind: HelmRepository',
    '        name: local',
    '  values:',
    ...values.map((line) => `    ${line}`),
    '',
  ].join('\n');
}

function application(values: string[]): string {
  return [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    '  name: shop-argo',
    '  namespace: argocd',
    'spec:',
    '  project: default',
    '  destination:',
    '    server: https://kubernetes.default.svc',
    '    namespace: shop',
    '  source:',
    `    repoURL: http://127.0.0.1:${port}`,
    '    chart: shop',
    '    targetRevision: 1.2.0',
    '    helm:',
    '      valuesObject:',
    ...values.map((line) => `        ${line}`),
    '',
  ].join('\n');
}

/** A workspace of `files`, rendering with the real helm, network rendering on or off. */
async function workspaceOf(
  files: Record<string, string>,
  allowNetwork: boolean,
): Promise<{ repo: string; workspace: Workspace }> {
  const repo = await fs.mkdtemp(path.join(root, 'repo-'));
  await write(repo, files);
  const workspace = await Workspace.open([repo], {
    render: {
      settings: () => ({
        binaries: { helm: tools.helm, kustomize: tools.kustomize },
        allowNetwork,
      }),
    },
  });
  return { repo, workspace };
}

/** The workspace's render findings (helm's refusals among them) of `file`. */
async function renderFindings(workspace: Workspace, file: string): Promise<FileFinding[]> {
  assert.equal(await workspace.check({ registry, signal: AbortSignal.timeout(120_000) }), true);
  return workspace.findings().filter((finding) => finding.file === file);
}

async function valuesFindings(workspace: Workspace, file: string): Promise<Finding[]> {
  return workspace.valuesFindings(file, await fs.readFile(file, 'utf8'));
}

const place = (finding: Finding): string =>
  `${finding.range.start.line + 1}:${finding.range.start.character + 1}`;

before(async () => {
  tools = await renderTools();
  registry = await bundledRegistry();
  ({ root } = await tempWorkspace({}));
  const charts = path.join(root, 'served');
  const sources = path.join(root, 'sources');
  // The stand-in for a Helm chart repository: index.yaml and the packaged charts, each request noted.
  server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    fs.readFile(path.join(charts, path.basename(request.url ?? ''))).then(
      (bytes) => response.end(bytes),
      () => {
        response.statusCode = 404;
        response.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  await write(sources, {
    'shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.2.0\n',
    'shop/values.yaml': 'replicas: 1\nimage:\n  tag: v1\n',
    'shop/values.schema.json': JSON.stringify(SCHEMA, null, 2),
    'shop/templates/cm.yaml': TEMPLATE,
    'evil/Chart.yaml': 'apiVersion: v2\nname: evil\nversion: 0.1.0\n',
    'evil/values.yaml': 'replicas: 1\nimage:\n  tag: v1\n',
    'evil/values.schema.json': JSON.stringify({
      type: 'object',
      properties: { replicas: { $ref: `http://127.0.0.1:${port}/leak.json` } },
    }),
    'evil/templates/cm.yaml': TEMPLATE,
  });
  await fs.mkdir(charts, { recursive: true });
  for (const name of ['shop', 'evil']) {
    await runDirect(
      tools.helm,
      ['package', `--destination=${charts}`, '--', path.join(sources, name)],
      sources,
    );
  }
  await runDirect(
    tools.helm,
    ['repo', 'index', `--url=http://127.0.0.1:${port}`, '--', charts],
    charts,
  );
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('values of a remote chart, network rendering on', () => {
  it('reports a HelmRelease and an Application value on its key, from one download, and not again as a refused render', async () => {
    const seen = requests.length;
    const { repo, workspace } = await workspaceOf(
      {
        'repos.yaml': repository(),
        'release.yaml': release('shop', '1.2.0', ['replicas: two', 'image:', '  tag: v2']),
        'app.yaml': application(['image:', '  tag: 5']),
      },
      true,
    );
    const releaseFile = path.join(repo, 'release.yaml');
    const appFile = path.join(repo, 'app.yaml');
    // helm refuses both units; what the user sees is the values findings on the keys.
    assert.deepEqual(await renderFindings(workspace, releaseFile), []);
    assert.deepEqual(await renderFindings(workspace, appFile), []);
    const onRelease = await valuesFindings(workspace, releaseFile);
    assert.deepEqual(
      onRelease.map((finding) => [place(finding), finding.code, finding.message]),
      [
        [
          '16:5',
          'values-schema',
          "At '/replicas': got string, want integer (values.schema.json of chart shop: helm does not render these values).",
        ],
      ],
    );
    const onApp = await valuesFindings(workspace, appFile);
    assert.deepEqual(
      onApp.map((finding) => [place(finding), finding.code, finding.message]),
      [
        [
          '18:11',
          'values-schema',
          "At '/image/tag': got number, want string (values.schema.json of chart shop: helm does not render these values).",
        ],
      ],
    );
    const downloads = requests.slice(seen).filter((url) => url === '/shop-1.2.0.tgz');
    assert.equal(downloads.length, 1, requests.slice(seen).join(' '));
    // Hover and completion of the release's values keys read the same download.
    const text = await fs.readFile(releaseFile, 'utf8');
    const assist = await workspace.valuesAssist(releaseFile, 15);
    assert.ok(assist, 'values assist on spec.values');
    const hover = valuesHoverIn(text, { line: 15, character: 6 }, assist);
    assert.match(hover?.markdown ?? '', /\*\*replicas\*\* · `integer`/);
    // Typing a new key under spec.values: the chart's keys not set yet.
    const typing = text.replace('    image:\n      tag: v2\n', '    \n');
    const labels = valuesCompletionIn(typing, { line: 16, character: 4 }, assist)?.map(
      (entry) => entry.label,
    );
    assert.deepEqual(labels, ['image']);
    assert.equal(requests.slice(seen).filter((url) => url === '/shop-1.2.0.tgz').length, 1);
  });

  it('reports nothing for values the schema accepts, and the chart renders', async () => {
    const { repo, workspace } = await workspaceOf(
      { 'repos.yaml': repository(), 'release.yaml': release('shop', '1.2.0', ['replicas: 3']) },
      true,
    );
    const releaseFile = path.join(repo, 'release.yaml');
    assert.deepEqual(await valuesFindings(workspace, releaseFile), []);
    assert.deepEqual(await renderFindings(workspace, releaseFile), []);
  });
});

describe('gitops-workbench check --allow-network (dist/cli.js) on a remote chart', () => {
  const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

  it('reports the value on its key, exits 1, and reports no refused render', async () => {
    const repo = await fs.mkdtemp(path.join(root, 'cli-'));
    await write(repo, {
      'repos.yaml': repository(),
      'release.yaml': release('shop', '1.2.0', ['replicas: two']),
    });
    // Not spawnSync: the stand-in repository answers from this process's event loop.
    const run = async (network: string[]): Promise<{ status: number; findings: unknown[] }> => {
      const done = await new Promise<{ status: number; stdout: string; stderr: string }>(
        (resolve) => {
          execFile(
            process.execPath,
            [
              CLI,
              'check',
              '--format',
              'json',
              ...network,
              '--helm',
              tools.helm,
              '--root',
              repo,
              repo,
            ],
            { encoding: 'utf8', timeout: 180_000, shell: false },
            (error, stdout, stderr) =>
              resolve({ status: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
          );
        },
      );
      assert.equal(done.stderr, '');
      const report = JSON.parse(done.stdout) as {
        findings: { file: string; line: number; code: string; message: string }[];
      };
      return {
        status: done.status,
        findings: report.findings.map((finding) => [
          path.basename(finding.file),
          finding.line,
          finding.code,
          finding.message,
        ]),
      };
    };
    const on = await run(['--allow-network']);
    assert.equal(on.status, 1);
    assert.deepEqual(on.findings, [
      [
        'release.yaml',
        16,
        'values-schema',
        "At '/replicas': got string, want integer (values.schema.json of chart shop: helm does not render these values).",
      ],
    ]);
    const seen = requests.length;
    const off = await run([]);
    assert.equal(off.status, 0, 'an unrendered remote chart is information, not an error');
    assert.ok(
      off.findings.every((finding) => (finding as unknown[])[2] !== 'values-schema'),
      JSON.stringify(off.findings),
    );
    assert.deepEqual(requests.slice(seen), [], 'no request reached the repository');
  });
});

describe('values of a remote chart, network rendering off', () => {
  it('downloads nothing and reports no values finding', async () => {
    const seen = requests.length;
    const { repo, workspace } = await workspaceOf(
      {
        'repos.yaml': repository(),
        'release.yaml': release('shop', '1.2.0', ['replicas: two']),
      },
      false,
    );
    const releaseFile = path.join(repo, 'release.yaml');
    assert.deepEqual(await valuesFindings(workspace, releaseFile), []);
    // The unit is said not to be rendered, as before; no values finding stands for it.
    assert.deepEqual(
      (await renderFindings(workspace, releaseFile)).map((finding) => [
        finding.code,
        finding.message,
      ]),
      [
        [
          'not-rendered',
          `Flux HelmRelease shop was not rendered: chart shop comes from http://127.0.0.1:${port} and network rendering is off: turn it on to render it.`,
        ],
      ],
    );
    assert.deepEqual(await valuesFindings(workspace, releaseFile), []);
    assert.equal(await workspace.valuesAssist(releaseFile, 15), undefined);
    assert.deepEqual(requests.slice(seen), [], 'no request reached the repository');
  });
});

describe('a remote chart whose schema references a host', () => {
  it('is refused with the schema message, its values are not checked, and the host is not contacted', async () => {
    const seen = requests.length;
    const { repo, workspace } = await workspaceOf(
      {
        'repos.yaml': repository(),
        'release.yaml': release('evil', '0.1.0', ['replicas: two']),
      },
      true,
    );
    const releaseFile = path.join(repo, 'release.yaml');
    assert.deepEqual(await valuesFindings(workspace, releaseFile), []);
    const refused = await renderFindings(workspace, releaseFile);
    assert.equal(refused.length, 1, JSON.stringify(refused));
    assert.match(
      refused[0]?.message ?? '',
      new RegExp(
        `The schema evil-0\\.1\\.0\\.tgz!evil/values\\.schema\\.json has \\$ref "http://127\\.0\\.0\\.1:${port}/leak\\.json" at /properties/replicas/\\$ref, which would make helm read a file or contact a host outside the repo, so helm was not run: use a local #/definitions/\\.\\.\\. reference\\.`,
      ),
    );
    assert.deepEqual(await valuesFindings(workspace, releaseFile), []);
    assert.ok(requests.slice(seen).includes('/evil-0.1.0.tgz'), requests.join(' '));
    assert.ok(!requests.includes('/leak.json'), requests.join(' '));
  });
});
