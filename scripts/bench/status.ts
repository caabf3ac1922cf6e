/**
 * `npm run bench:status`: sync status of an app of 1,000 resources on a local control plane,
 * against the built `kubectl diff --server-side` on the same objects in the same run.
 *   1. Time to a complete status, cold (a new session: discovery, lists, render, and a dry-run
 *      of each object whose apply a local prediction cannot show to change nothing), against
 *      `kubectl diff --server-side` (target: at most 0.35 of its time), with where the time goes,
 *      how many dry-runs were skipped, and the same session made to dry-run every object.
 *   2. Time for one live change (a Deployment scaled by a direct API request) to be reflected: the
 *      session's change event fired and the Deployment shown as it now is (target: <= 200 ms).
 *   3. Resident memory of this process after a cold status.
 * The control plane runs etcd and kube-apiserver only: no controller changes an object. */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startControlPlane } from '../harness/controlPlane';
import type { ControlPlane } from '../harness/controlPlane';
import { ensureTools, toolPath, toolVersion } from '../harness/toolchain';
import { StatusSession } from '../../server/src/engine';
import type { AppStatus } from '../../server/src/engine';
import { RenderCache, RenderStore, renderUnit } from '../../server/src/engine/render';
import { RawKube } from '../../test/integration/support/rawKube';
import { ms, percentile } from './stats';
import * as bench from './statusApp';
import type { BenchRepo } from './statusApp';

const RUNS = 3;
const CHANGES = 10;
/** Bound for a complete status and for one change to be reflected, each. */
const LIMIT_MS = 120_000;
const COLD_RATIO_TARGET = 0.35;
const RESTART_RATIO_TARGET = 0.1;
const CHANGE_TARGET_MS = 200;

/** A benchmark that found drift where there is none reports a bug, not a figure. */
class FalseDrift extends Error {}

/** Milliseconds spent in render (kustomize build of the app) by the last session opened. */
let renderMs = 0;

/** A session with its own render cache: cold means nothing rendered before, in this process too. */
function openSession(
  plane: ControlPlane,
  repo: BenchRepo,
  predictNoOpApply = true,
  store?: RenderStore,
): Promise<StatusSession> {
  renderMs = 0;
  const cache = new RenderCache();
  // A restarted language server: a new memory cache over the disk store the last one kept.
  cache.attach(store);
  return StatusSession.open({
    predictNoOpApply,
    kubeconfigFiles: [plane.kubeconfigPath],
    context: plane.contexts.admin,
    folders: [repo.root],
    render: async (unit, workspaceRoot, signal) => {
      const started = performance.now();
      const result = await renderUnit(unit, {
        workspaceRoot,
        overlays: new Map(),
        binaries: { kustomize: toolPath('kustomize'), helm: toolPath('helm') },
        allowNetwork: false,
        // A loaded machine must slow the figures down, not fail the run.
        timeoutMs: LIMIT_MS,
        cache,
        ...(signal ? { signal } : {}),
      });
      renderMs += performance.now() - started;
      return result;
    },
  });
}

/**
 * Resolves at the session's next change event for `appId`, and then when `done` holds; settles
 * undefined at once when `signal` aborts (its wait and the session are then let go).
 */
