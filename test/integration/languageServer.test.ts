import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  DocumentDiagnosticRequest,
} from 'vscode-languageserver-protocol/node';
import type { FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { listContexts } from '../../server/src/protocol';
import { TestLspClient } from './support/lspClient';

function full(report: unknown): FullDocumentDiagnosticReport {
  const typed = report as FullDocumentDiagnosticReport;
  assert.equal(typed.kind, 'full', 'a full diagnostic report');
  return typed;
}

describe('language server over stdio (dist/server.js)', () => {
  let client: TestLspClient;
  before(async () => {
    client = await TestLspClient.start();
  });
  after(async () => {
    const code = await client.stop();
    assert.equal(code, 0, `server exited cleanly; stderr: ${client.stderr}`);
  });

  it('reports a missing apiVersion on the kind key, then clears it after an incremental edit', async () => {
    const uri = 'file:///work/app/service.yaml';
    await client.open(
      uri,
      'kind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n',
    );
    const first = full(await client.diagnostics(uri));
    assert.equal(first.items.length, 1);
    assert.deepEqual(first.items[0]?.range, {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 4 },
    });
    assert.equal(first.items[0]?.source, 'gitops-workbench');
    assert.equal(first.items[0]?.code, 'missing-api-version');
    assert.equal(first.items[0]?.severity, 1);

    await client.change(uri, [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        text: 'apiVersion: v1\n',
      },
    ]);
    const second = full(await client.diagnostics(uri, first.resultId));
    assert.deepEqual(second.items, []);
  });

  it('reports a YAML syntax error with its exact range and follows edits that break and fix it', async () => {
    const uri = 'file:///work/app/configmap.yaml';
    await client.open(uri, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    assert.deepEqual(full(await client.diagnostics(uri)).items, []);
    await client.change(uri, [
      { range: { start: { line: 3, character: 9 }, end: { line: 3, character: 9 } }, text: ': y' },
    ]);
    const broken = full(await client.diagnostics(uri));
    assert.equal(broken.items.length, 1);
    assert.equal(broken.items[0]?.code, 'yaml-syntax');
    assert.deepEqual(broken.items[0]?.range, {
      start: { line: 3, character: 8 },
      end: { line: 3, character: 9 },
    });
    await client.change(uri, [
      { range: { start: { line: 3, character: 9 }, end: { line: 3, character: 12 } }, text: '' },
    ]);
    assert.deepEqual(full(await client.diagnostics(uri)).items, []);
  });

  it('answers "unchanged" when asked again about the same version', async () => {
    const uri = 'file:///work/app/unchanged.yaml';
    await client.open(uri, 'kind: Pod\n');
    const first = full(await client.diagnostics(uri));
    const again = await client.diagnostics(uri, first.resultId);
    assert.equal(again.kind, 'unchanged');
  });

  it('stops reporting when validation is turned off, and asks the client to pull again', async () => {
    const uri = 'file:///work/app/off.yaml';
    await client.open(uri, 'kind: Pod\n');
    assert.equal(full(await client.diagnostics(uri)).items.length, 1);
    const refreshesBefore = client.refreshRequests;
    await client.changeSettings({ validation: { enable: false } });
    assert.deepEqual(full(await client.diagnostics(uri)).items, []);
    assert.ok(
      client.refreshRequests > refreshesBefore,
      'the server asked for a diagnostics refresh',
    );
    await client.changeSettings({ validation: { enable: true } });
    assert.equal(full(await client.diagnostics(uri)).items.length, 1);
  });

  it('keeps answering after a binary document and an alias bomb', async () => {
    await client.open('file:///work/app/binary.yaml', '\u0000\u0001PNG\u0000');
    const binary = full(await client.diagnostics('file:///work/app/binary.yaml'));
    assert.equal(binary.items[0]?.code, 'not-text');
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]']
      .concat(
        Array.from(
          { length: 9 },
          (_, i) =>
            `l${i}: &l${i} [${'*' + (i === 0 ? 'a' : `l${i - 1}`)},${'*' + (i === 0 ? 'a' : `l${i - 1}`)}]`,
        ),
      )
      .concat(['apiVersion: v1', 'kind: ConfigMap'])
      .join('\n');
    await client.open('file:///work/app/bomb.yaml', bomb);
    full(await client.diagnostics('file:///work/app/bomb.yaml'));
    await client.open('file:///work/app/after.yaml', 'kind: Pod\n');
    assert.equal(full(await client.diagnostics('file:///work/app/after.yaml')).items.length, 1);
  });

  it('lists kubeconfig contexts from files without contacting a cluster', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-lsp-kubeconfig-'));
    const file = path.join(dir, 'config');
    await fs.writeFile(
      file,
      'apiVersion: v1\nkind: Config\ncurrent-context: demo\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: demo\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user: {}\n',
    );
    try {
      const result = await client.connection.sendRequest(listContexts, { kubeconfigPath: file });
      assert.equal(result.allowed, true);
      assert.deepEqual(
        result.contexts.map((c) => [c.name, c.server, c.current]),
        [['demo', 'https://127.0.0.1:1', true]],
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('language server in an untrusted workspace', () => {
  it('still validates, but reads no kubeconfig', async () => {
    const client = await TestLspClient.start({ trusted: false });
    try {
      await client.open('file:///untrusted/a.yaml', 'kind: Pod\n');
      assert.equal(full(await client.diagnostics('file:///untrusted/a.yaml')).items.length, 1);
      const result = await client.connection.sendRequest(listContexts, { kubeconfigPath: '' });
      assert.equal(result.allowed, false);
      assert.deepEqual(result.contexts, []);
    } finally {
      await client.stop();
    }
  });
});

describe('language server under rapid edits', () => {
  it('answers a request made stale by a newer edit with "server cancelled", and the newest one in full', async () => {
    const client = await TestLspClient.start();
    try {
      const uri = 'file:///work/app/typing.yaml';
      await client.open(uri, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
      const stale = client.diagnostics(uri);
      await client.change(uri, [
        { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'x' },
      ]);
      await assert.rejects(
        stale,
        (error: { code?: number; data?: { retriggerRequest?: boolean } }) => {
          assert.equal(error.code, -32802, 'LSPErrorCodes.ServerCancelled');
          assert.equal(error.data?.retriggerRequest, true);
          return true;
        },
      );
      const fresh = full(await client.diagnostics(uri));
      assert.ok(fresh.items.length > 0, 'the edit (a broken kind key) is reported');
    } finally {
      await client.stop();
    }
  });
});

describe('language server and a request the client cancels', () => {
  it('never answers it with an empty report under the current result id', async () => {
    // VS Code cancels a pull when it pulls the same document again (a refresh). An empty full
    // report under the current result id would clear the document's problems, and every later
    // pull with that id would be told "unchanged": the problems would stay gone until an edit.
    const client = await TestLspClient.start();
    try {
      const uri = 'file:///work/app/cancelled.yaml';
      await client.open(uri, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\nspec: {}\n');
      const first = full(await client.diagnostics(uri));
      assert.equal(first.items.length, 1, 'the unknown field is reported');
      for (let attempt = 0; attempt < 5; attempt++) {
        // The settings are asked for again (a round trip to the client), as after any change of
        // them: the cancellation arrives while the server waits for them.
        await client.changeSettings({ ...client.settings });
        const source = new CancellationTokenSource();
        const answer = client.connection
          .sendRequest(
            DocumentDiagnosticRequest.type,
            { textDocument: { uri }, previousResultId: 'an older result' },
            source.token,
          )
          .then(
            (report) => ({ report }),
            (error: { code?: number }) => ({ code: error.code }),
          );
        // Cancelled right after it is sent: the cancellation arrives while the server waits for
        // the settings.
        source.cancel();
        const answered = await answer;
        if ('code' in answered) {
          assert.ok(
            answered.code === -32802 || answered.code === -32800,
            `cancelled as the protocol says (${answered.code})`,
          );
          continue;
        }
        const report = answered.report;
        assert.ok(
          report.kind === 'unchanged' || report.items.length === 1,
          `a cancelled pull answered ${JSON.stringify(report)}`,
        );
      }
      const after = await client.diagnostics(uri, first.resultId);
      assert.ok(
        after.kind === 'unchanged' || after.items.length === 1,
        `the next pull answered ${JSON.stringify(after)}`,
      );
    } finally {
      await client.stop();
    }
  });
});

describe('language server and Kustomize patches', () => {
  it('stops reporting missing required fields in a file once a kustomization names it as a patch', async () => {
    const client = await TestLspClient.start();
    try {
      // Not named like a patch (`*-patch.yaml` is checked as one from the start).
      const patch = 'file:///repo/overlays/staging/replicas.yaml';
      await client.open(
        patch,
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
      );
      const before = full(await client.diagnostics(patch));
      assert.ok(before.items.some((item) => item.code === 'missing-required'));
      await client.open(
        'file:///repo/overlays/staging/kustomization.yaml',
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\npatches:\n  - path: replicas.yaml\n',
      );
      full(await client.diagnostics('file:///repo/overlays/staging/kustomization.yaml'));
      const after = full(await client.diagnostics(patch, before.resultId));
      assert.deepEqual(after.items, []);
    } finally {
      await client.stop();
    }
  });
});

describe('language server and a file opened alone', () => {
  it("validates it with its repository's CRDs, as when the repository is the workspace", async () => {
    const repo = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'gw-lsp-alone-')));
    const client = await TestLspClient.start();
    try {
      await fs.mkdir(path.join(repo, '.git'));
      await fs.mkdir(path.join(repo, 'crds'));
      await fs.mkdir(path.join(repo, 'apps'));
      const crd = await fs.readFile(
        path.resolve(__dirname, '..', 'fixtures', 'crds', 'widget-crd.yaml'),
        'utf8',
      );
      await fs.writeFile(path.join(repo, 'crds', 'widget-crd.yaml'), crd);
      const file = path.join(repo, 'apps', 'widget.yaml');
      const text =
        'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 0\n';
      await fs.writeFile(file, text);
      const uri = pathToFileURL(file).href;
      // No workspace folder: the server reads the repository the file is in, in the background,
      // and asks the client to pull again when it is done.
      await client.open(uri, text);
      const deadline = Date.now() + 30_000;
      let codes: unknown[] = [];
      while (Date.now() < deadline) {
        codes = full(await client.diagnostics(uri)).items.map((item) => item.code);
        if (codes.includes('schema-constraint')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.deepEqual(codes, ['schema-constraint']);
      assert.ok(client.refreshRequests > 0, 'the client was asked to pull again');
    } finally {
      await client.stop();
      await fs.rm(repo, { recursive: true, force: true });
    }
  });
});
