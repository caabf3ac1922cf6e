import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DefinitionRequest } from 'vscode-languageserver-protocol/node';
import type {
  Diagnostic,
  FullDocumentDiagnosticReport,
  Location,
} from 'vscode-languageserver-protocol/node';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { renderedManifests } from '../../server/src/protocol';
import { TestLspClient } from './support/lspClient';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');

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
      if (accept(items)) {
        return items;
      }
    } catch {
      // superseded by a refresh: ask again
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`diagnostics of ${uri} never matched; last: ${JSON.stringify(items)}`);
}

describe('rendered output validated in the language server', () => {
  let repo = '';
  let client: TestLspClient;
  before(async () => {
    await ensureTools(['kustomize']);
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-rendered-lsp-'));
    cpSync(EXAMPLE, repo, { recursive: true });
    client = await TestLspClient.start({ trusted: true }, repo, {
      validation: { enable: true },
      kustomizePath: toolPath('kustomize'),
    });
  });
  after(async () => {
    await client.stop();
    rmSync(repo, { recursive: true, force: true });
  });

  it('reports what an unsaved overlay edit breaks in the rendered output, on the sources', async () => {
    const overlay = path.join(
      repo,
      'apps',
      'podinfo',
      'overlays',
      'production',
      'kustomization.yaml',
    );
    const configMap = path.join(repo, 'apps', 'podinfo', 'base', 'configmap.yaml');
    const overlayUri = pathToFileURL(overlay).href;
    const configMapUri = pathToFileURL(configMap).href;
    await client.open(configMapUri, readFileSync(configMap, 'utf8'));
    await client.open(overlayUri, readFileSync(overlay, 'utf8'));
    await waitForDiagnostics(client, configMapUri, (items) => items.length === 0);

    // Typed, not saved: the namespace line of the overlay.
    const line = readFileSync(overlay, 'utf8').split('\n').indexOf('namespace: podinfo-production');
    await client.change(overlayUri, [
      {
        range: { start: { line, character: 11 }, end: { line, character: 29 } },
        text: 'Podinfo_Production',
      },
    ]);
    const items = await waitForDiagnostics(client, configMapUri, (found) =>
      found.some((item) => item.message.includes('Podinfo_Production')),
    );
    const finding = items.find((item) => item.message.includes('Podinfo_Production'));
    assert.match(
      finding?.message ?? '',
      /\(rendered ConfigMap Podinfo_Production\/podinfo-config of kustomization apps\/podinfo\/overlays\/production, field metadata\.namespace\)$/,
    );
    assert.equal(
      readFileSync(overlay, 'utf8').includes('Podinfo_Production'),
      false,
      'nothing was saved',
    );

    await client.change(overlayUri, [
      {
        range: { start: { line, character: 11 }, end: { line, character: 29 } },
        text: 'podinfo-production',
      },
    ]);
    await waitForDiagnostics(client, configMapUri, (found) => found.length === 0);
  });

  it('previews what a unit renders, with unsaved buffers and Secret values masked', async () => {
    const patch = path.join(repo, 'apps', 'podinfo', 'overlays', 'staging', 'replicas-patch.yaml');
    const patchUri = pathToFileURL(patch).href;
    await client.open(patchUri, readFileSync(patch, 'utf8'));
    const before = await client.connection.sendRequest(renderedManifests, { uri: patchUri });
    assert.equal(before.error, undefined);
    assert.equal(before.title, 'apps/podinfo/overlays/staging (kustomize)');
    assert.match(before.yaml, /kind: Deployment[\s\S]*replicas: 2/);
    assert.match(before.yaml, /token: \+{8}/);
    assert.ok(!before.yaml.includes('demo-token-not-a-real-secret'));
    const line = readFileSync(patch, 'utf8').split('\n').indexOf('  replicas: 2');
    await client.change(patchUri, [
      { range: { start: { line, character: 12 }, end: { line, character: 13 } }, text: '5' },
    ]);
    const after = await client.connection.sendRequest(renderedManifests, { uri: patchUri });
    assert.match(after.yaml, /replicas: 5/, 'the preview follows unsaved typing');
  });

  it('goes to the definition of what a kustomization path, a Flux path or a configMapRef names', async () => {
    const definition = async (
      relative: string,
      find: string,
    ): Promise<Array<{ file: string; line: number }>> => {
      const file = path.join(repo, relative);
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      const line = lines.findIndex((candidate) => candidate.includes(find));
      const character = (lines[line] ?? '').indexOf(find) + 1;
      const uri = pathToFileURL(file).href;
      await client.open(uri, text);
      const result = (await client.connection.sendRequest(DefinitionRequest.type, {
        textDocument: { uri },
        position: { line, character },
      })) as Location[] | null;
      return (result ?? []).map((location) => ({
        file: path.relative(repo, fileURLToPath(location.uri)),
        line: location.range.start.line,
      }));
    };
    assert.deepEqual(
      await definition('apps/podinfo/overlays/staging/kustomization.yaml', '../../base'),
      [{ file: path.join('apps', 'podinfo', 'base', 'kustomization.yaml'), line: 0 }],
    );
    assert.deepEqual(
      await definition('clusters/local/podinfo-staging.yaml', './apps/podinfo/overlays/staging'),
      [
        {
          file: path.join('apps', 'podinfo', 'overlays', 'staging', 'kustomization.yaml'),
          line: 0,
        },
      ],
    );
    assert.deepEqual(
      await definition('apps/podinfo/overlays/staging/replicas-patch.yaml', 'podinfo-config'),
      [{ file: path.join('apps', 'podinfo', 'base', 'configmap.yaml'), line: 3 }],
    );
  });

  it('answers a preview asked for while the workspace is still being scanned', async () => {
    const early = await TestLspClient.start({ trusted: true }, repo, {
      validation: { enable: true },
      kustomizePath: toolPath('kustomize'),
    });
    try {
      const patch = path.join(
        repo,
        'apps',
        'podinfo',
        'overlays',
        'staging',
        'replicas-patch.yaml',
      );
      const result = await early.connection.sendRequest(renderedManifests, {
        uri: pathToFileURL(patch).href,
      });
      assert.equal(result.error, undefined);
      assert.equal(result.title, 'apps/podinfo/overlays/staging (kustomize)');
    } finally {
      await early.stop();
    }
  });
});