function reflected(
  session: StatusSession,
  appId: string,
  done: (status: AppStatus | undefined) => boolean,
  what: string,
  signal?: AbortSignal,
): Promise<AppStatus | undefined> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      subscription.dispose();
      signal?.removeEventListener('abort', stop);
    };
    const stop = (): void => {
      settle();
      resolve(undefined);
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`${what} not reflected within ${LIMIT_MS / 1000} s`));
    }, LIMIT_MS);
    const subscription = session.onChanged((appIds) => {
      if (appIds.length > 0 && !appIds.includes(appId)) return;
      session.app(appId).then(
        (status) => {
          if (!done(status)) return;
          settle();
          resolve(status);
        },
        (error: unknown) => {
          settle();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    signal?.addEventListener('abort', stop, { once: true });
  });
}

const EXPECTED = bench.BENCH_RESOURCES + 1; // the Namespace

function complete(status: AppStatus | undefined): boolean {
  return (
    status !== undefined &&
    status.resources.length >= EXPECTED &&
    status.resources.every((r) => r.sync !== 'Unknown')
  );
}

/** Fails when the status is in error or shows any resource not Synced: nothing was changed. */
function assertNoDrift(status: AppStatus): void {
  if (status.error) throw new Error(`the bench app's status failed: ${status.error}`);
  const drift = status.resources.filter((r) => r.sync !== 'Synced');
  if (drift.length > 0 || status.resources.length !== EXPECTED) {
    const lines = drift
      .slice(0, 10)
      .map(
        (r) =>
          `  ${r.kind} ${r.namespace ?? ''}/${r.name}: ${r.sync} ${r.changedPaths.join(', ')} ${r.reason ?? ''}`,
      );
    throw new FalseDrift(
      `false drift: ${drift.length} of ${status.resources.length} resources not Synced ` +
        `(expected ${EXPECTED} Synced)\n${lines.join('\n')}`,
    );
  }
}

/** A new session to a complete status of the bench app; the caller disposes the session. */
async function coldStatus(
  plane: ControlPlane,
  repo: BenchRepo,
  predictNoOpApply = true,
  store?: RenderStore,
): Promise<{ ms: number; session: StatusSession; appId: string }> {
  const started = performance.now();
  const session = await openSession(plane, repo, predictNoOpApply, store);
  try {
    const apps = await session.apps();
    const app = apps.find((a) => a.kind === 'FluxKustomization' && a.name === bench.BENCH_APP.name);
    if (!app) {
      throw new Error(`the bench app was not found; apps: ${apps.map((a) => a.id).join(', ')}`);
    }
    // A wait left pending would hold the session (and all it read) until its time limit.
    const unneeded = new AbortController();
    const later = reflected(session, app.id, complete, 'the complete status', unneeded.signal);
    let status = await session.app(app.id);
    if (!complete(status)) {
      const unknown = status?.resources.find((r) => r.sync === 'Unknown');
      process.stdout.write(
        `   note: status not complete at first (${status?.resources.length ?? 0} resources${unknown ? `; ${unknown.kind}/${unknown.name} Unknown: ${unknown.reason ?? ''}` : ''}${status?.error ? `; ${status.error}` : ''}); waiting for changes\n`,
      );
      status = await later;
    } else {
      unneeded.abort();
      await later;
    }
    const elapsed = performance.now() - started;
    if (!status) throw new Error('the bench app disappeared');
    assertNoDrift(status);
    return { ms: elapsed, session, appId: app.id };
  } catch (error) {
    session.dispose();
    throw error;
  }
}

/** The whole `kubectl diff --server-side` command: process start, discovery, 1,001 dry-runs. */
async function kubectlDiff(
  plane: ControlPlane,
  file: string,
): Promise<{ ms: number; differs: boolean }> {
  const env = { ...process.env };
  delete env.KUBECTL_EXTERNAL_DIFF;
  const args = [
    `--kubeconfig=${plane.kubeconfigPath}`,
    `--context=${plane.contexts.admin}`,
    'diff',
    '--server-side',
    '--field-manager=gitops-workbench',
    '--force-conflicts',
    '-f',
    file,
  ];
  const started = performance.now();
  const child = spawn(toolPath('kubectl'), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  const elapsed = performance.now() - started;
  if (code === 1) {
    process.stdout.write(`   note: kubectl diff found a difference:\n${output.slice(0, 2000)}\n`);
  } else if (code !== 0) {
    throw new Error(`kubectl diff exited with ${String(code)}: ${output.slice(0, 2000)}`);
  }
  return { ms: elapsed, differs: code === 1 };
}

/** Scales one Deployment 1 -> 2 -> 1 ... by direct API requests; ms until each is reflected. */
async function liveChanges(plane: ControlPlane, repo: BenchRepo): Promise<number[]> {
  const kube = await RawKube.connect(plane.kubeconfigPath, plane.contexts.admin);
  const { session, appId } = await coldStatus(plane, repo);
  const name = bench.deploymentName(7);
  const scale = `/apis/apps/v1/namespaces/${bench.BENCH_APP.targetNamespace}/deployments/${name}/scale`;
  const times: number[] = [];
  try {
    for (let i = 0; i < CHANGES; i++) {
      const replicas = i % 2 === 0 ? 2 : 1;
      const expected = replicas === 2 ? 'OutOfSync' : 'Synced';
      const done = reflected(
        session,
        appId,
        (status) =>
          status?.resources.find((r) => r.kind === 'Deployment' && r.name === name)?.sync ===
          expected,
        `Deployment ${name} scaled to ${replicas}`,
      );
      const started = performance.now();
      const answer = await kube.request(
        'PATCH',
        `${scale}?fieldManager=kubectl-scale`,
        JSON.stringify({ spec: { replicas } }),
        'application/merge-patch+json',
      );
      if (answer.status !== 200) {
        throw new Error(`scaling ${name} failed: HTTP ${answer.status} ${answer.body}`);
      }
      const status = await done;
      times.push(performance.now() - started);
      const others = status?.resources.filter((r) => r.sync !== 'Synced' && r.name !== name);
      if (others && others.length > 0) {
        throw new FalseDrift(
          `false drift after scaling ${name}: ${others.map((r) => `${r.kind}/${r.name}`).join(', ')}`,
        );
      }
    }
  } finally {
    session.dispose();
  }
  return times;
}

const row = (label: string, values: readonly number[]): string =>
  `   ${label.padEnd(44)} ${ms(percentile(values, 50)).padStart(11)} ${ms(Math.min(...values)).padStart(11)} ${ms(Math.max(...values)).padStart(11)}\n`;

const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');

async function main(): Promise<void> {
  await ensureTools(['kustomize', 'helm', 'kubectl']);
  if (spawnSync('diff', ['--version']).status !== 0) {
    throw new Error('kubectl diff needs `diff` on PATH');
  }
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-bench-status-'));
  let plane: ControlPlane | undefined;
  try {
    const repo = await bench.writeBenchRepo(path.join(work, 'repo'));
    plane = await startControlPlane({ withKwok: false, withControllerManager: false });
    const applied = path.join(work, 'applied.yaml');
    await fs.writeFile(applied, await bench.deployBenchRepo(plane, repo));
    const mix = Object.entries(bench.BENCH_MIX)
      .map(([kind, count]) => `${count} ${kind}s`)
      .join(', ');
    process.stdout.write(
      `bench:status on ${os.cpus().length} cores, Node ${process.version}, Kubernetes ${plane.kubernetesVersion}\n` +
        `   control plane: etcd + kube-apiserver only (no controllers: no object changes during the run),\n` +
        `   warmed by one untimed kubectl diff\n` +
        `   app: Flux Kustomization ${bench.BENCH_APP.name}, ${bench.BENCH_RESOURCES} resources (${mix}) + its Namespace\n\n`,
    );

    // The API server's first dry-runs of each kind are slow for anyone: one untimed kubectl diff.
    await kubectlDiff(plane, applied);
    // What the process holds before any session: the modules (as tsx loads them) and the harness.
    const rssBefore = process.memoryUsage().rss / 1024 / 1024;
    const ours: number[] = [];
    const renders: number[] = [];
    const lists: number[] = [];
    const compares: number[] = [];
    const everyDryRun: number[] = [];
    const peer: number[] = [];
    let counts = { sent: 0, predicted: 0 };
    let rssAfterCold = 0;
    let peerDiffers = false;
    for (let run = 0; run < RUNS; run++) {
      const cold = await coldStatus(plane, repo);
      ours.push(cold.ms);
      renders.push(renderMs);
      lists.push(cold.session.phaseTimes.listMs);
      compares.push(cold.session.phaseTimes.compareMs);
      counts = cold.session.dryRunCounts;
      rssAfterCold = Math.max(rssAfterCold, process.memoryUsage().rss / 1024 / 1024);
      cold.session.dispose();
      const reference = await coldStatus(plane, repo, false);
      everyDryRun.push(reference.ms);
      reference.session.dispose();
      const diff = await kubectlDiff(plane, applied);
      peer.push(diff.ms);
      peerDiffers ||= diff.differs;
    }
    // A restart with unchanged inputs: one session fills the disk store, new ones reuse it.
    // Keyed as the editor's store is (its key in the OS keychain): the app's Secrets are kept.
    const store = new RenderStore(path.join(work, 'storage', 'renders'), {
      key: randomBytes(32),
    });
    (await coldStatus(plane, repo, true, store)).session.dispose();
    const restarts: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const restart = await coldStatus(plane, repo, true, store);
      restarts.push(restart.ms);
      restart.session.dispose();
    }
    const changes = await liveChanges(plane, repo);
    const restartRatio = percentile(restarts, 50) / percentile(peer, 50);

    const ratio = percentile(ours, 50) / percentile(peer, 50);
    const changeP50 = percentile(changes, 50);
    const peakRss = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(
      `1. complete status, cold, ${RUNS} runs each${' '.repeat(21)}median         min         max\n` +
        row('gitops-workbench (new session)', ours) +
        row('  of which render (kustomize + provenance)', renders) +
        row('  of which list + watch of the kinds', lists) +
        row('  of which compare (predictions + dry-runs)', compares) +
        row('same session, a dry-run of every object', everyDryRun) +
        row(`kubectl ${toolVersion('kubectl')} diff --server-side`, peer) +
        `   dry-runs: ${counts.sent} sent, ${counts.predicted} skipped (the apply surely changes nothing)\n` +
        `   ratio ours/kubectl (medians) ${ratio.toFixed(3)}  target <= ${COLD_RATIO_TARGET.toFixed(3)}: ${verdict(ratio <= COLD_RATIO_TARGET)}\n` +
        `   ratio with a dry-run of every object ${(percentile(everyDryRun, 50) / percentile(peer, 50)).toFixed(3)}\n` +
        `   drift found: none by gitops-workbench, ${peerDiffers ? 'SOME by kubectl (see above)' : 'none by kubectl'}\n` +
        row('restart, unchanged inputs (disk store)', restarts) +
        `   ratio restart/kubectl (medians) ${restartRatio.toFixed(3)}  target <= ${RESTART_RATIO_TARGET.toFixed(3)}: ${verdict(restartRatio <= RESTART_RATIO_TARGET)}\n\n` +
        `2. one live change reflected (${CHANGES} direct PATCHes of deployments/${bench.deploymentName(7)}/scale, replicas 1 <-> 2; ` +
        `from the request to the change event and the Deployment shown OutOfSync / Synced)\n` +
        `   median ${ms(changeP50)}  p90 ${ms(percentile(changes, 90))}  max ${ms(Math.max(...changes))}  ` +
        `target median <= ${CHANGE_TARGET_MS} ms: ${verdict(changeP50 <= CHANGE_TARGET_MS)}\n\n` +
        `3. memory of this process: ${rssAfterCold.toFixed(0)} MB RSS after a cold status, ${peakRss.toFixed(0)} MB peak ` +
        `(${rssBefore.toFixed(0)} MB before the first session)\n`,
    );
  } finally {
    await plane?.stop();
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:status: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof FalseDrift ? 2 : 1;
});
