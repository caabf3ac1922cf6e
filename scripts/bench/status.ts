/**
 * `npm run bench:status`: sync status of an app of 1,000 resources on a local control plane,
 * against what a user runs without us, in the same run. Build the product first
 * (`npx tsx scripts/build.ts`): the cold status is the bundled language server's.
 *   1. Time to a complete status, cold: `gitops-workbench status` (`dist/cli.js`), process start to
 *      exit (discovery, lists, render, and a dry-run of each object whose apply a local
 *      prediction cannot show to change nothing), against `kustomize build <app> | kubectl diff
 *      --server-side -f -` (target: at most 0.35 of its time) and `kubectl diff --server-side`
 *      handed the rendered YAML; a new language server process (`dist/server.js`) asked as the
 *      Clusters view asks, where its time went (its log), how many dry-runs were skipped, and a
 *      session that dry-runs every object.
 *   2. Time for one live change (a Deployment scaled by a direct API request) to be reflected: the
 *      session's change event fired and the Deployment shown as it now is (target: <= 200 ms).
 *   3. Resident memory of the language server process after its cold status, and its peak, read
 *      from /proc (target: at most 200 MB after).
 * The sessions of the reference, restart and live-change figures run in this process.
 * The control plane runs etcd and kube-apiserver only: no controller changes an object. */
import { spawnSync } from 'node:child_process';
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
import { kubectlDiff, pipelineDiff } from './statusPeers';
import { renderSplit } from './statusRender';
import { assertProductBuilt, cliColdStatus, serverColdStatus } from './statusProduct';
import type { ServerPhases } from './statusProduct';
import * as bench from './statusApp';
import type { BenchRepo } from './statusApp';

const RUNS = 3;
const CHANGES = 10;
/** Bound for a complete status and for one change to be reflected, each. */
const LIMIT_MS = 120_000;
const COLD_RATIO_TARGET = 0.35;
const RESTART_RATIO_TARGET = 0.1;
const CHANGE_TARGET_MS = 200;
const RSS_TARGET_MB = 200;

/** A benchmark that found drift where there is none reports a bug, not a figure. */
class FalseDrift extends Error {}

