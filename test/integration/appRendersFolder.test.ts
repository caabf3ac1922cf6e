/**
 * A kustomize folder that a Flux Kustomization of the workspace renders is not rendered on its
 * own in the editor's background: its files' rendered findings come from the app's render. When
 * the app does not render, the folder renders on its own, so its findings are not lost. Nothing
 * is opened: the findings are the workspace's, as the Problems panel pulls them.
 */
import assert from 'node:assert/strict';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
} from 'vscode-languageserver-protocol/node';
import { MISSING_CONFIG_MAP, WORKER } from '../../scripts/bench/monorepo';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { TestLspClient } from './support/lspClient';
import { workspaceFinding } from './support/workspaceFinding';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops');
const STAGING = path.join('apps', 'podinfo', 'overlays', 'staging');
const FLUX_APP = path.join('clusters', 'local', 'podinfo-staging.yaml');

/** The example with the worker in its staging overlay; `brokenApp` breaks the Flux app's patch. */
function writeRepo(brokenApp: boolean): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'gw-app-folder-'));
  cpSync(EXAMPLE, repo, { recursive: true });
  writeFileSync(path.join(repo, STAGING, 'worker.yaml'), WORKER);
  const kustomization = path.join(repo, STAGING, 'kustomization.yaml');
  writeFileSync(
    kustomization,
    readFileSync(kustomization, 'utf8').replace(
      '  - ../../base\n',
      '  - ../../base\n  - worker.yaml\n',
    ),
  );
  if (brokenApp) {
    // A patch that is not YAML: kustomize refuses the app.
    appendFileSync(
      path.join(repo, FLUX_APP),
      "  patches:\n    - patch: 'kind: [unclosed'\n      target:\n        kind: Deployment\n",
    );
  }
  return repo;
}

/** WORKER's envFrom names a ConfigMap nothing defines: only a render shows it. */
const MISSING = new RegExp(
  `ConfigMap "${MISSING_CONFIG_MAP}" \\(envFrom of container "worker"\\) is not defined`,
);

describe('a kustomize folder a Flux Kustomization renders', () => {
  const repos: string[] = [];
  const clients: TestLspClient[] = [];

  before(async () => {
    await ensureTools(['kustomize']);
  });

  after(async () => {
    for (const client of clients) await client.stop();
    for (const repo of repos) rmSync(repo, { recursive: true, force: true });
  });

  async function start(brokenApp: boolean): Promise<{ repo: string; client: TestLspClient }> {
    const repo = writeRepo(brokenApp);
    repos.push(repo);
    const client = await TestLspClient.start({ trusted: true }, repo, {
      validation: { enable: true },
      kustomizePath: toolPath('kustomize'),
    });
    clients.push(client);
    return { repo, client };
  }

  it('is reported through the app in the background, not rendered a second time', async () => {
    const { repo, client } = await start(false);
    const messages = await workspaceFinding(
      client,
      path.join(repo, STAGING, 'worker.yaml'),
      MISSING,
    );
    const found = messages.filter((message) => MISSING.test(message));
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0] ?? '', /of Flux Kustomization podinfo-staging/);
    assert.ok(
      client.messages.some((line) =>
        line.includes('1 folder(s) a Flux or Argo CD app renders render when opened.'),
      ),
      client.messages.filter((line) => line.startsWith('Rendering')).join('\n'),
    );
  });

  it('renders on its own when the app does not render, so its findings stay', async () => {
    const { repo, client } = await start(true);
    await workspaceFinding(client, path.join(repo, FLUX_APP), /does not render/);
    const messages = await workspaceFinding(
      client,
      path.join(repo, STAGING, 'worker.yaml'),
      /of kustomization apps\/podinfo\/overlays\/staging/,
    );
    assert.ok(
      messages.some((message) => MISSING.test(message)),
      messages.join('\n'),
    );
  });

  it('renders on its own once the app that rendered it is deleted, without being opened', async () => {
    const { repo, client } = await start(false);
    const worker = path.join(repo, STAGING, 'worker.yaml');
    await workspaceFinding(client, worker, /of Flux Kustomization podinfo-staging/);
    // The app goes (a branch checked out, a file deleted): the folder is no longer covered.
    const app = path.join(repo, FLUX_APP);
    unlinkSync(app);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(app).href, type: FileChangeType.Deleted }],
    });
    const messages = await workspaceFinding(
      client,
      worker,
      /of kustomization apps\/podinfo\/overlays\/staging/,
    );
    assert.ok(
      messages.some((message) => MISSING.test(message)),
      messages.join('\n'),
    );
    assert.ok(
      !messages.some((message) => message.includes('Flux Kustomization podinfo-staging')),
      `the deleted app's findings are gone: ${messages.join('\n')}`,
    );
  });
});
