/**
 * Issue 19 in the built language server: in a monorepo of 300 kustomize units, the file the
 * user opens gets its rendered finding while the rest of the workspace is still rendering, the
 * rendering shows as work done progress, and bases only included by overlays are not rendered
 * on their own in the background.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import {
  MISSING_CONFIG_MAP,
  WORKER,
  writeMonorepo,
  writeWorkerMistake,
} from '../../scripts/bench/monorepo';
import { TestLspClient } from './support/lspClient';

const APPS = 60;

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  limitMs: number,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${what} did not happen within ${limitMs / 1000} s`);
}

describe('a monorepo in the language server: the open file first', () => {
  let repo = '';
  let client: TestLspClient;
  let worker = '';
  before(async () => {
    await ensureTools(['kustomize']);
    repo = mkdtempSync(path.join(os.tmpdir(), 'gw-monorepo-'));
    await writeMonorepo(repo, {
      apps: APPS,
      environments: ['staging', 'production'],
      sharedBases: 3,
      charts: 0,
      tenants: 0,
      repoUrl: 'https://git.example.invalid/platform/monorepo.git',
    });
    // The last app: the background reaches its overlays last.
    worker = await writeWorkerMistake(repo, APPS - 1);
    client = await TestLspClient.start({ trusted: true }, repo, {
      validation: { enable: true },
      kustomizePath: toolPath('kustomize'),
    });
  });
  after(async () => {
    await client?.stop();
    rmSync(repo, { recursive: true, force: true });
  });

  it("reports the opened file's rendered finding before the workspace is done, with progress shown", async () => {
    const uri = pathToFileURL(worker).href;
    await client.open(uri, WORKER);
    const finding = await until<Diagnostic>(
      'the rendered finding of the opened file',
      async () =>
        ((await client.diagnostics(uri)) as FullDocumentDiagnosticReport).items.find(
          (item) => item.message.includes(MISSING_CONFIG_MAP) && item.message.includes('rendered'),
        ),
      120_000,
    );
    assert.match(finding.message, /^ConfigMap "worker-settings" \(envFrom of container "worker"\)/);
    assert.equal(
      finding.range.start.line,
      18,
      'on the configMapRef name line of worker.yaml (line 19)',
    );
    const foundAt = performance.now();

    // The rest of the workspace renders, with reports of how far it is, and the progress ends.
    await until(
      'the end of the workspace progress',
      () => Promise.resolve(client.progress.some((value) => value.kind === 'end') || undefined),
      600_000,
    );
    const kinds = client.progress.map((value) => value.kind);
    assert.equal(kinds[0], 'begin', `progress begun: ${JSON.stringify(client.progress)}`);
    assert.equal(client.progress[0]?.title, 'GitOps Workbench: rendering the workspace');
    // The finding came before the workspace was half rendered: the opened file's unit went first
    // (the opened file is in the last app, which the background reaches last).
    const half = client.progress.find((value) => {
      const [done = NaN, total = NaN] = (value.message ?? '').split(/ of | unit/).map(Number);
      return done > total / 2;
    });
    assert.ok(half, 'progress went past half the workspace');
    assert.ok(
      foundAt < half.at,
      `the finding came ${((foundAt - half.at) / 1000).toFixed(1)} s after "${half.message}"`,
    );
    const reports = client.progress.filter((value) => value.kind === 'report');
    assert.ok(reports.length > 0, 'reports of units done');
    assert.match(reports.at(-1)?.message ?? '', /^\d+ of \d+ unit\(s\)$/);
    // Each app's two overlays render in the background; the app bases and the shared bases they
    // include, only ever included, do not (the opened one did).
    assert.ok(
      client.messages.some((line) =>
        line.includes(
          `Rendering ${APPS * 2} unit(s) (kustomizations, charts, Flux and Argo CD apps); ${APPS + 3} base(s) only included by overlays and 0 folder(s) a Flux or Argo CD app renders render when opened.`,
        ),
      ),
      client.messages.filter((line) => line.startsWith('Rendering')).join('\n'),
    );
  });
});
