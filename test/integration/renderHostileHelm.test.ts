/**
 * Hostile repositories against the real helm and kustomize: a release name, namespace or schema
 * written to make helm run a program, read a file outside the repo or contact a host is refused
 * before helm runs, with a sentence that names the field; nothing it aimed at happens.
 */
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RenderCache, discoverRenderUnits, renderUnit } from '../../server/src/engine/render';
import type {
  RenderError,
  RenderOptions,
  RenderResult,
  RenderUnit,
  RenderUnitKind,
} from '../../server/src/engine/render';
import { renderTools, runDirect, tempWorkspace } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

let tools: Tools;
const temporary: string[] = [];
const PASSWD_BYTES = /root:x:0:0|root:\*:0:0|nobody:/;

function options(workspaceRoot: string): RenderOptions {
  return {
    workspaceRoot,
    overlays: new Map(),
    binaries: { helm: tools.helm, kustomize: tools.kustomize },
    allowNetwork: false,
    cache: new RenderCache(),
  };
}

function refusal(result: RenderResult): RenderError {
  if (result.ok) assert.fail(`expected a refusal, got:\n${result.yaml}`);
  assert.equal(result.error.reason, 'refused', result.error.message);
  assert.doesNotMatch(result.error.message, /\n/, 'one line');
  return result.error;
}

function ok(result: RenderResult): Extract<RenderResult, { ok: true }> {
  if (!result.ok) assert.fail(`render failed: ${result.error.reason}: ${result.error.message}`);
  return result;
}

const CHART_YAML = (name: string): string =>
  `apiVersion: v2\nname: ${JSON.stringify(name)}\nversion: 0.1.0\n`;

/** A ConfigMap whose data shows `.Values.x` (where `--set-file=x=/etc/passwd` would put it). */
const TEMPLATE = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: {{ .Release.Name }}-demo',
  'data:',
  '  x: {{ .Values.x | default "none" | quote }}',
  '',
].join('\n');

interface Hostile {
  workspace: string;
  /** Executable script in the repo that writes `marker` when run. */
  script: string;
  marker: string;
}

/** A workspace with `files`, plus `evil.sh` (writes a marker, passes stdin through). */
async function hostileWorkspace(files: Record<string, string>): Promise<Hostile> {
  const { root, workspace } = await tempWorkspace(
    Object.fromEntries(Object.entries(files).map(([key, value]) => [`workspace/${key}`, value])),
  );
  temporary.push(root);
  const marker = path.join(root, 'marker');
  const script = path.join(workspace, 'evil.sh');
  await fs.writeFile(script, `#!/bin/sh\necho pwned > '${marker}'\ncat\n`);
  await fs.chmod(script, 0o755);
  return { workspace, script, marker };
}

async function unitOf(workspace: string, kind: RenderUnitKind): Promise<RenderUnit> {
  const unit = (await discoverRenderUnits(workspace)).find((candidate) => candidate.kind === kind);
  assert.ok(unit, `a ${kind} unit`);
  return unit;
}

