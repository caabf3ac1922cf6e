import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  archiveValuesSchema,
  downloadedChartDocs,
  remoteChartValues,
} from '../../server/src/engine/helm/remoteChartValues';
import { unitValuesFindings } from '../../server/src/engine/helm/unitValuesFindings';
import type { UnitValuesContext } from '../../server/src/engine/helm/unitValuesFindings';
import type { ChartValuesSchema } from '../../server/src/engine/helm/valuesFindings';
import { remoteChartArchive } from '../../server/src/engine/render/helmRemoteChart';
import { RemoteChartStore } from '../../server/src/engine/render/remoteCharts';
import type { PulledChart } from '../../server/src/engine/render/remoteCharts';
import type { RemoteChart, RenderUnit } from '../../server/src/engine/render/types';
import { tgz } from './support/tarball';

const REMOTE: RemoteChart = {
  repoUrl: 'https://charts.example.com',
  chart: 'shop',
  version: '1.2.0',
};
const SCHEMA = { type: 'object', properties: { replicas: { type: 'integer' } } };

function archive(schema: unknown, extra: Record<string, string> = {}): PulledChart {
  return {
    name: 'shop-1.2.0.tgz',
    bytes: tgz(
      Object.entries({
        'shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.2.0\n',
        'shop/values.yaml': 'replicas: 1\nimage: {tag: v1}\n',
        'shop/values.schema.json': JSON.stringify(schema),
        ...extra,
      }).map(([name, data]) => ({ name, data })),
    ),
  };
}

describe('RemoteChartStore', () => {
  it('downloads a chart once per repository, chart and version, while and after it is downloaded', async () => {
    const store = new RemoteChartStore();
    let downloads = 0;
    const download = (): Promise<PulledChart> => {
      downloads += 1;
      return Promise.resolve(archive(SCHEMA));
    };
    const [first, second] = await Promise.all([
      store.pull(REMOTE, download),
      store.pull({ ...REMOTE }, download),
    ]);
    assert.equal(first, second);
    assert.equal(await store.pull(REMOTE, download), first);
    assert.equal(downloads, 1);
    await store.pull({ ...REMOTE, version: '1.3.0' }, download);
    await store.pull({ ...REMOTE, repoUrl: 'https://other.example.com' }, download);
    assert.equal(downloads, 3);
  });

  it('keeps no failed download: the next pull tries again, and says it failed until one succeeds', async () => {
    const store = new RemoteChartStore();
    await assert.rejects(
      store.pull(REMOTE, () => Promise.reject(new Error('unreachable'))),
      /unreachable/,
    );
    assert.equal(store.hasFailed(REMOTE), true);
    const pulled = await store.pull(REMOTE, () => Promise.resolve(archive(SCHEMA)));
    assert.equal(pulled.name, 'shop-1.2.0.tgz');
    assert.equal(store.hasFailed(REMOTE), false);
  });
});

describe('remoteChartArchive', () => {
  it("stops waiting for another caller's download when its own render is cancelled", async () => {
    const store = new RemoteChartStore();
    let finish: (pulled: PulledChart) => void = () => undefined;
    const other = store.pull(
      REMOTE,
      () => new Promise<PulledChart>((resolve) => (finish = resolve)),
    );
    const controller = new AbortController();
    const waiting = remoteChartArchive(store, '/no/such/helm', REMOTE, unit(), {
      workspaceRoot: path.resolve('/repo'),
      timeoutMs: 1000,
      signal: controller.signal,
    });
    controller.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
    finish(archive(SCHEMA));
    assert.equal((await other).name, 'shop-1.2.0.tgz');
  });
});

describe('archiveValuesSchema', () => {
  it("reads the chart's name, schema and defaults from the archive", async () => {
    const chart = await archiveValuesSchema(archive(SCHEMA));
    assert.deepEqual(chart, {
      name: 'shop',
      root: 'shop-1.2.0.tgz!shop',
      schema: SCHEMA,
      defaults: { replicas: 1, image: { tag: 'v1' } },
    });
  });

  it("uses no schema that references a file or a host, its own or a subchart archive's", async () => {
    assert.equal(
      await archiveValuesSchema(
        archive({ properties: { replicas: { $ref: 'file:///etc/passwd' } } }),
      ),
      undefined,
    );
    const sub = tgz([
      { name: 'sub/Chart.yaml', data: 'apiVersion: v2\nname: sub\nversion: 0.1.0\n' },
      { name: 'sub/values.schema.json', data: '{"$ref": "https://example.com/s.json"}' },
    ]);
    const pulled = archive(SCHEMA);
    const withSub: PulledChart = {
      name: pulled.name,
      bytes: tgz([
        { name: 'shop/Chart.yaml', data: 'apiVersion: v2\nname: shop\nversion: 1.2.0\n' },
        { name: 'shop/values.schema.json', data: JSON.stringify(SCHEMA) },
        { name: 'shop/charts/sub-0.1.0.tgz', data: sub },
      ]),
    };
    assert.equal(await archiveValuesSchema(withSub), undefined);
  });

  it('reads nothing from an archive without a schema, or with files of two charts', async () => {
    const noSchema: PulledChart = {
      name: 'shop-1.2.0.tgz',
      bytes: tgz([
        { name: 'shop/Chart.yaml', data: 'apiVersion: v2\nname: shop\nversion: 1.2.0\n' },
      ]),
    };
    assert.equal(await archiveValuesSchema(noSchema), undefined);
    assert.equal(
      await archiveValuesSchema(archive(SCHEMA, { 'other/values.yaml': 'replicas: x\n' })),
      undefined,
    );
  });
});

