/**
 * What the editor's background leaves out follows the workspace: a base only ever included by
 * overlays is not rendered on its own. When one overlay goes (deleted, a branch checked out),
 * its findings go with it; once no overlay includes the base, the base renders in the
 * background, so its findings reach the Problems panel without the user opening it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
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

const MISSING = new RegExp(
  `ConfigMap "${MISSING_CONFIG_MAP}" \\(envFrom of container "worker"\\) is not defined`,
);

describe('a base only included by an overlay', () => {
  let repo = '';
  let client: TestLspClient | undefined;

  before(async () => {
    await ensureTools(['kustomize']);
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-background-plan-'));
    mkdirSync(path.join(repo, 'base'));
    for (const environment of ['staging', 'production']) {
      mkdirSync(path.join(repo, 'overlays', environment), { recursive: true });
      writeFileSync(
        path.join(repo, 'overlays', environment, 'kustomization.yaml'),
        `namespace: ${environment}\nresources:\n  - ../../base\n`,
      );
    }
    writeFileSync(path.join(repo, 'base', 'kustomization.yaml'), 'resources:\n  - worker.yaml\n');
    writeFileSync(path.join(repo, 'base', 'worker.yaml'), WORKER);
  });

  after(async () => {
    await client?.stop();
    rmSync(repo, { recursive: true, force: true });
  });

  /** Deletes an overlay's kustomization.yaml as a file watcher reports it. */
  async function deleteOverlay(environment: string): Promise<void> {
    const overlay = path.join(repo, 'overlays', environment, 'kustomization.yaml');
    unlinkSync(overlay);
    await client?.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(overlay).href, type: FileChangeType.Deleted }],
    });
  }

  it('renders on its own once no overlay includes it, without being opened', async () => {
    client = await TestLspClient.start({ trusted: true }, repo, {
      validation: { enable: true },
      kustomizePath: toolPath('kustomize'),
    });
    const worker = path.join(repo, 'base', 'worker.yaml');
    // The two overlays render the same finding: it is reported once, through one of them.
    const through = await workspaceFinding(client, worker, /of kustomization overlays\//);
    assert.ok(
      !through.some((message) => message.includes('of kustomization base')),
      `the base is not rendered on its own while overlays include it: ${through.join('\n')}`,
    );
    assert.ok(
      client.messages.some((line) => line.includes('1 base(s) only included by overlays')),
      client.messages.filter((line) => line.startsWith('Rendering')).join('\n'),
    );
    const [first, second] = through.some((message) => message.includes('overlays/staging'))
      ? ['staging', 'production']
      : ['production', 'staging'];

    // The overlay it was reported through goes: the base is still included, by the other one.
    await deleteOverlay(first);
    const left = await workspaceFinding(client, worker, new RegExp(`overlays/${second}\\)`));
    assert.ok(
      !left.some((message) => message.includes(`overlays/${first}`)),
      `the deleted overlay's findings are gone: ${left.join('\n')}`,
    );
    assert.ok(
      !left.some((message) => message.includes('of kustomization base')),
      `the base is still only included: ${left.join('\n')}`,
    );

    await deleteOverlay(second);
    const own = await workspaceFinding(client, worker, /of kustomization base\b/);
    assert.ok(
      own.some((message) => MISSING.test(message)),
      own.join('\n'),
    );
    assert.ok(
      !own.some((message) => message.includes('overlays/')),
      `the deleted overlays' findings are gone: ${own.join('\n')}`,
    );
  });
});
