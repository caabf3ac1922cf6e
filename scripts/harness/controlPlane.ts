// A real, local Kubernetes control plane for tests: etcd + kube-apiserver, optionally
// kube-controller-manager and kube-scheduler + kwok (a fake node, so Pods run and Deployments
// become Available), with the Flux and Argo CD CRDs installed. Everything binds to 127.0.0.1.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { logTail, restartDaemon, startDaemon, stopDaemons } from './daemons';
import { registerLeftovers } from './leftovers';
import type { Daemon } from './daemons';
import { adminContext, httpGet, httpsGet, readonlyContext, writeKubeconfig } from './kubeconfig';
import { freePorts, lastCertificate, writeCredentials } from './pki';
import { ProcessError } from './processes';
import type { RunResult } from './processes';
import { ensureTools } from './toolchain';
import type { ToolName } from './toolchain';
import { toolsDir } from './toolTable';
import { clusterSetupManifest, fakeNodeName, runKubectl } from './clusterSetup';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  kwokArgs,
  schedulerArgs,
} from './componentArgs';

export { fakeNodeName } from './clusterSetup';

export type ControlPlaneErrorReason = 'startFailed' | 'timeout' | 'aborted' | 'setupFailed';

export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  constructor(
    readonly reason: ControlPlaneErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface ControlPlaneOptions {
  signal?: AbortSignal;
  /** Folder for etcd data, certificates, kubeconfig and logs; a new temporary one by default. */
  dataDir?: string;
  withControllerManager?: boolean;
  /** kube-scheduler + kwok with one fake node (`workbench-node-1`). */
  withKwok?: boolean;
  installCrds?: boolean;
  /** Serve every API group-version the release has, alpha and beta included (`api/all=true`). */
  allApis?: boolean;
  /** Bound for /readyz, the CRDs and the fake node, each. */
  readyTimeoutMs?: number;
}

export interface ControlPlane {
  kubeconfigPath: string;
  serverUrl: string;
  dataDir: string;
  contexts: { admin: string; readonly: string };
  /** e.g. "1.34.4", as the apiserver reports it on /version. */
  kubernetesVersion: string;
  /** Process ids of everything started, in start order. */
  pids: number[];
  /** Milliseconds from the start of the call: to /readyz, and to the end of the set-up. */
  timings: { readyzMs: number; readyMs: number };
  /** Stops kube-apiserver and starts it again with the same arguments; resolves at /readyz. */
  restartApiserver(): Promise<void>;
  stop(): Promise<void>;
}

const tools = (options: { withControllerManager: boolean; withKwok: boolean }): ToolName[] => {
  const names: ToolName[] = ['etcd', 'kube-apiserver', 'kubectl'];
  if (options.withControllerManager) names.push('kube-controller-manager');
  if (options.withKwok) names.push('kube-scheduler', 'kwok');
  return names;
};

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const settings = {
    withControllerManager: options.withControllerManager ?? true,
    withKwok: options.withKwok ?? true,
    installCrds: options.installCrds ?? true,
    readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
  };
  const { signal } = options;
  const started = Date.now();
  const bin = await ensureTools(tools(settings), { signal });

  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-')));
  mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  const daemons: Daemon[] = [];
  const releases = [registerLeftovers([], [dataDir])];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await stopDaemons(daemons);
      rmSync(dataDir, { recursive: true, force: true });
      for (const release of releases) release();
    })());
  const start = (name: string, command: string, args: string[]): Daemon => {
    const daemon = startDaemon(name, command, args, {
      logFile: path.join(dataDir, 'logs', `${name}.log`),
    });
    daemons.push(daemon);
    releases.push(registerLeftovers([daemon.pid], []));
    return daemon;
  };

  try {
    const credentials = writeCredentials(dataDir);
    const [etcdPort = 0, peerPort = 0, apiPort = 0] = await freePorts(3);
    const serverUrl = `https://127.0.0.1:${apiPort}`;
    const wait = { timeoutMs: settings.readyTimeoutMs, daemons, signal };
    const etcd = start('etcd', bin.etcd, etcdArgs(dataDir, etcdPort, peerPort));
    await waitUntil('etcd', etcd, wait, async () => {
      const answer = await httpGet(`http://127.0.0.1:${etcdPort}/health`, 2_000, signal);
      return answer.status === 200 ? true : `${answer.status} ${answer.body}`;
    });
    const apiserver = start('kube-apiserver', bin['kube-apiserver'], [
      ...apiserverArgs(dataDir, credentials, etcdPort, apiPort),
      ...(options.allApis ? ['--runtime-config=api/all=true'] : []),
    ]);
    const certFile = path.join(dataDir, 'pki', 'apiserver.crt');
    let caPem = '';
    const apiserverReady = async (): Promise<true | string> => {
      if (!existsSync(certFile)) return 'no serving certificate yet';
      caPem ||= lastCertificate(readFileSync(certFile, 'utf8'));
      const answer = await httpsGet(`${serverUrl}/readyz`, {
        caPem,
        token: credentials.adminToken,
        timeoutMs: 2_000,
        signal,
      });
      const failing = answer.body.split('\n').filter((line) => line.startsWith('[-]'));
      return answer.status === 200 ? true : `${answer.status} ${failing.join(' ')}`;
    };
    await waitUntil('kube-apiserver', apiserver, wait, apiserverReady);
    let currentApiserver = apiserver;
    const restartApiserver = async (): Promise<void> => {
      const index = daemons.indexOf(currentApiserver);
      currentApiserver = await restartDaemon(currentApiserver);
      daemons[index] = currentApiserver;
      releases.push(registerLeftovers([currentApiserver.pid], []));
      await waitUntil('kube-apiserver', currentApiserver, wait, apiserverReady);
    };
    const readyzMs = Date.now() - started;
    const version = await httpsGet(`${serverUrl}/version`, {
      caPem,
      token: credentials.adminToken,
      timeoutMs: 5_000,
      signal,
    });
    const gitVersion = (JSON.parse(version.body) as { gitVersion?: string }).gitVersion ?? '';

    const caFile = path.join(dataDir, 'ca.crt');
    writeFileSync(caFile, caPem);
    const kubeconfigPath = path.join(dataDir, 'kubeconfig');
    writeKubeconfig(kubeconfigPath, {
      serverUrl,
      caPem,
      adminToken: credentials.adminToken,
      readonlyToken: credentials.readonlyToken,
    });
    const kubectl = (args: string[], input?: string): Promise<RunResult> =>
      runKubectl(bin.kubectl, kubeconfigPath, args, signal, input);
    const apply = ['apply', '--server-side', '--field-manager=workbench-harness'];
    await kubectl([...apply, '-f', '-'], clusterSetupManifest(settings.withKwok));

    if (settings.withControllerManager) {
      const args = controllerManagerArgs(kubeconfigPath, credentials, caFile);
      start('kube-controller-manager', bin['kube-controller-manager'], args);
    }
    if (settings.withKwok) {
      start('kube-scheduler', bin['kube-scheduler'], schedulerArgs(kubeconfigPath));
      start('kwok', bin.kwok, kwokArgs(kubeconfigPath));
    }
    if (settings.installCrds) {
      const files = ['flux', 'argo-cd'].flatMap((dir) => ['-f', path.join(toolsDir, 'crds', dir)]);
      await kubectl([...apply, ...files]);
      await waitFor(
        kubectl,
        ['--for=condition=Established', ...files],
        settings.readyTimeoutMs,
        signal,
      );
    }
    if (settings.withKwok) {
      await waitFor(
        kubectl,
        ['--for=condition=Ready', `node/${fakeNodeName}`],
        settings.readyTimeoutMs,
        signal,
      );
    }
    checkAlive(daemons, signal);
    return {
      kubeconfigPath,
      serverUrl,
      dataDir,
      contexts: { admin: adminContext, readonly: readonlyContext },
      kubernetesVersion: gitVersion.replace(/^v/, ''),
      pids: daemons.map((daemon) => daemon.pid),
      timings: { readyzMs, readyMs: Date.now() - started },
      restartApiserver,
      stop,
    };
  } catch (error) {
    const logs = daemons.map((daemon) => `${daemon.name}: ${logTail(daemon, 3)}`).join('\n');
    await stop();
    if (error instanceof ControlPlaneError) throw error;
    if (error instanceof ProcessError) {
      const reason = error.reason === 'aborted' ? 'aborted' : 'setupFailed';
      throw new ControlPlaneError(reason, `${error.message}\n${logs}`);
    }
    throw error;
  }
}

