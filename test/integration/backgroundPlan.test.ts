/**
 * What the editor's background leaves out follows the workspace: a base only ever included by
 * overlays is not rendered on its own. When an overlay goes (its folder deleted, a branch
 * checked out), its findings go with it, its own files' too; once no overlay includes the base
 * (the last one deleted, or edited to stop including it), the base renders in the background,
 * so its findings reach the Problems panel without the user opening it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { workspaceFinding, workspaceFindings } from './support/workspaceFinding';

const MISSING = new RegExp(
  `ConfigMap "${MISSING_CONFIG_MAP}" \\(envFrom of container "worker"\\) is not defined`,
);

/** A Service of the staging overlay only, with a port no Service can have. */
const EXTRA = `apiVersion: v1
kind: Service
metadata:
  name: extra
spec:
  selector:
    app.kubernetes.io/name: worker
  ports:
    - port: 70000
`;

describe('a base only included by overlays', () => {
  let repo = '';
  let client: TestLspClient | undefined;

  before(async () => {
    await ensureTools(['kustomize']);
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-background-plan-'));
    mkdirSync(path.join(repo, 'base'));
    writeFileSync(path.join(repo, 'base', 'kustomization.yaml'), 'resources:\n  - worker.yaml\n');
    writeFileSync(path.join(repo, 'base', 'worker.yaml'), WORKER);
    for (const environment of ['staging', 'production']) {
      mkdirSync(path.join(repo, 'overlays', environment), { recursive: true });
    }
    writeFileSync(
      path.join(repo, 'overlays', 'staging', 'kustomization.yaml'),
      'namespace: staging\nresources:\n  - ../../base\n  - extra.yaml\n',
    );
    writeFileSync(path.join(repo, 'overlays', 'staging', 'extra.yaml'), EXTRA);
    writeFileSync(
      path.join(repo, 'overlays', 'production', 'kustomization.yaml'),
      'namespace: production\nresources:\n  - ../../base\n',
    );
  });

  after(async () => {
    await client?.stop();
    rmSync(repo, { recursive: true, force: true });
  });

  /** Tells the server of a change on disk, as the editor's file watcher does. */
  async function changed(file: string, type: FileChangeType): Promise<void> {
    await client?.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(file).href, type }],
    });
  }

  it('forgets a deleted overlay, and renders the base once no overlay includes it', async () => {
    client = await TestLspClient.start({ trusted: true }, repo, {
      validation: { enable: true },
      kustomizePath: toolPath('kustomize'),
    });
    const worker = path.join(repo, 'base', 'worker.yaml');
    const extra = path.join(repo, 'overlays', 'staging', 'extra.yaml');
    await workspaceFinding(client, extra, /70000/);
    const through = await workspaceFinding(client, worker, /of kustomization overlays\//);
    assert.ok(
      !through.some((message) => message.includes('of kustomization base')),
      `the base is not rendered on its own while overlays include it: ${through.join('\n')}`,
    );

    // The staging overlay's folder is deleted: its findings go, its own file's with them.
    rmSync(path.join(repo, 'overlays', 'staging'), { recursive: true, force: true });
    await changed(path.join(repo, 'overlays', 'staging'), FileChangeType.Deleted);
    await workspaceFindings(client, extra, (messages) => messages.length === 0, 'no finding');
    const left = await workspaceFinding(client, worker, /of kustomization overlays\/production/);
    assert.ok(
      !left.some((message) => message.includes('overlays/staging')),
      `the deleted overlay's findings are gone: ${left.join('\n')}`,
    );
    assert.ok(
      !left.some((message) => message.includes('of kustomization base')),
      `the base is still only included: ${left.join('\n')}`,
    );

    // The last overlay stops including the base (edited and saved): the base renders alone.
    const production = path.join(repo, 'overlays', 'production', 'kustomization.yaml');
    writeFileSync(production, 'namespace: production\nresources: []\n');
    await changed(production, FileChangeType.Changed);
    const own = await workspaceFinding(client, worker, /of kustomization base\b/);
    assert.ok(
      own.some((message) => MISSING.test(message)),
      own.join('\n'),
    );
    assert.ok(
      !own.some((message) => message.includes('overlays/')),
      `the overlays' findings are gone: ${own.join('\n')}`,
    );
  });
});
