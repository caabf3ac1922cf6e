// Stands in for one HTTPS host these machines cannot reach: an HTTP proxy (set as `http.proxy`)
// that tunnels CONNECTs for that host, and only that host, to a local TLS server answering from a
// table of paths. The TLS certificate is made for the run with openssl and is not trusted, so
// the client must run with `http.proxyStrictSSL: false`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import os from 'node:os';
import path from 'node:path';

export interface SchemaHost {
  /** `http://127.0.0.1:PORT`, for `http.proxy`. */
  proxyUrl: string;
  /** The paths asked for so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

function selfSignedCertificate(host: string): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-e2e-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${host}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { encoding: 'utf8', shell: false, timeout: 30_000 },
    );
    assert.equal(made.status, 0, `openssl could not make a test certificate: ${made.stderr}`);
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const listening = (server: Server): Promise<void> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));

/** Serves `files` (path -> JSON text) as `https://<host><path>` through a local proxy. */
export async function startSchemaHost(
  host: string,
  files: Readonly<Record<string, string>>,
): Promise<SchemaHost> {
  const requests: string[] = [];
  const tls = createHttpsServer(selfSignedCertificate(host), (request, response) => {
    const url = request.url ?? '';
    requests.push(url);
    const body = files[url];
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(body ?? '{}');
  });
  await listening(tls);
  const tlsPort = (tls.address() as AddressInfo).port;

  const proxy = createHttpServer((_request, response) => {
    response.writeHead(403);
    response.end();
  });
  const tunnels = new Set<Socket | Duplex>();
  proxy.on('connect', (request, client: Duplex) => {
    if (request.url !== `${host}:443`) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(tlsPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(client).add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => {
      tunnels.delete(client);
      tunnels.delete(upstream);
      upstream.destroy();
    });
  });
  await listening(proxy);
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const close = async (): Promise<void> => {
    for (const socket of tunnels) socket.destroy();
    proxy.closeAllConnections();
    tls.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => proxy.close(resolve)),
      new Promise((resolve) => tls.close(resolve)),
    ]);
  };
  return { proxyUrl, requests, close };
}
