import * as https from 'node:https';
import * as http from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, errorForStatus } from './clusterErrors';

/** The few raw calls the engine makes to a cluster, with a time limit and cancellation. */
export interface KubeApi {
  readonly context: string;
  getJson(path: string, what: string, signal?: AbortSignal): Promise<unknown>;
}

export interface KubeApiOptions {
  /** Kubeconfig files (KUBECONFIG semantics); the first defining a name wins. */
  readonly kubeconfigFiles: readonly string[];
  readonly context: string;
  /** Per-request time limit; default 10 s (an unreachable cluster must fail fast). */
  readonly timeoutMs?: number;
}

/**
 * Connects to a kubeconfig context with client-node's credential handling (certificates, tokens,
 * auth providers, and exec plugins, which it runs without a shell). Callers must not create one
 * in an untrusted workspace: exec plugins run code named by the kubeconfig.
 */
export async function connectKubeApi(options: KubeApiOptions): Promise<KubeApi> {
  const config = new KubeConfig();
  for (const file of options.kubeconfigFiles) {
    const other = new KubeConfig();
    try {
      other.loadFromFile(file);
    } catch {
      continue;
    }
    config.mergeConfig(other, true);
  }
  if (!config.getContextObject(options.context)) {
    throw new ClusterError(
      'contextNotFound',
      `There is no context "${options.context}" in ${options.kubeconfigFiles.join(', ')}.`,
      options.context,
    );
  }
  config.setCurrentContext(options.context);
  const server = config.getCurrentCluster()?.server;
  if (!server) {
    throw new ClusterError(
      'contextNotFound',
      `Context "${options.context}" names no cluster server.`,
      options.context,
    );
  }
  const requestOptions: https.RequestOptions = {};
  await config.applyToHTTPSOptions(requestOptions);
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    context: options.context,
    getJson: (path, what, signal) =>
      getJson(server, path, requestOptions, timeoutMs, options.context, what, signal, 3),
  };
}

function getJson(
  server: string,
  path: string,
  base: https.RequestOptions,
  timeoutMs: number,
  context: string,
  what: string,
  signal: AbortSignal | undefined,
  redirects: number,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server);
    const transport = url.protocol === 'http:' ? http : https;
    const request = transport.request(
      url,
      {
        ...base,
        method: 'GET',
        headers: { ...(base.headers ?? {}), Accept: 'application/json' },
        ...(signal ? { signal } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) =>
          reject(
            new ClusterError(
              'unreachable',
              `The connection to context "${context}" broke: ${error.message}.`,
              context,
            ),
          ),
        );
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          const location = response.headers.location;
          if ([301, 302, 307, 308].includes(status) && location && redirects > 0) {
            // /openapi/v3 documents move when their content hash changes (a CRD was updated).
            const next = new URL(location, url);
            resolve(
              getJson(
                server,
                next.pathname + next.search,
                base,
                timeoutMs,
                context,
                what,
                signal,
                redirects - 1,
              ),
            );
            return;
          }
          if (status < 200 || status >= 300) {
            reject(errorForStatus(status, context, what, body));
            return;
          }
          try {
            resolve(JSON.parse(body) as unknown);
          } catch {
            reject(
              new ClusterError(
                'badResponse',
                `The cluster of context "${context}" sent something that is not JSON for ${what}.`,
                context,
              ),
            );
          }
        });
      },
    );
    request.setTimeout(timeoutMs, () => {
      request.destroy(
        new ClusterError(
          'timeout',
          `The cluster of context "${context}" did not answer within ${timeoutMs / 1000} s: check that it is reachable, then retry.`,
          context,
        ),
      );
    });
    request.on('error', (error: Error & { code?: string }) => {
      if (error instanceof ClusterError) {
        reject(error);
      } else if (error.name === 'AbortError') {
        reject(
          new ClusterError(
            'cancelled',
            `Reading ${what} from context "${context}" was cancelled.`,
            context,
          ),
        );
      } else {
        reject(
          new ClusterError(
            'unreachable',
            `Cannot reach the cluster of context "${context}" at ${url.host} (${error.code ?? error.message}): check that it is running and reachable, then retry.`,
            context,
          ),
        );
      }
    });
    request.end();
  });
}
