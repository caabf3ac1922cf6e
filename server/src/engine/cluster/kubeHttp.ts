/**
 * The HTTP exchanges behind `KubeApi`: one request with a JSON answer, and a long-lived watch
 * stream. Both map failures to `ClusterError`s that name the context and say what to do.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { ClusterError, errorForStatus } from './clusterErrors';
import type { KubeRequest, WatchEvent } from './liveTypes';
import { WatchStreamParser } from './watchStream';

/** Where and how to reach one context's API server. */
export interface KubeConnection {
  readonly server: string;
  readonly context: string;
  /** TLS and auth options from client-node's `applyToHTTPSOptions`. */
  readonly base: https.RequestOptions;
  /** Time limit to get an answer (for a watch: its response headers). */
  readonly timeoutMs: number;
  /** A watch that sends no byte for this long is ended. */
  readonly watchIdleMs: number;
}

const redirectStatuses = new Set([301, 302, 307, 308]);

/** Sends a request and resolves with the parsed JSON answer (undefined for an empty body). */
export async function sendRequest(
  connection: KubeConnection,
  request: KubeRequest,
  redirects = 3,
): Promise<unknown> {
  const timeoutMs = request.timeoutMs ?? connection.timeoutMs;
  const { response, url, body } = await exchange(connection, request, timeoutMs);
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (redirectStatuses.has(status) && location && redirects > 0 && request.method === 'GET') {
    // /openapi/v3 documents move when their content hash changes (a CRD was updated).
    const next = new URL(location, url);
    return sendRequest(
      connection,
      { ...request, path: next.pathname + next.search },
      redirects - 1,
    );
  }
  if (status < 200 || status >= 300) {
    throw errorForStatus(status, connection.context, request.what, body);
  }
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ClusterError(
      'badResponse',
      `The cluster of context "${connection.context}" sent something that is not JSON for ${request.what}.`,
      connection.context,
    );
  }
}

/**
 * Streams a watch: calls `onEvent` per event; resolves when the server (or the idle limit) ends
 * the stream; rejects with a ClusterError when it cannot connect, on an HTTP error status, or
 * when `signal` aborts ('cancelled').
 */
export function openWatch(
  connection: KubeConnection,
  path: string,
  what: string,
  onEvent: (event: WatchEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const { context } = connection;
  return new Promise((resolve, reject) => {
    const url = new URL(path, connection.server);
    let streaming = false;
    const request = open(connection, url, 'GET', undefined, signal);
    request.setTimeout(connection.timeoutMs);
    request.on('timeout', () => {
      if (streaming) {
        // Idle: nothing came for watchIdleMs. End quietly; the caller watches again.
        request.destroy();
        resolve();
      } else {
        request.destroy(timeoutError(connection, connection.timeoutMs));
      }
    });
    request.on('error', (error: Error & { code?: string }) =>
      reject(requestError(connection, url, what, error, signal)),
    );
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          reject(errorForStatus(status, context, what, Buffer.concat(chunks).toString('utf8'))),
        );
        response.on('error', (error) => reject(requestError(connection, url, what, error, signal)));
        return;
      }
      streaming = true;
      request.setTimeout(connection.watchIdleMs);
      const parser = new WatchStreamParser(onEvent);
      response.on('data', (chunk: Buffer) => parser.push(chunk));
      response.on('error', (error) => reject(requestError(connection, url, what, error, signal)));
      response.on('end', () => {
        parser.end();
        resolve();
      });
      response.on('close', () => {
        if (signal.aborted) reject(cancelledError(connection, what));
        else resolve();
      });
    });
    request.end();
  });
}

interface Exchange {
  response: http.IncomingMessage;
  url: URL;
  body: string;
}

function exchange(
  connection: KubeConnection,
  request: KubeRequest,
  timeoutMs: number,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.path, connection.server);
    const outgoing = open(connection, url, request.method, request, request.signal);
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(timeoutError(connection, timeoutMs)));
    outgoing.on('error', (error: Error & { code?: string }) =>
      reject(requestError(connection, url, request.what, error, request.signal)),
    );
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) =>
        reject(requestError(connection, url, request.what, error, request.signal)),
      );
      response.on('end', () =>
        resolve({ response, url, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    outgoing.end(request.body);
  });
}

function open(
  connection: KubeConnection,
  url: URL,
  method: KubeRequest['method'],
  request: KubeRequest | undefined,
  signal: AbortSignal | undefined,
): http.ClientRequest {
  const transport = url.protocol === 'http:' ? http : https;
  const baseHeaders = connection.base.headers;
  const headers: http.OutgoingHttpHeaders = {
    ...(isHeaderMap(baseHeaders) ? baseHeaders : {}),
    Accept: 'application/json',
  };
  if (request?.body !== undefined) {
    headers['Content-Type'] = request.contentType ?? 'application/json';
    headers['Content-Length'] = Buffer.byteLength(request.body);
  }
  return transport.request(url, {
    ...connection.base,
    method,
    headers,
    ...(signal ? { signal } : {}),
  });
}

function requestError(
  connection: KubeConnection,
  url: URL,
  what: string,
  error: Error & { code?: string },
  signal: AbortSignal | undefined,
): ClusterError {
  if (error instanceof ClusterError) return error;
  if (error.name === 'AbortError' || signal?.aborted) return cancelledError(connection, what);
  return new ClusterError(
    'unreachable',
    `Cannot reach the cluster of context "${connection.context}" at ${url.host} (${error.code ?? error.message}): check that it is running and reachable, then retry.`,
    connection.context,
  );
}

function cancelledError(connection: KubeConnection, what: string): ClusterError {
  return new ClusterError(
    'cancelled',
    `The request to ${what} on context "${connection.context}" was cancelled.`,
    connection.context,
  );
}

function timeoutError(connection: KubeConnection, timeoutMs: number): ClusterError {
  return new ClusterError(
    'timeout',
    `The cluster of context "${connection.context}" did not answer within ${timeoutMs / 1000} s: check that it is reachable, then retry.`,
    connection.context,
  );
}

function isHeaderMap(
  headers: http.OutgoingHttpHeaders | readonly string[] | undefined,
): headers is http.OutgoingHttpHeaders {
  return headers !== undefined && !Array.isArray(headers);
}