function helmRelease(spec: string[], name = 'demo'): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${JSON.stringify(name)}`,
    '  namespace: flux-system',
    'spec:',
    '  interval: 5m',
    ...spec,
    '  chart:',
    '    spec:',
    '      chart: ./charts/demo',
    '      sourceRef:',
    '        kind: GitRepository',
    '        name: flux-system',
    '',
  ].join('\n');
}

function application(helm: string[], name = 'demo', namespace = 'demo'): string {
  return [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    `  name: ${JSON.stringify(name)}`,
    '  namespace: argocd',
    'spec:',
    '  project: default',
    '  destination:',
    '    server: https://kubernetes.default.svc',
    `    namespace: ${JSON.stringify(namespace)}`,
    '  source:',
    '    repoURL: https://example.com/repo.git',
    '    path: charts/demo',
    '    helm:',
    ...(helm.length ? helm : ['      valueFiles: []']),
    '',
  ].join('\n');
}

const CHART = {
  'charts/demo/Chart.yaml': CHART_YAML('demo'),
  'charts/demo/templates/cm.yaml': TEMPLATE,
};

before(async () => {
  tools = await renderTools();
});

after(async () => {
  for (const dir of temporary) await fs.rm(dir, { recursive: true, force: true });
});

describe('helm and kustomize read operands after -- (real binaries)', () => {
  it('helm template takes a flag-shaped name after -- as the release name and rejects it', async () => {
    const hostile = await hostileWorkspace(CHART);
    const chart = path.join(hostile.workspace, 'charts', 'demo');
    await assert.rejects(
      runDirect(tools.helm, ['template', '--', `--post-renderer=${hostile.script}`, chart], chart),
      /invalid release name/,
    );
    await assert.rejects(
      runDirect(tools.helm, ['template', '--', '--set-file=x=/etc/passwd', chart], chart),
      (error: Error) =>
        /invalid release name/.test(error.message) && !PASSWD_BYTES.test(error.message),
    );
    assert.equal(existsSync(hostile.marker), false, 'the post-renderer never ran');
    const rendered = await runDirect(
      tools.helm,
      ['template', '--namespace=dev', '--', 'rel', chart],
      chart,
    );
    assert.match(rendered, /name: rel-demo/);
  });

  it('the same arguments without -- do run the post-renderer: the attack is real', async () => {
    const hostile = await hostileWorkspace(CHART);
    const chart = path.join(hostile.workspace, 'charts', 'demo');
    await runDirect(tools.helm, ['template', `--post-renderer=${hostile.script}`, chart], chart);
    assert.equal(existsSync(hostile.marker), true);
  });

  it('kustomize build takes a flag-shaped folder after -- as a folder', async () => {
    const hostile = await hostileWorkspace({
      'app/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    });
    const app = path.join(hostile.workspace, 'app');
    assert.match(await runDirect(tools.kustomize, ['build', '--', app], app), /name: a/);
    await assert.rejects(
      runDirect(tools.kustomize, ['build', '--', '--enable-exec'], app),
      /--enable-exec/,
    );
  });
});

describe('release names, namespaces and names from the repo', () => {
  it('refuses a chart named --post-renderer=sh: helm is not run', async () => {
    // With `sh` as post-renderer the rendered YAML would run as a script; the block scalar line
    // joins the `|` before it, so `touch` would run.
    const hostile = await hostileWorkspace({
      'charts/demo/Chart.yaml': CHART_YAML('--post-renderer=sh'),
      'charts/demo/templates/cm.yaml': '',
    });
    await fs.writeFile(
      path.join(hostile.workspace, 'charts/demo/templates/cm.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  run: |\n    touch '${hostile.marker}'\n`,
    );
    const unit = await unitOf(hostile.workspace, 'helm');
    const error = refusal(await renderUnit(unit, options(hostile.workspace)));
    assert.equal(
      error.message,
      "The release name \"--post-renderer=sh\" (name in charts/demo/Chart.yaml:2) is not a valid Helm release name, so helm was not run: use at most 53 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.",
    );
    assert.equal(error.file, path.join(hostile.workspace, 'charts/demo/Chart.yaml'));
    assert.equal(error.line, 2);
    assert.equal(existsSync(hostile.marker), false);
  });

  it('refuses a HelmRelease whose spec.releaseName is a post-renderer script in the repo', async () => {
    const hostile = await hostileWorkspace(CHART);
    await fs.writeFile(
      path.join(hostile.workspace, 'release.yaml'),
      helmRelease([`  releaseName: ${JSON.stringify(`--post-renderer=${hostile.script}`)}`]),
    );
    const error = refusal(
      await renderUnit(
        await unitOf(hostile.workspace, 'flux-helmrelease'),
        options(hostile.workspace),
      ),
    );
    assert.match(
      error.message,
      // helm-controller shortens a name over 53 characters: the message shows both.
      /^The release name "--post-renderer=\/[^"]*" \(spec\.releaseName "--post-renderer=\/[^"]*evil\.sh" shortened in release\.yaml:8\) is not a valid Helm release name, so helm was not run: use at most 53/,
    );
    assert.equal(existsSync(hostile.marker), false);
  });

  it('refuses a HelmRelease whose spec.releaseName is --set-file=x=/etc/passwd, and shows no byte of it', async () => {
    const hostile = await hostileWorkspace({
      ...CHART,
      'release.yaml': helmRelease(['  releaseName: "--set-file=x=/etc/passwd"']),
    });
    const result = await renderUnit(
      await unitOf(hostile.workspace, 'flux-helmrelease'),
      options(hostile.workspace),
    );
    const error = refusal(result);
    assert.match(
      error.message,
      /^The release name "--set-file=x=\/etc\/passwd" \(spec\.releaseName in release\.yaml:8\)/,
    );
    assert.doesNotMatch(JSON.stringify(result), PASSWD_BYTES);
  });

  it('refuses a HelmRelease whose targetNamespace makes the default release name invalid, naming both fields', async () => {
    const hostile = await hostileWorkspace({
      ...CHART,
      'release.yaml': helmRelease(['  targetNamespace: "-x"']),
    });
    const error = refusal(
      await renderUnit(
        await unitOf(hostile.workspace, 'flux-helmrelease'),
        options(hostile.workspace),
      ),
    );
    assert.match(
      error.message,
      /^The release name "-x-demo" \(spec\.targetNamespace-metadata\.name in release\.yaml:4\) is not a valid Helm release name/,
    );
  });

  it('refuses a HelmRelease whose targetNamespace is flag-shaped, naming spec.targetNamespace', async () => {
    const hostile = await hostileWorkspace({
      ...CHART,
      'release.yaml': helmRelease([
        '  releaseName: demo',
        `  targetNamespace: "--post-renderer=/bin/sh\\nx"`,
      ]),
    });
    const error = refusal(
      await renderUnit(
        await unitOf(hostile.workspace, 'flux-helmrelease'),
        options(hostile.workspace),
      ),
    );
    assert.equal(
      error.message,
      'The namespace "--post-renderer=/bin/sh\\nx" (spec.targetNamespace in release.yaml:9) is not a valid Kubernetes namespace, so helm was not run: use at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit.',
    );
  });

  it('renders a real-world HelmRelease whose <targetNamespace>-<name> is over 53 characters, as helm-controller names it', async () => {
    const hostile = await hostileWorkspace({
      ...CHART,
      'release.yaml': helmRelease(
        ['  targetNamespace: another-release'],
        'name-with-very-long-name-which-is-longer-than-53-characters',
      ),
    });
    const result = ok(
      await renderUnit(
        await unitOf(hostile.workspace, 'flux-helmrelease'),
        options(hostile.workspace),
      ),
    );
    assert.match(result.yaml, /name: another-release-name-with-very-long-name-7e72150d5a36-demo/);
  });

  it('refuses an Application whose helm.releaseName is a post-renderer script in the repo', async () => {
    const hostile = await hostileWorkspace(CHART);
    await fs.writeFile(
      path.join(hostile.workspace, 'app.yaml'),
      application([`      releaseName: ${JSON.stringify(`--post-renderer=${hostile.script}`)}`]),
    );
    const error = refusal(
      await renderUnit(
        await unitOf(hostile.workspace, 'argocd-application'),
        options(hostile.workspace),
      ),
    );
    assert.match(
      error.message,
      /^The release name "--post-renderer=\/.*evil\.sh" \(spec\.source\.helm\.releaseName in app\.yaml:15\) is not a valid Helm release name/,
    );
    assert.equal(existsSync(hostile.marker), false);
  });

  it('refuses an Application named --set-file=x=/etc/passwd (its default release name), and shows no byte of it', async () => {
    const hostile = await hostileWorkspace({
      ...CHART,
      'app.yaml': application([], '--set-file=x=/etc/passwd'),
    });
    const result = await renderUnit(
      await unitOf(hostile.workspace, 'argocd-application'),
      options(hostile.workspace),
    );
    const error = refusal(result);
    assert.match(
      error.message,
      /^The release name "--set-file=x=\/etc\/passwd" \(metadata\.name in app\.yaml:4\)/,
    );
    assert.doesNotMatch(JSON.stringify(result), PASSWD_BYTES);
  });

  it('refuses an Application whose destination namespace is flag-shaped', async () => {
    const hostile = await hostileWorkspace({
      ...CHART,
      'app.yaml': application([], 'demo', `--post-renderer=x`),
    });
    const error = refusal(
      await renderUnit(
        await unitOf(hostile.workspace, 'argocd-application'),
        options(hostile.workspace),
      ),
    );
    assert.match(
      error.message,
      /^The namespace "--post-renderer=x" \(spec\.destination\.namespace in app\.yaml:10\) is not a valid Kubernetes namespace/,
    );
  });

  it('still renders valid names through Flux and Argo CD', async () => {
    const hostile = await hostileWorkspace({
      ...CHART,
      'release.yaml': helmRelease(['  targetNamespace: dev']),
      'app.yaml': application(['      releaseName: my.release-1']),
    });
    const flux = ok(
      await renderUnit(
        await unitOf(hostile.workspace, 'flux-helmrelease'),
        options(hostile.workspace),
      ),
    );
    assert.match(flux.yaml, /name: dev-demo-demo/);
    const argo = ok(
      await renderUnit(
        await unitOf(hostile.workspace, 'argocd-application'),
        options(hostile.workspace),
      ),
    );
    assert.match(argo.yaml, /name: my\.release-1-demo/);
  });
});

