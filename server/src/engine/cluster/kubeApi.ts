import * as https from 'node:https';
import * as tls from 'node:tls';
import { ClusterError } from './clusterErrors';
import { clientConfig } from './kubeconfigClient';
import { openWatch, sendRequest } from './kubeHttp';
import type { KubeConnection } from './kubeHttp';
import { isExecConfig, runExecPlugin } from './execCredential';
import type { KubeRequest, WatchEvent } from './liveTypes';

/** The few raw calls the engine makes to a cluster, with a time limit and cancellation. */
export interface KubeApi {
  readonly context: string;
  getJson(path: string, what: string, signal?: AbortSignal): Promise<unknown>;
  /** Any request; resolves with the parsed JSON answer, rejects with a ClusterError. */
  request(request: KubeRequest): Promise<unknown>;
  /**
   * A streaming GET of `path` (which carries `watch=1` and the resourceVersion to start from).
   * Resolves when the server ends the stream or it stays idle too long; rejects with a
   * ClusterError when it cannot connect or gets an HTTP error (410 Gone: reason 'gone').
   */
  watch(path: string, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void>;
}

export interface KubeApiOptions {
  /** Kubeconfig files (KUBECONFIG semantics), merged as kubectl does: the first defining a name wins. */
  readonly kubeconfigFiles: readonly string[];
  readonly context: string;
  /** Per-request time limit; default 10 s (an unreachable cluster must fail fast). */
  readonly timeoutMs?: number;
  /** A watch that receives nothing for this long is ended (and watched again); default 5 min. */
  readonly watchIdleMs?: number;
  /** Time limit of a kubeconfig exec credential plugin; default 30 s. */
  readonly execTimeoutMs?: number;
}

/**
 * Connects to a kubeconfig context with client-node's credential handling (certificates, tokens,
 * auth providers); exec plugins are run by `execCredential.ts`, without a shell and with a time
 * limit, and again before their credential expires. Callers must not create one in an untrusted
 * workspace: exec plugins run code named by the kubeconfig.
 */
export async function connectKubeApi(options: KubeApiOptions): Promise<KubeApi> {
  const config = await clientConfig(options.kubeconfigFiles, options.context);
  const server = config.getCurrentCluster()?.server;
  if (!server) {
    throw new ClusterError(
      'contextNotFound',
      `Context "${options.context}" names no cluster server.`,
      options.context,
    );
  }
  const user = config.getCurrentUser();
  const exec: unknown = user?.exec;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const build = async (signal?: AbortSignal): Promise<[KubeConnection, number]> => {
    let expiresAt = Infinity;
    if (user && isExecConfig(exec)) {
      // client-node would run the plugin with no time limit: we run it, and hand it the answer.
      const credential = await runExecPlugin(exec, options.context, {
        ...(signal ? { signal } : {}),
        ...(options.execTimeoutMs ? { timeoutMs: options.execTimeoutMs } : {}),
      });
      expiresAt = credential.expiresAt ?? Infinity;
      const plain: typeof user = { ...user, exec: undefined };
      const resolved = {
        ...plain,
        ...(credential.token ? { token: credential.token } : {}),
        ...(credential.clientCertificateData && credential.clientKeyData
          ? {
              certData: Buffer.from(credential.clientCertificateData).toString('base64'),
              keyData: Buffer.from(credential.clientKeyData).toString('base64'),
            }
          : {}),
      };
      config.users = config.users.map((entry) => (entry.name === user.name ? resolved : entry));
    }
    const base: https.RequestOptions = {};
    await config.applyToHTTPSOptions(base).catch((error: unknown) => {
      // A certificate or key file that cannot be read, an auth provider that fails.
      const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      throw new ClusterError(
        'contextNotFound',
        `The credentials of context "${options.context}" cannot be read (${detail}): fix them in the kubeconfig.`,
        options.context,
      );
    });
    withReusedConnections(base);
    const connection: KubeConnection = {
      server,
      context: options.context,
      base,
      timeoutMs,
      watchIdleMs: options.watchIdleMs ?? 5 * 60_000,
    };
    return [connection, expiresAt];
  };
  let [connection, expiresAt] = await build();
  /** The connection, with exec credentials renewed a minute before they expire. */
  const current = async (signal?: AbortSignal): Promise<KubeConnection> => {
    if (Date.now() > expiresAt - 60_000) {
      [connection, expiresAt] = await build(signal);
    }
    return connection;
  };
  return {
    context: options.context,
    getJson: async (path, what, signal) =>
      sendRequest(await current(signal), {
        method: 'GET',
        path,
        what,
        ...(signal ? { signal } : {}),
      }),
    request: async (request) => sendRequest(await current(request.signal), request),
    watch: async (path, onEvent, signal) =>
      openWatch(await current(signal), path, `watch ${path}`, onEvent, signal),
  };
}

/** How long a connection no request uses stays open: far below any API server's idle limit. */
const IDLE_SOCKET_MS = 4_000;

/**
 * Gives the connection's requests one TLS context and sockets kept open between requests.
 * client-node's agent opens a new connection for every request, and each new socket parses the
 * CA, the client certificate and its key again: a status of 1,000 resources opened 88 TLS
 * connections, each costing us and the API server a handshake. Only for client-node's plain
 * HTTPS agent; a proxy's agent is left as it is. Options no context can be made of are left to
 * each socket, which reports them as before.
 */
function withReusedConnections(base: https.RequestOptions): void {
  const agent = base.agent;
  if (!(agent instanceof https.Agent) || agent.constructor !== https.Agent) return;
  let secureContext: tls.SecureContext | undefined;
  try {
    secureContext = tls.createSecureContext(base);
  } catch {
    // Each request fails on its own, with the TLS error in its message.
  }
  base.agent = new https.Agent({
    ...agent.options,
    keepAlive: true,
    timeout: IDLE_SOCKET_MS,
    ...(secureContext ? { secureContext } : {}),
  });
}
