/**
 * The product measured as it runs: the bundled language server (`dist/server.js`, built by
 * `npx tsx scripts/build.ts`) started in a process of its own for each cold status, asked for
 * the apps of the context and the resources of the bench app as the Clusters view asks, and its
 * resident memory read from outside (`/proc/<pid>/status`), not the bench's own heap.
 */
import { existsSync } from 'node:fs';
import type { ControlPlane } from '../harness/controlPlane';
import { toolPath } from '../harness/toolchain';
import { appResources, contextApps } from '../../server/src/protocol';
import type { AppStatus } from '../../server/src/engine';
import { SERVER_JS, TestLspClient } from '../../test/integration/support/lspClient';
import { peakRssMb, rssMb } from './stats';
import type { BenchRepo } from './statusApp';
import * as bench from './statusApp';

/** Where the server said its first status went (its log line, see StatusSession). */
export interface ServerPhases {
  readonly renderMs: number;
  readonly listMs: number;
  readonly compareMs: number;
  readonly sent: number;
  readonly predicted: number;
}

export interface ServerColdStatus {
  /** From the process start to the app's complete status. */
  readonly ms: number;
  readonly status: AppStatus;
  /** Resident memory after initialize, after the cold status, and its peak (MB). */
  readonly rssStartMB: number;
  readonly rssMB: number;
  readonly peakMB: number;
  readonly phases?: ServerPhases;
}

const PHASES =
  /render (\d+) ms, lists (\d+) ms, compare (\d+) ms; (\d+) dry-runs? sent, (\d+) not needed/;

function phasesOf(messages: readonly string[]): ServerPhases | undefined {
  for (const message of messages) {
    const found = PHASES.exec(message);
    if (found) {
      const [renderMs, listMs, compareMs, sent, predicted] = found.slice(1).map(Number);
      return {
        renderMs: renderMs ?? NaN,
        listMs: listMs ?? NaN,
        compareMs: compareMs ?? NaN,
        sent: sent ?? NaN,
        predicted: predicted ?? NaN,
      };
    }
  }
  return undefined;
}

export function assertServerBuilt(): void {
  if (!existsSync(SERVER_JS)) {
    throw new Error(`${SERVER_JS} is missing: build it first with "npx tsx scripts/build.ts".`);
  }
}

/** A new language server process to the complete status of the bench app; the process is stopped. */
export async function serverColdStatus(
  plane: ControlPlane,
  repo: BenchRepo,
): Promise<ServerColdStatus> {
  const started = performance.now();
  const client = await TestLspClient.start({ trusted: true }, repo.root, {
    validation: { enable: true },
    kustomizePath: toolPath('kustomize'),
    helmPath: toolPath('helm'),
  });
  try {
    const pid = client.pid;
    if (pid === undefined) throw new Error('the language server did not start');
    const rssStartMB = await rssMb(pid);
    const listed = await client.connection.sendRequest(contextApps, {
      context: plane.contexts.admin,
      kubeconfigPath: plane.kubeconfigPath,
    });
    if (listed.error) throw new Error(`the language server failed: ${listed.error.message}`);
    const app = listed.apps.find(
      (candidate) =>
        candidate.kind === 'FluxKustomization' && candidate.name === bench.BENCH_APP.name,
    );
    if (!app) {
      throw new Error(`the bench app was not listed: ${listed.apps.map((a) => a.id).join(', ')}`);
    }
    const answer = await client.connection.sendRequest(appResources, { appId: app.id });
    const elapsed = performance.now() - started;
    if (!answer.app) throw new Error(`the bench app has no status: ${answer.error?.message ?? ''}`);
    const rss = await rssMb(pid);
    const peak = await peakRssMb(pid);
    const phases = phasesOf(client.messages);
    return {
      ms: elapsed,
      status: answer.app,
      rssStartMB: rssStartMB,
      rssMB: rss,
      peakMB: peak,
      ...(phases ? { phases } : {}),
    };
  } finally {
    await client.stop();
  }
}