/** A local HTTP server that counts every connection it gets. */
async function countingServer(): Promise<{
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}> {
  let count = 0;
  const server = http.createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end('{"type":"object","properties":{"x":{"const":"leak"}}}');
  });
  server.on('connection', () => {
    count += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('values.schema.json references', () => {
  let server: Awaited<ReturnType<typeof countingServer>>;
  before(async () => {
    server = await countingServer();
  });
  after(async () => {
    await server.close();
  });

  const schema = (value: unknown): string => JSON.stringify(value, null, 2);

  async function refusedSchema(files: Record<string, string>, expected: RegExp): Promise<void> {
    const seen = server.connections();
    const hostile = await hostileWorkspace(files);
    const result = await renderUnit(
      await unitOf(hostile.workspace, 'helm'),
      options(hostile.workspace),
    );
    const error = refusal(result);
    assert.match(error.message, expected);
    assert.doesNotMatch(JSON.stringify(result), PASSWD_BYTES);
    assert.equal(server.connections(), seen, 'no connection to the local server');
  }

  it('refuses $ref to file:///etc/passwd', async () => {
    await refusedSchema(
      {
        ...CHART,
        'charts/demo/values.schema.json': schema({
          properties: { x: { $ref: 'file:///etc/passwd' } },
        }),
      },
      /^The schema charts\/demo\/values\.schema\.json has \$ref "file:\/\/\/etc\/passwd" at \/properties\/x\/\$ref, which would make helm read a file or contact a host outside the repo, so helm was not run: use a local #\/definitions\/\.\.\. reference\.$/,
    );
  });

  it('refuses a relative $ref (etc/passwd resolves to file:///etc/passwd)', async () => {
    await refusedSchema(
      { ...CHART, 'charts/demo/values.schema.json': schema({ $ref: 'etc/passwd' }) },
      /^The schema charts\/demo\/values\.schema\.json has \$ref "etc\/passwd" at \/\$ref/,
    );
  });

  it('refuses $ref to a URL, and never contacts its host', async () => {
    await refusedSchema(
      {
        ...CHART,
        'charts/demo/values.schema.json': schema({
          properties: { x: { $ref: `http://127.0.0.1:${server.port}/s.json` } },
        }),
      },
      /has \$ref "http:\/\/127\.0\.0\.1:\d+\/s\.json" at \/properties\/x\/\$ref/,
    );
  });

  it('refuses a $schema that is not a built-in draft, and never contacts its host', async () => {
    await refusedSchema(
      {
        ...CHART,
        'charts/demo/values.schema.json': schema({ $schema: `https://127.0.0.1:${server.port}/x` }),
      },
      /has \$schema "https:\/\/127\.0\.0\.1:\d+\/x" at \/\$schema, .* helm was not run: use a built-in draft such as http:\/\/json-schema\.org\/draft-07\/schema#\.$/,
    );
  });

  it('refuses the same inside a subchart packaged in charts/sub.tgz', async () => {
    const packaging = await hostileWorkspace({
      'sub/Chart.yaml': CHART_YAML('sub'),
      'sub/templates/cm.yaml': TEMPLATE,
      'sub/values.schema.json': schema({
        properties: { x: { $ref: `http://127.0.0.1:${server.port}/sub.json` } },
      }),
    });
    const hostile = await hostileWorkspace({
      ...CHART,
      'charts/demo/Chart.yaml': `${CHART_YAML('demo')}dependencies:\n  - name: sub\n    version: 0.1.0\n`,
    });
    await fs.mkdir(path.join(hostile.workspace, 'charts/demo/charts'), { recursive: true });
    await runDirect(
      tools.helm,
      [
        'package',
        `--destination=${path.join(hostile.workspace, 'charts/demo/charts')}`,
        '--',
        path.join(packaging.workspace, 'sub'),
      ],
      packaging.workspace,
    );
    const seen = server.connections();
    const result = await renderUnit(
      await unitOf(hostile.workspace, 'helm'),
      options(hostile.workspace),
    );
    const error = refusal(result);
    assert.match(
      error.message,
      /^The schema charts\/demo\/charts\/sub-0\.1\.0\.tgz!sub\/values\.schema\.json has \$ref "http:\/\/127\.0\.0\.1:\d+\/sub\.json" at \/properties\/x\/\$ref, .*use a local #\/definitions\/\.\.\. reference\.$/,
    );
    assert.equal(error.file, path.join(hostile.workspace, 'charts/demo/charts/sub-0.1.0.tgz'));
    assert.equal(server.connections(), seen, 'no connection to the local server');
  });

  it('renders a chart whose schema uses a built-in draft and local references, and helm still enforces it', async () => {
    const legit = schema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      definitions: { x: { type: 'string', maxLength: 8 } },
      properties: { x: { $ref: '#/definitions/x' } },
    });
    const hostile = await hostileWorkspace({
      ...CHART,
      'charts/demo/values.schema.json': legit,
      'charts/demo/values.yaml': 'x: short\n',
    });
    const seen = server.connections();
    const unit = await unitOf(hostile.workspace, 'helm');
    const rendered = ok(await renderUnit(unit, options(hostile.workspace)));
    assert.match(rendered.yaml, /x: "short"/);
    await fs.writeFile(
      path.join(hostile.workspace, 'charts/demo/values.yaml'),
      'x: far-too-long-for-the-schema\n',
    );
    const result = await renderUnit(unit, options(hostile.workspace));
    if (result.ok) assert.fail('helm should reject values that break the schema');
    assert.equal(result.error.reason, 'failed');
    assert.match(result.error.message, /values don't meet the specifications of the schema/);
    assert.equal(server.connections(), seen);
  });
});

describe('remote charts with network rendering on', () => {
  let repo: { port: number; requests: string[]; close: () => Promise<void> };
  let charts: string;

  before(async () => {
    const { root } = await tempWorkspace({});
    temporary.push(root);
    charts = path.join(root, 'repo');
    const sources = path.join(root, 'sources');
    const write = async (relative: string, text: string): Promise<void> => {
      await fs.mkdir(path.dirname(path.join(sources, relative)), { recursive: true });
      await fs.writeFile(path.join(sources, relative), text);
    };
    await write('good/Chart.yaml', CHART_YAML('good'));
    await write('good/templates/cm.yaml', TEMPLATE);
    await write('evil/Chart.yaml', CHART_YAML('evil'));
    await write('evil/templates/cm.yaml', TEMPLATE);
    await write(
      'evil/values.schema.json',
      JSON.stringify({ properties: { x: { $ref: 'file:///etc/passwd' } } }),
    );
    await fs.mkdir(charts, { recursive: true });
    for (const name of ['good', 'evil']) {
      await runDirect(
        tools.helm,
        ['package', `--destination=${charts}`, '--', path.join(sources, name)],
        sources,
      );
    }
    const requests: string[] = [];
    const server = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      const file = path.join(charts, path.basename(request.url ?? ''));
      fs.readFile(file).then(
        (bytes) => response.end(bytes),
        () => {
          response.statusCode = 404;
          response.end();
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await runDirect(
      tools.helm,
      ['repo', 'index', `--url=http://127.0.0.1:${port}`, '--', charts],
      charts,
    );
    repo = {
      port,
      requests,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  });
  after(async () => {
    await repo.close();
  });

  function remoteRelease(chart: string, url: string): Record<string, string> {
    return {
      'repos.yaml': [
        'apiVersion: source.toolkit.fluxcd.io/v1',
        'kind: HelmRepository',
        'metadata:',
        '  name: local',
        '  namespace: flux-system',
        'spec:',
        `  url: ${JSON.stringify(url)}`,
        '',
      ].join('\n'),
      'release.yaml': [
        'apiVersion: helm.toolkit.fluxcd.io/v2',
        'kind: HelmRelease',
        'metadata:',
        '  name: demo',
        '  namespace: flux-system',
        'spec:',
        '  chart:',
        '    spec:',
        `      chart: ${JSON.stringify(chart)}`,
        '      version: 0.1.0',
        '      sourceRef:',
        '        kind: HelmRepository',
        '        name: local',
        '',
      ].join('\n'),
    };
  }

  async function renderRemote(files: Record<string, string>): Promise<RenderResult> {
    const hostile = await hostileWorkspace(files);
    return renderUnit(await unitOf(hostile.workspace, 'flux-helmrelease'), {
      ...options(hostile.workspace),
      allowNetwork: true,
    });
  }

  it('renders a remote chart pulled from the repository', async () => {
    const result = ok(await renderRemote(remoteRelease('good', `http://127.0.0.1:${repo.port}`)));
    assert.match(result.yaml, /name: demo-demo/);
    assert.ok(repo.requests.includes('/good-0.1.0.tgz'), repo.requests.join(' '));
  });

  it('refuses a remote chart whose schema references a local file, before helm template reads it', async () => {
    const result = await renderRemote(remoteRelease('evil', `http://127.0.0.1:${repo.port}`));
    const error = refusal(result);
    assert.match(
      error.message,
      /^The schema evil-0\.1\.0\.tgz!evil\/values\.schema\.json has \$ref "file:\/\/\/etc\/passwd" at \/properties\/x\/\$ref/,
    );
    assert.doesNotMatch(JSON.stringify(result), PASSWD_BYTES);
  });

  it('refuses a chart name helm would read as a local path, and a file:// repository', async () => {
    const path1 = refusal(
      await renderRemote(remoteRelease('/etc', `http://127.0.0.1:${repo.port}`)),
    );
    assert.match(
      path1.message,
      /^The chart name "\/etc" \(spec\.chart\.spec\.chart in release\.yaml:9\) is not a chart name, so helm was not run/,
    );
    const file = refusal(await renderRemote(remoteRelease('good', 'file:///etc')));
    assert.match(
      file.message,
      /^The chart repository URL "file:\/\/\/etc" \(spec\.url in repos\.yaml:7\) is not an https, http or oci address, so helm was not run/,
    );
  });
});
