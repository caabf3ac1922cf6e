// The kubeconfig of a test control plane, and a tiny HTTPS client for its health endpoints.
import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { request } from 'node:https';
import { stringify } from 'yaml';
import { adminUser, readonlyUser } from './pki';

export const clusterName = 'workbench-local';
export const adminContext = 'workbench-admin';
export const readonlyContext = 'workbench-readonly';

export interface KubeconfigInput {
  serverUrl: string;
  /** PEM of the CA that signed the apiserver's serving certificate. */
  caPem: string;
  adminToken: string;
  readonlyToken: string;
}

/** A kubeconfig with two contexts on one cluster: `workbench-admin` (current) and `-readonly`. */
export function kubeconfigText(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: clusterName,
        cluster: {
          server: input.serverUrl,
          'certificate-authority-data': Buffer.from(input.caPem).toString('base64'),
        },
      },
    ],
    users: [
      { name: adminUser, user: { token: input.adminToken } },
      { name: readonlyUser, user: { token: input.readonlyToken } },
    ],
    contexts: [
      { name: adminContext, context: { cluster: clusterName, user: adminUser } },
      { name: readonlyContext, context: { cluster: clusterName, user: readonlyUser } },
    ],
    'current-context': adminContext,
    preferences: {},
  });
}

export function writeKubeconfig(file: string, input: KubeconfigInput): void {
  writeFileSync(file, kubeconfigText(input), { mode: 0o600 });
}

export interface HttpsGetOptions {
  caPem: string;
  token: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpsResponse {
  status: number;
  body: string;
}

/** GET `url` with a bearer token, trusting only `caPem`. Rejects on network errors and timeout. */
export function httpsGet(url: string, options: HttpsGetOptions): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        ca: options.caPem,
        headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
        timeout: options.timeoutMs,
        signal: options.signal,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Plain-HTTP GET (etcd's /health on 127.0.0.1), bounded by `timeoutMs`. */
export function httpGet(
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: timeoutMs, signal }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}
