// The HTTP side of KubeApi against a local plain-HTTP server: bodies, status reasons, and the
// watch stream's time limits (headers only, then an idle limit).
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ClusterError } from '../../server/src/engine/cluster/clusterErrors';
import { openWatch, sendRequest } from '../../server/src/engine/cluster/kubeHttp';
import type { KubeConnection } from '../../server/src/engine/cluster/kubeHttp';
import type { WatchEvent } from '../../server/src/engine/cluster/liveTypes';

type Handler = (request: http.IncomingMessage, body: string, response: http.ServerResponse) => void;

const handlers = new Map<string, Handler>();
const status =
  (code: number, message: string): Handler =>
  (_request, _body, response) => {
    response.writeHead(code, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ kind: 'Status', code, message }));
  };

describe('kube HTTP exchanges', () => {
  let server: http.Server;
  let connection: KubeConnection;

  before(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const handler = handlers.get(new URL(request.url ?? '/', 'http://x').pathname);
        if (handler) handler(request, Buffer.concat(chunks).toString('utf8'), response);
        else status(404, 'the server could not find the requested resource')(request, '', response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    connection = {
      server: `http://127.0.0.1:${port}`,
      context: 'local',
      base: {},
      timeoutMs: 300,
      watchIdleMs: 300,
    };
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('sends method, body and content type, and parses the JSON answer', async () => {
    handlers.set('/patch', (request, body, response) => {
      response.end(
        JSON.stringify({ method: request.method, type: request.headers['content-type'], body }),
      );
    });
    const answer = await sendRequest(connection, {
      method: 'PATCH',
      path: '/patch?dryRun=All',
      body: '{"a":1}',
      contentType: 'application/apply-patch+yaml',
      what: 'patch it',
    });
    assert.deepEqual(answer, {
      method: 'PATCH',
      type: 'application/apply-patch+yaml',
      body: '{"a":1}',
    });
  });

  it('gives 409, 410 and 422 their reasons with the server message', async () => {
    handlers.set('/conflict', status(409, 'Apply failed with 1 conflict: .spec.replicas'));
    handlers.set('/gone', status(410, 'too old resource version: 1 (2)'));
    handlers.set('/invalid', status(422, 'spec.replicas: Invalid value: -1'));
    const cases: [string, string, RegExp][] = [
      ['/conflict', 'conflict', /local.*1 conflict: \.spec\.replicas/],
      ['/gone', 'gone', /410 Gone/],
      [
        '/invalid',
        'invalid',
        /refused to apply it as invalid \(422: spec\.replicas: Invalid value: -1\)/,
      ],
      ['/nothing', 'notFound', /does not serve apply it \(404: the server could not find/],
    ];
    for (const [path, reason, message] of cases) {
      await assert.rejects(
        sendRequest(connection, { method: 'PATCH', path, body: '{}', what: 'apply it' }),
        (error) =>
          error instanceof ClusterError && error.reason === reason && message.test(error.message),
        path,
      );
    }
  });

  it('times out a request that gets no answer', async () => {
    handlers.set('/silent', () => undefined);
    await assert.rejects(
      sendRequest(connection, { method: 'GET', path: '/silent', what: 'read it' }),
      (error) => error instanceof ClusterError && error.reason === 'timeout',
    );
  });

  it('streams watch events split across writes, beyond the connection time limit', async () => {
    handlers.set('/watch', (_request, _body, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const text = '{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"DELETED","obj';
      response.write(text.slice(0, 30));
      setTimeout(() => response.write(text.slice(30)), 200);
      setTimeout(() => response.write('ect":{"metadata":{"name":"a"}}}\n'), 400);
      setTimeout(() => response.end(), 600);
    });
    const events: WatchEvent[] = [];
    await openWatch(
      connection,
      '/watch?watch=1',
      'watch it',
      (e) => events.push(e),
      new AbortController().signal,
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'DELETED'],
    );
  });

  it('ends a watch that stays idle, and rejects an HTTP error with its reason', async () => {
    handlers.set('/idle', (_request, _body, response) => {
      response.writeHead(200);
      response.write('{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}}\n');
    });
    const events: WatchEvent[] = [];
    const started = Date.now();
    await openWatch(
      connection,
      '/idle',
      'watch it',
      (e) => events.push(e),
      new AbortController().signal,
    );
    assert.equal(events.length, 1);
    assert.ok(Date.now() - started >= 250, 'it waited for the idle limit');
    await assert.rejects(
      openWatch(connection, '/gone', 'watch it', () => undefined, new AbortController().signal),
      (error) => error instanceof ClusterError && error.reason === 'gone',
    );
  });

  it('rejects a cancelled watch as cancelled', async () => {
    handlers.set('/forever', (_request, _body, response) => {
      response.writeHead(200);
      response.write('\n');
      const keepAlive = setInterval(() => response.write('\n'), 50);
      response.on('close', () => clearInterval(keepAlive));
    });
    const controller = new AbortController();
    const watching = openWatch(
      connection,
      '/forever',
      'watch it',
      () => undefined,
      controller.signal,
    );
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(
      watching,
      (error) => error instanceof ClusterError && error.reason === 'cancelled',
    );
  });
});
