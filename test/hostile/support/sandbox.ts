/**
 * The sandbox every hostile repository is tried in: canaries that notice when a promise breaks.
 * - `outside/`: files beside the repositories that hold OUTSIDE_TOKEN; reading any of them leaks it.
 * - `bin/`: first on PATH, fake programs (sh, ssh, curl, helm, kustomize, pwn...) that leave a
 *   marker when anything runs them, and a `git` that records every call and refuses network verbs.
 * - a TCP listener on 127.0.0.1, also set as every proxy variable, that records each connection:
 *   any host contacted, by name or by address, reaches it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const OUTSIDE_TOKEN = 'outside-the-repo-token-41d2c7';
export const SECRET_VALUE = 'hostile-secret-value-7f3a9c';
export const SECRET_B64 = Buffer.from(SECRET_VALUE).toString('base64');
/** A line of /etc/passwd on every Linux and macOS machine. */
export const PASSWD_LINE = /root:[^:\n]*:0:0:/;

/** Programs an attacker would like us to run; none of them may ever start. */
const FORBIDDEN_PROGRAMS = [
  'pwn',
  'sh',
  'bash',
  'dash',
  'zsh',
  'node',
  'python',
  'python3',
  'perl',
  'ruby',
  'curl',
  'wget',
  'nc',
  'ssh',
  'scp',
  'gpg',
  'docker',
  'podman',
  'kubectl',
  'helm',
  'kustomize',
  'sops',
];

/** git subcommands that reach another host. */
const NETWORK_GIT = ['fetch', 'clone', 'ls-remote', 'pull', 'push', 'submodule', 'archive'];

export interface Sandbox {
  readonly root: string;
  readonly outside: string;
  readonly repos: string;
  readonly bin: string;
  readonly markers: string;
  readonly emptyCache: string;
  readonly canaryUrl: string;
  readonly canaryHost: string;
  /** The environment of every process of the product under test. */
  readonly env: NodeJS.ProcessEnv;
  /** Connections the canary listener accepted since the sandbox was made. */
  connections(): readonly string[];
  /** Markers left by programs that ran (`program argv...`), and git's network calls. */
  markersLeft(): readonly string[];
  /** git calls recorded by the wrapper (each `git argv...`). */
  gitCalls(): readonly string[];
  close(): Promise<void>;
}

function realGit(): string {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(folder, 'git');
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // Not here: try the next folder.
    }
  }
  throw new Error('git is not on PATH: the hostile suite needs it');
}

function writeProgram(file: string, body: string): void {
  writeFileSync(file, `#!${process.execPath}\n${body}\n`);
  chmodSync(file, 0o755);
}

function writeCanaries(bin: string, markers: string): void {
  for (const name of FORBIDDEN_PROGRAMS) {
    writeProgram(
      path.join(bin, name),
      `require('node:fs').appendFileSync(${JSON.stringify(path.join(markers, 'ran.log'))}, ${JSON.stringify(name)} + ' ' + JSON.stringify(process.argv.slice(2)) + '\\n'); process.exit(1);`,
    );
  }
  // A POSIX shell script, not a Node program: git runs dozens of times per face.
  const log = path.join(markers, 'git.log');
  const ran = path.join(markers, 'ran.log');
  writeFileSync(
    path.join(bin, 'git'),
    [
      '#!/bin/sh',
      `printf '%s\\037' "$@" >> '${log}'`,
      `printf '\\n' >> '${log}'`,
      'skip=',
      'for arg in "$@"; do',
      '  if [ -n "$skip" ]; then skip=; continue; fi',
      '  case "$arg" in',
      '    -c|-C|--git-dir|--work-tree|--namespace) skip=1 ;;',
      '    -*) ;;',
      `    ${NETWORK_GIT.join('|')}) echo "git $*" >> '${ran}'; exit 1 ;;`,
      '    *) break ;;',
      '  esac',
      'done',
      `exec '${realGit()}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(path.join(bin, 'git'), 0o755);
}

function writeOutside(outside: string): void {
  const files: Record<string, string> = {
    'secret.txt': `${OUTSIDE_TOKEN}\n`,
    'values.yaml': `leak: ${OUTSIDE_TOKEN}\n`,
    'schema.json': JSON.stringify({ type: 'object', description: OUTSIDE_TOKEN }),
    'configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\ndata:\n  token: ${OUTSIDE_TOKEN}\n`,
    'patch.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  token: ${OUTSIDE_TOKEN}\n`,
    '.env': `TOKEN=${OUTSIDE_TOKEN}\n`,
    'base/kustomization.yaml': 'resources:\n  - ../configmap.yaml\n',
    'templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside-template\ndata:\n  token: ${OUTSIDE_TOKEN}\n`,
    'chart/Chart.yaml': 'apiVersion: v2\nname: outside\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside-chart\ndata:\n  token: ${OUTSIDE_TOKEN}\n`,
  };
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(outside, ...relative.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** Makes a sandbox; `close()` removes it and stops the listener. */
export async function makeSandbox(): Promise<Sandbox> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gitops-workbench-hostile-'));
  const outside = path.join(root, 'outside');
  const repos = path.join(root, 'repos');
  const bin = path.join(root, 'bin');
  const markers = path.join(root, 'markers');
  const emptyCache = path.join(root, 'empty-cache');
  for (const folder of [outside, repos, bin, markers, emptyCache]) {
    mkdirSync(folder, { recursive: true });
  }
  writeCanaries(bin, markers);
  writeOutside(outside);

  const accepted: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('data', (chunk: Buffer) => {
      accepted.push(chunk.toString('latin1').split('\r\n')[0] ?? '(no request line)');
    });
    accepted.push(`connection from ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`);
    socket.on('close', () => sockets.delete(socket));
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const canaryHost = `127.0.0.1:${port}`;
  const canaryUrl = `http://${canaryHost}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [bin, process.env.PATH ?? ''].join(path.delimiter),
    HTTP_PROXY: canaryUrl,
    HTTPS_PROXY: canaryUrl,
    ALL_PROXY: canaryUrl,
    http_proxy: canaryUrl,
    https_proxy: canaryUrl,
    all_proxy: canaryUrl,
    GIT_TERMINAL_PROMPT: '0',
  };
  delete env.NO_PROXY;
  delete env.no_proxy;
  delete env.KUBECONFIG;

  const readLines = (name: string): string[] => {
    try {
      return readFileSync(path.join(markers, name), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return {
    root,
    outside,
    repos,
    bin,
    markers,
    emptyCache,
    canaryUrl,
    canaryHost,
    env,
    connections: () => [...accepted],
    markersLeft: () => [
      ...readLines('ran.log'),
      ...readdirSync(markers).filter((name) => name !== 'ran.log' && name !== 'git.log'),
    ],
    gitCalls: () => readLines('git.log'),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
