// A control plane that outlives the command that started it: `npm run cluster -- up|status|down`.
// A detached holder process runs startControlPlane() and records itself in <dir>/state.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { startControlPlane } from './controlPlane';
import { httpsGet } from './kubeconfig';
import { isAlive, killTree, lastLines } from './processes';
import { toolCacheDir } from './toolchain';

export interface ClusterState {
  holderPid: number;
  pids: number[];
  kubeconfigPath: string;
  serverUrl: string;
  dataDir: string;
  kubernetesVersion: string;
  startedAt: string;
  readyMs: number;
}

/** `$GITOPS_WORKBENCH_CLUSTER_DIR`, else `<cache>/cluster`. */
export function clusterDir(): string {
  return process.env.GITOPS_WORKBENCH_CLUSTER_DIR ?? path.join(toolCacheDir(), 'cluster');
}

const stateFile = (): string => path.join(clusterDir(), 'state.json');
const holderLog = (): string => path.join(clusterDir(), 'holder.log');

export function readState(): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(), 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

/** Whether the cluster of `state` answers ok on /readyz (with its admin credentials). */
export async function isReady(state: ClusterState, timeoutMs = 5_000): Promise<boolean> {
  try {
    const config = parse(readFileSync(state.kubeconfigPath, 'utf8')) as {
      clusters?: Array<{ cluster?: { 'certificate-authority-data'?: string } }>;
      users?: Array<{ user?: { token?: string } }>;
    };
    const ca = config.clusters?.[0]?.cluster?.['certificate-authority-data'] ?? '';
    const token = config.users?.[0]?.user?.token ?? '';
    const caPem = Buffer.from(ca, 'base64').toString('utf8');
    const answer = await httpsGet(`${state.serverUrl}/readyz`, { caPem, token, timeoutMs });
    return answer.status === 200;
  } catch {
    return false;
  }
}

/** Kills whatever a state file names and removes the cluster folder. */
function removeLeftovers(state: ClusterState | undefined): void {
  for (const pid of state ? [state.holderPid, ...state.pids] : []) {
    if (isAlive(pid)) killTree(pid, 'SIGKILL');
  }
  rmSync(clusterDir(), { recursive: true, force: true });
}

/**
 * Starts the holder (`script hold`) detached, waits until it has written the state file, and
 * returns the state. Reuses a cluster that is already up.
 */
export async function clusterUp(script: string, timeoutMs = 180_000): Promise<ClusterState> {
  const existing = readState();
  if (existing && isAlive(existing.holderPid) && (await isReady(existing))) return existing;
  removeLeftovers(existing);
  mkdirSync(clusterDir(), { recursive: true });
  const log = openSync(holderLog(), 'a');
  const holder = spawn(process.execPath, [...process.execArgv, script, 'hold'], {
    detached: true,
    stdio: ['ignore', log, log],
    env: process.env,
    windowsHide: true,
  });
  closeSync(log);
  holder.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = readState();
    if (state && state.holderPid === holder.pid) return state;
    if (holder.exitCode !== null || (holder.pid !== undefined && !isAlive(holder.pid))) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (holder.pid !== undefined) killTree(holder.pid, 'SIGTERM');
  const tail = existsSync(holderLog()) ? lastLines(readFileSync(holderLog(), 'utf8'), 6) : '';
  throw new Error(`The cluster did not come up: ${tail || 'no output'} (log: ${holderLog()})`);
}

/** Runs in the detached holder: starts the control plane and keeps it until SIGTERM/SIGINT. */
export async function holdCluster(): Promise<void> {
  const dataDir = path.join(clusterDir(), 'data');
  const plane = await startControlPlane({ dataDir });
  const state: ClusterState = {
    holderPid: process.pid,
    pids: plane.pids,
    kubeconfigPath: plane.kubeconfigPath,
    serverUrl: plane.serverUrl,
    dataDir,
    kubernetesVersion: plane.kubernetesVersion,
    startedAt: new Date().toISOString(),
    readyMs: plane.timings.readyMs,
  };
  await writeFile(`${stateFile()}.tmp`, JSON.stringify(state, null, 2));
  await rename(`${stateFile()}.tmp`, stateFile());
  console.log(`cluster up in ${plane.timings.readyMs} ms: ${plane.serverUrl}`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await plane.stop();
  rmSync(stateFile(), { force: true });
}

/** Stops the holder (SIGTERM, then SIGKILL after `graceMs`) and removes everything. */
export async function clusterDown(graceMs = 30_000): Promise<boolean> {
  const state = readState();
  if (!state) {
    rmSync(clusterDir(), { recursive: true, force: true });
    return false;
  }
  if (isAlive(state.holderPid)) {
    process.kill(state.holderPid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(state.holderPid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  removeLeftovers(state);
  return true;
}