/** Throws when a component has exited or the caller gave up. */
function checkAlive(daemons: readonly Daemon[], signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new ControlPlaneError('aborted', 'Starting the control plane was cancelled.');
  for (const daemon of daemons) {
    const { exitCode, signalCode } = daemon.child;
    if (exitCode !== null || signalCode !== null) {
      throw new ControlPlaneError(
        'startFailed',
        `${daemon.name} exited (${exitCode ?? signalCode}) while the control plane was starting. ` +
          `Its log ends: ${logTail(daemon)}`,
      );
    }
  }
}

interface WaitContext {
  timeoutMs: number;
  daemons: readonly Daemon[];
  signal: AbortSignal | undefined;
}

/**
 * Polls `probe` (true when ready, else what it saw) until it says ready. Fails when `timeoutMs`
 * runs out, when any component exits, or on abort, quoting the last answer and `daemon`'s log.
 */
async function waitUntil(
  what: string,
  daemon: Daemon,
  context: WaitContext,
  probe: () => Promise<true | string>,
): Promise<void> {
  const deadline = Date.now() + context.timeoutMs;
  let lastAnswer = 'no answer yet';
  for (;;) {
    checkAlive(context.daemons, context.signal);
    try {
      const answer = await probe();
      if (answer === true) return;
      lastAnswer = answer;
    } catch (error) {
      lastAnswer = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new ControlPlaneError(
        'timeout',
        `${what} was not ready within ${context.timeoutMs / 1000} s (last answer: ${lastAnswer}). ` +
          `Its log (${daemon.logFile}) ends: ${logTail(daemon)}`,
      );
    }
    await delay(200, context.signal);
  }
}

/**
 * `kubectl wait` that also waits for what it gives up on at once: an object not created yet, or
 * one whose status has no conditions yet (".status.conditions accessor error").
 */
async function waitFor(
  kubectl: (args: string[]) => Promise<RunResult>,
  args: string[],
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seconds = Math.max(1, Math.round((deadline - Date.now()) / 1000));
    try {
      await kubectl(['wait', ...args, `--timeout=${seconds}s`]);
      return;
    } catch (error) {
      const output = error instanceof ProcessError ? `${error.message} ${error.output ?? ''}` : '';
      if (Date.now() >= deadline || !/accessor error|NotFound|not found/.test(output)) {
        throw error;
      }
      await delay(250, signal);
    }
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
