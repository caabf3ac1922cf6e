import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { runKubectl } from '../../scripts/harness/clusterSetup';
import { startControlPlane } from '../../scripts/harness/controlPlane';
import type { ControlPlane } from '../../scripts/harness/controlPlane';
import { toolPath } from '../../scripts/harness/toolchain';
import {
  ClusterError,
  SchemaCatalog,
  connectKubeApi,
  readClusterSchemas,
  validateManifestText,
} from '../../server/src/engine';
import { TestLspClient } from './support/lspClient';
import { BUNDLE_DIR, WIDGET_CRD } from '../unit/support/schemas';

const WIDGET =
  'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 2\n  colour: red\n';

describe('schemas read from a connected cluster', () => {
  let plane: ControlPlane;
  let cache: string;

  before(async () => {
    plane = await startControlPlane({ withControllerManager: false, withKwok: false });
    cache = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-cluster-schemas-'));
    await runKubectl(
      toolPath('kubectl'),
      plane.kubeconfigPath,
      ['apply', '-f', '-'],
      undefined,
      WIDGET_CRD,
    );
    // The API server publishes a new CRD's schema in /openapi/v3 once it is Established. (No
    // `kubectl wait` here: it fails at once while the new CRD has no status conditions yet.)
    const deadline = Date.now() + 60_000;
    for (;;) {
      const index = await runKubectl(toolPath('kubectl'), plane.kubeconfigPath, [
        'get',
        '--raw',
        '/openapi/v3',
      ]);
      if (index.stdout.includes('apis/example.com/v1')) {
        break;
      }
      assert.ok(Date.now() < deadline, 'the Widget CRD appears in /openapi/v3 within a minute');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  after(async () => {
    await plane?.stop();
    await fs.rm(cache, { recursive: true, force: true });
  });

  it('reads the version and CRDs the cluster serves, and caches them on disk', async () => {
    const api = await connectKubeApi({
      kubeconfigFiles: [plane.kubeconfigPath],
      context: plane.contexts.admin,
    });
    const first = await readClusterSchemas(api, cache);
    assert.equal(first.fromCache, false);
    assert.equal(first.bundle.kubernetesVersion, plane.kubernetesVersion);
    for (const kind of [
      'apps/v1/Deployment',
      'kustomize.toolkit.fluxcd.io/v1/Kustomization',
      'example.com/v1/Widget',
    ]) {
      assert.ok(first.bundle.kinds[kind], `${kind} is served`);
    }
    const second = await readClusterSchemas(api, cache);
    assert.equal(second.fromCache, true);
    assert.equal(second.cacheFile, first.cacheFile);

    const registry = await new SchemaCatalog(BUNDLE_DIR).registryFor(first.bundle);
    const findings = validateManifestText(WIDGET, { schemas: registry }).findings;
    assert.deepEqual(
      findings.map((f) => [f.code, f.range.start.line]),
      [['unknown-field', 6]],
    );
  });

  it('fails fast and clearly when the cluster cannot be reached', async () => {
    const kubeconfig = path.join(cache, 'unreachable');
    await fs.writeFile(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}\ncontexts:\n- name: gone\n  context: {cluster: gone, user: u}\nusers:\n- name: u\n  user: {token: x}\n',
    );
    const started = Date.now();
    const api = await connectKubeApi({ kubeconfigFiles: [kubeconfig], context: 'gone' });
    await assert.rejects(readClusterSchemas(api, undefined), (error: unknown) => {
      assert.ok(error instanceof ClusterError);
      assert.equal(error.reason, 'unreachable');
      assert.match(
        error.message,
        /^Cannot reach the cluster of context "gone" at 127\.0\.0\.1:9 \(ECONNREFUSED\)/,
      );
      return true;
    });
    assert.ok(Date.now() - started < 10_000);
    await assert.rejects(
      connectKubeApi({ kubeconfigFiles: [kubeconfig], context: 'nope' }),
      /There is no context "nope"/,
    );
  });

  it('validates with the cluster schemas in the language server once they are read', async () => {
    const client = await TestLspClient.start({ trusted: true, storagePath: cache });
    try {
      client.settings = {
        validation: { enable: true, context: plane.contexts.admin },
        kubeconfig: plane.kubeconfigPath,
      };
      const uri = 'file:///cluster/widget.yaml';
      await client.open(uri, WIDGET);
      const deadline = Date.now() + 60_000;
      let codes: unknown[] = [];
      while (Date.now() < deadline) {
        const report = (await client.diagnostics(uri)) as FullDocumentDiagnosticReport;
        codes = report.items.map((item) => item.code);
        if (codes.includes('unknown-field')) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.deepEqual(codes, ['unknown-field'], 'the cluster CRD validates the Widget');
    } finally {
      await client.stop();
    }
  });

  it('does not contact the cluster in an untrusted workspace', async () => {
    const client = await TestLspClient.start({ trusted: false, storagePath: cache });
    try {
      client.settings = {
        validation: { enable: true, context: plane.contexts.admin },
        kubeconfig: plane.kubeconfigPath,
      };
      const uri = 'file:///cluster/untrusted-widget.yaml';
      await client.open(uri, WIDGET);
      const report = (await client.diagnostics(uri)) as FullDocumentDiagnosticReport;
      assert.deepEqual(
        report.items.map((item) => item.code),
        ['no-schema'],
      );
    } finally {
      await client.stop();
    }
  });
});
