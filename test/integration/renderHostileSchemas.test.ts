/**
 * Hostile repositories against the real helm: a values.schema.json (in the chart, a subchart
 * archive, or a remote chart) that would make helm read a file or contact a host is refused
 * before helm runs; a legitimate schema still renders and helm still enforces it.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderUnit } from '../../server/src/engine/render';
import type { RenderResult } from '../../server/src/engine/render';
import {
  CHART,
  CHART_YAML,
  PASSWD_BYTES,
  TEMPLATE,
  countingServer,
  hostileWorkspace,
  ok,
  options,
  refusal,
  unitOf,
} from './support/hostileRepos';
import { renderTools, runDirect, tempWorkspace } from './support/renderSupport';
import type { Tools } from './support/renderSupport';

let tools: Tools;
const temporary: string[] = [];

before(async () => {
  tools = await renderTools();
});

after(async () => {
  for (const dir of temporary) await fs.rm(dir, { recursive: true, force: true });
});

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
    const hostile = await hostileWorkspace(files, temporary);
    const result = await renderUnit(
      await unitOf(hostile.workspace, 'helm'),
      options(tools, hostile.workspace),
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
    const packaging = await hostileWorkspace(
      {
        'sub/Chart.yaml': CHART_YAML('sub'),
        'sub/templates/cm.yaml': TEMPLATE,
        'sub/values.schema.json': schema({
          properties: { x: { $ref: `http://127.0.0.1:${server.port}/sub.json` } },
        }),
      },
      temporary,
    );
    const hostile = await hostileWorkspace(
      {
        ...CHART,
        'charts/demo/Chart.yaml': `${CHART_YAML('demo')}dependencies:\n  - name: sub\n    version: 0.1.0\n`,
      },
      temporary,
    );
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
      options(tools, hostile.workspace),
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
    const hostile = await hostileWorkspace(
      {
        ...CHART,
        'charts/demo/values.schema.json': legit,
        'charts/demo/values.yaml': 'x: short\n',
      },
      temporary,
    );
    const seen = server.connections();
    const unit = await unitOf(hostile.workspace, 'helm');
    const rendered = ok(await renderUnit(unit, options(tools, hostile.workspace)));
    assert.match(rendered.yaml, /x: "short"/);
    await fs.writeFile(
      path.join(hostile.workspace, 'charts/demo/values.yaml'),
      'x: far-too-long-for-the-schema\n',
    );
    const result = await renderUnit(unit, options(tools, hostile.workspace));
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
    const hostile = await hostileWorkspace(files, temporary);
    return renderUnit(await unitOf(hostile.workspace, 'flux-helmrelease'), {
      ...options(tools, hostile.workspace),
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
