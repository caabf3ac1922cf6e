/**
 * The product measured as it runs, from the bundle (`dist/`, built by `npx tsx scripts/build.ts`),
 * each cold status in a process of its own whose resident memory is read from outside
 * (`/proc/<pid>/status`), not the bench's own heap:
 *   - `gitops-workbench status` (`dist/cli.js`), process start to exit, as `kubectl diff` is timed;
 *   - the language server (`dist/server.js`), asked for the apps of the context and the resources
 *     of the bench app as the Clusters view asks, right after it starts (so while it also renders
 *     every unit of the workspace for the editor's findings, as it does on every start).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
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

const CLI_JS = path.join(path.dirname(SERVER_JS), 'cli.js');
/** Bound for one run of the CLI. */
const LIMIT_MS = 120_000;
/** How often the CLI's memory is read while it runs. */
const SAMPLE_MS = 20;

export function assertProductBuilt(): void {
  for (const file of [SERVER_JS, CLI_JS]) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: build it first with "npx tsx scripts/build.ts".`);
    }
  }
}

export interface CliColdStatus {
  /** From the process start to its exit. */
  readonly ms: number;
  /** The last peak resident memory read before it exited (MB). */
  readonly peakMB: number;
}

/** `gitops-workbench status` on the bench repository, timed whole; exit 0: nothing drifted. */
export async function cliColdStatus(plane: ControlPlane, repo: BenchRepo): Promise<CliColdStatus> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      CLI_JS,
      'status',
      `--context=${plane.contexts.admin}`,
      `--kubeconfig=${plane.kubeconfigPath}`,
      `--kustomize=${toolPath('kustomize')}`,
      `--helm=${toolPath('helm')}`,
      `--root=${repo.root}`,
    ],
    { cwd: repo.root, stdio: ['ignore', 'pipe', 'pipe'], shell: false },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let peak = NaN;
  const sampler = setInterval(() => {
    if (child.pid === undefined) return;
    peakRssMb(child.pid).then(
      (value) => (peak = Number.isNaN(value) ? peak : value),
      () => undefined, // exited meanwhile
    );
  }, SAMPLE_MS);
  const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => {
    clearInterval(sampler);
    clearTimeout(timer);
  });
  const elapsed = performance.now() - started;
  if (code !== 0) {
    throw new Error(
      `gitops-workbench status exited with ${String(code)}:\n${output.slice(0, 2000)}`,
    );
  }
  return { ms: elapsed, peakMB: peak };
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