/** A session with its own render cache: cold means nothing rendered before, in this process too. */
function openSession(
  plane: ControlPlane,
  repo: BenchRepo,
  predictNoOpApply = true,
  store?: RenderStore,
): Promise<StatusSession> {
  const cache = new RenderCache();
  // A restarted language server: a new memory cache over the disk store the last one kept.
  cache.attach(store);
  return StatusSession.open({
    predictNoOpApply,
    kubeconfigFiles: [plane.kubeconfigPath],
    context: plane.contexts.admin,
    folders: [repo.root],
    render: (unit, workspaceRoot, signal) =>
      renderUnit(unit, {
        workspaceRoot,
        overlays: new Map(),
        binaries: { kustomize: toolPath('kustomize'), helm: toolPath('helm') },
        allowNetwork: false,
        // A loaded machine must slow the figures down, not fail the run.
        timeoutMs: LIMIT_MS,
        cache,
        ...(signal ? { signal } : {}),
      }),
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

const load = (): string =>
  `load ${os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`;

const median = (values: readonly number[]): number => percentile(values, 50);

function phaseRows(phases: readonly ServerPhases[]): string {
  if (phases.length === 0) return '   (the server logged no phase times)\n';
  return (
    row(
      '  of which render (kustomize + provenance)',
      phases.map((p) => p.renderMs),
    ) +
    row(
      '  of which list + watch of the kinds',
      phases.map((p) => p.listMs),
    ) +
    row(
      '  of which compare (predictions + dry-runs)',
      phases.map((p) => p.compareMs),
    )
  );
}

async function main(): Promise<void> {
  assertProductBuilt();
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
      `bench:status on ${os.cpus().length} cores, Node ${process.version}, Kubernetes ${plane.kubernetesVersion}, ${load()} at the start\n` +
        `   control plane: etcd + kube-apiserver only (no controllers: no object changes during the run),\n` +
        `   warmed by one untimed kubectl diff and one untimed pipeline\n` +
        `   app: Flux Kustomization ${bench.BENCH_APP.name}, ${bench.BENCH_RESOURCES} resources (${mix}) + its Namespace\n\n`,
    );

    // The API server's first dry-runs of each kind are slow for anyone; the binaries' first
    // start reads them from disk: one untimed run of each peer.
    await kubectlDiff(plane, applied);
    await pipelineDiff(plane, repo.appDir);
    const ours: number[] = [];
    const server: number[] = [];
    const cliPeak: number[] = [];
    const phases: ServerPhases[] = [];
    const rssAfter: number[] = [];
    const rssPeak: number[] = [];
    const rssStart: number[] = [];
    const everyDryRun: number[] = [];
    const pipeline: number[] = [];
    const peer: number[] = [];
    const differs: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const loadBefore = load();
      const cli = await cliColdStatus(plane, repo);
      ours.push(cli.ms);
      cliPeak.push(cli.peakMB);
      const cold = await serverColdStatus(plane, repo);
      assertNoDrift(cold.status);
      server.push(cold.ms);
      if (cold.phases) phases.push(cold.phases);
      rssAfter.push(cold.rssMB);
      rssPeak.push(cold.peakMB);
      rssStart.push(cold.rssStartMB);
      const reference = await coldStatus(plane, repo, false);
      everyDryRun.push(reference.ms);
      reference.session.dispose();
      const piped = await pipelineDiff(plane, repo.appDir);
      pipeline.push(piped.ms);
      if (piped.differs)
        differs.push(`kustomize build | kubectl diff:\n${piped.output.slice(0, 2000)}`);
      const diff = await kubectlDiff(plane, applied);
      peer.push(diff.ms);
      if (diff.differs) differs.push(`kubectl diff:\n${diff.output.slice(0, 2000)}`);
      process.stdout.write(
        `   run ${run + 1}: cli ${ms(cli.ms)} (${cli.peakMB.toFixed(0)} MB peak), server ${ms(cold.ms)} (${cold.rssMB.toFixed(0)} MB RSS after, ${cold.peakMB.toFixed(0)} MB peak), ` +
          `pipeline ${ms(piped.ms)}, kubectl diff ${ms(diff.ms)}, every dry-run ${ms(reference.ms)}; ` +
          `${loadBefore} before, ${load()} after\n`,
      );
    }
    // The render apart: the engine's against kustomize alone.
    const renders: number[] = [];
    const kustomizeAlone: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const split = await renderSplit(repo);
      renders.push(split.renderMs);
      kustomizeAlone.push(split.kustomizeMs);
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
    const restartRatio = median(restarts) / median(peer);

    const ratio = median(ours) / median(pipeline);
    const changeP50 = median(changes);
    const counts = phases[phases.length - 1];
    const rss = median(rssAfter);
    process.stdout.write(
      `\n1. complete status, cold, ${RUNS} runs each${' '.repeat(21)}median         min         max\n` +
        row('gitops-workbench status (dist/cli.js)', ours) +
        row('language server, new process (dist/server.js)', server) +
        phaseRows(phases) +
        row('a session dry-running every object', everyDryRun) +
        row('render alone, in this process', renders) +
        row('  kustomize build alone, right after', kustomizeAlone) +
        `   our side of the render (mirror, origins, reading, provenance): ${ms(median(renders) - median(kustomizeAlone))} (medians)\n` +
        row(`kustomize build | kubectl diff --server-side`, pipeline) +
        row(`kubectl ${toolVersion('kubectl')} diff --server-side (YAML given)`, peer) +
        `   dry-runs: ${counts ? `${counts.sent} sent, ${counts.predicted} skipped (the apply surely changes nothing)` : 'not logged'}\n` +
        `   ratio ours/pipeline (medians) ${ratio.toFixed(3)}  target <= ${COLD_RATIO_TARGET.toFixed(3)}: ${verdict(ratio <= COLD_RATIO_TARGET)}\n` +
        `   ratio ours/kubectl diff alone (medians) ${(median(ours) / median(peer)).toFixed(3)}\n` +
        `   ratio of the session dry-running every object/pipeline ${(median(everyDryRun) / median(pipeline)).toFixed(3)}\n` +
        `   drift found: none by gitops-workbench, ${differs.length > 0 ? 'SOME by the peers (see below)' : 'none by the peers'}\n` +
        row('restart, unchanged inputs (disk store)', restarts) +
        `   ratio restart/kubectl diff alone (medians) ${restartRatio.toFixed(3)}  target <= ${RESTART_RATIO_TARGET.toFixed(3)}: ${verdict(restartRatio <= RESTART_RATIO_TARGET)}\n\n` +
        `2. one live change reflected (${CHANGES} direct PATCHes of deployments/${bench.deploymentName(7)}/scale, replicas 1 <-> 2; ` +
        `from the request to the change event and the Deployment shown OutOfSync / Synced)\n` +
        `   median ${ms(changeP50)}  p90 ${ms(percentile(changes, 90))}  max ${ms(Math.max(...changes))}  ` +
        `target median <= ${CHANGE_TARGET_MS} ms: ${verdict(changeP50 <= CHANGE_TARGET_MS)}\n\n` +
        `3. memory of the language server process (dist/server.js, /proc VmRSS and VmHWM), medians of ${RUNS}:\n` +
        `   ${rss.toFixed(0)} MB RSS after a cold status, ${median(rssPeak).toFixed(0)} MB peak, ` +
        `${median(rssStart).toFixed(0)} MB after initialize  target after <= ${RSS_TARGET_MB} MB: ${verdict(rss <= RSS_TARGET_MB)}\n` +
        `   gitops-workbench status (dist/cli.js): ${median(cliPeak).toFixed(0)} MB peak\n` +
        `   ${load()} at the end\n` +
        differs.map((text) => `\n   note: ${text}\n`).join(''),
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