describe('remoteChartValues', () => {
  it('downloads nothing with network rendering off', async () => {
    let pulls = 0;
    const store = new (class extends RemoteChartStore {
      override pull(): Promise<PulledChart> {
        pulls += 1;
        return Promise.resolve(archive(SCHEMA));
      }
    })();
    const chart = await remoteChartValues(unit(), {
      store,
      allowNetwork: false,
      binaries: { helm: path.resolve('/no/such/helm') },
      workspaceRoot: path.resolve('/repo'),
    });
    assert.equal(chart, undefined);
    assert.equal(pulls, 0, 'no download was tried');
  });
});

describe('downloadedChartDocs', () => {
  it('documents the keys from an archive already downloaded, and downloads nothing itself', async () => {
    const store = new RemoteChartStore();
    assert.equal(await downloadedChartDocs(unit(), { store, allowNetwork: true }), undefined);
    assert.equal(store.downloaded(REMOTE), undefined, 'nothing was downloaded');
    await store.pull(REMOTE, () => Promise.resolve(archive(SCHEMA)));
    assert.deepEqual(await downloadedChartDocs(unit(), { store, allowNetwork: true }), {
      chartName: 'shop',
      schema: SCHEMA,
      defaultsText: 'replicas: 1\nimage: {tag: v1}\n',
    });
    assert.equal(await downloadedChartDocs(unit(), { store, allowNetwork: false }), undefined);
  });
});

const RELEASE = path.resolve('/repo/apps/release.yaml');

function releaseText(values: string[], chartSpec: string[] = []): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: shop',
    'spec:',
    '  chart:',
    '    spec:',
    '      chart: shop',
    '      version: 1.2.0',
    '      sourceRef: {kind: HelmRepository, name: charts}',
    ...chartSpec.map((line) => `      ${line}`),
    ...(values.length > 0 ? ['  values:', ...values.map((line) => `    ${line}`)] : []),
    '',
  ].join('\n');
}

function unit(): RenderUnit {
  return {
    kind: 'flux-helmrelease',
    id: `flux-helmrelease:${RELEASE}:1`,
    name: 'shop',
    root: path.dirname(RELEASE),
    renderer: 'helm',
    definedIn: { file: RELEASE, line: 1 },
    helm: { releaseName: 'shop', valueFiles: [], remote: REMOTE },
  };
}

describe('unitValuesFindings of a remote chart', () => {
  const CHART: ChartValuesSchema = {
    name: 'shop',
    root: 'shop-1.2.0.tgz!shop',
    schema: SCHEMA,
    defaults: { replicas: 1 },
  };

  function context(text: string, asked: string[]): UnitValuesContext {
    return {
      repoRoot: path.resolve('/repo'),
      read: (file) => Promise.resolve(file === RELEASE ? text : undefined),
      whereIs: () => Promise.resolve('missing'),
      chartOf: () => Promise.reject(new Error('a remote chart is not read from a folder')),
      remoteChartOf: (target) => {
        asked.push(target.id);
        return Promise.resolve(CHART);
      },
    };
  }

  it("puts a wrong value of spec.values on its key, from the remote chart's schema", async () => {
    const asked: string[] = [];
    const placed = await unitValuesFindings(unit(), context(releaseText(['replicas: two']), asked));
    assert.deepEqual(
      placed.map((entry) => [
        entry.file,
        entry.finding.range.start.line + 1,
        entry.finding.range.start.character + 1,
        entry.finding.message,
      ]),
      [
        [
          RELEASE,
          12,
          5,
          "At '/replicas': got string, want integer (values.schema.json of chart shop: helm does not render these values).",
        ],
      ],
    );
    assert.equal(asked.length, 1);
  });

  it('asks for no remote chart when the release sets no values, or reads valuesFiles of the archive', async () => {
    const asked: string[] = [];
    assert.deepEqual(await unitValuesFindings(unit(), context(releaseText([]), asked)), []);
    assert.deepEqual(
      await unitValuesFindings(
        unit(),
        context(releaseText(['replicas: two'], ['valuesFiles: [values-prod.yaml]']), asked),
      ),
      [],
    );
    assert.deepEqual(asked, []);
  });

  it('reports nothing without a way to know remote charts (no remoteChartOf)', async () => {
    const { remoteChartOf, ...local } = context(releaseText(['replicas: two']), []);
    assert.ok(remoteChartOf, 'the same context with it reports the value');
    assert.deepEqual(await unitValuesFindings(unit(), local), []);
  });
});
