// code-server (VS Code's workbench and extension host served to a browser), installed offline from
// the npm registry into a cache folder outside the work tree, and started for one folder.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  HarnessError,
  cleanChildEnv,
  codeServerPackages,
  ensureSystemPackages,
  npmInvocation,
  runLogged,
  trackProcessGroup,
} from './systemPackages';
import { defaultToolCacheDir } from '../../server/src/toolCache';
import { killTree } from '../../server/src/engine/process/killTree';

/** The newest code-server that runs on Node 20; it bundles VS Code 1.100. */
export const codeServerVersion = '4.100.3';

export interface CodeServerInstall {
  /** `out/node/entry.js`, to run with `node`. */
  entry: string;
  version: string;
}

export interface EnsureCodeServerOptions {
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

interface InstallMarker {
  version: string;
  nodeModulesAbi: string;
  installedAt: string;
}

/** `$GITOPS_WORKBENCH_CACHE`, else the platform's cache folder + `gitops-workbench`. */
export function cacheDir(): string {
  return defaultToolCacheDir();
}

export function logsDir(): string {
  const dir = path.join(cacheDir(), 'logs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function codeServerDir(): string {
  return path.join(cacheDir(), `code-server-${codeServerVersion}`);
}

function entryOf(installDir: string): string {
  return path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function readMarker(installDir: string): InstallMarker | undefined {
  try {
    return JSON.parse(
      readFileSync(path.join(installDir, '.installed.json'), 'utf8'),
    ) as InstallMarker;
  } catch {
    return undefined;
  }
}

/** Installs code-server into the cache when it is not there yet; warm, it only reads a marker. */
export async function ensureCodeServer(
  options: EnsureCodeServerOptions = {},
): Promise<CodeServerInstall> {
  const finalDir = codeServerDir();
  const marker = readMarker(finalDir);
  if (marker?.version === codeServerVersion && marker.nodeModulesAbi === process.versions.modules) {
    return { entry: entryOf(finalDir), version: codeServerVersion };
  }
  const logPath = path.join(logsDir(), 'code-server-install.log');
  writeFileSync(logPath, `code-server ${codeServerVersion} install, Node ${process.version}\n`);
  const progress = options.onProgress ?? ((): void => undefined);
  try {
    await ensureSystemPackages(codeServerPackages, {
      logPath,
      signal: options.signal,
      onProgress: progress,
    });
    removeAbandonedInstalls();
    const workDir = `${finalDir}.partial-${process.pid}`;
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    await installInto(workDir, logPath, progress, options.signal);
    const done: InstallMarker = {
      version: codeServerVersion,
      nodeModulesAbi: process.versions.modules,
      installedAt: new Date().toISOString(),
    };
    writeFileSync(path.join(workDir, '.installed.json'), `${JSON.stringify(done, null, 2)}\n`);
    if (existsSync(finalDir)) renameSync(finalDir, `${finalDir}.stale-${process.pid}`);
    renameSync(workDir, finalDir);
    rmSync(`${finalDir}.stale-${process.pid}`, { recursive: true, force: true });
    progress(`code-server ${codeServerVersion} is installed in ${finalDir}`);
    return { entry: entryOf(finalDir), version: codeServerVersion };
  } catch (error) {
    if (error instanceof HarnessError) {
      throw new HarnessError(
        error.reason,
        `Installing code-server ${codeServerVersion} failed: ${error.message} Install log: ${logPath}`,
      );
    }
    throw error;
  }
}

/** The recipe of notes/code-server.md: no install scripts (they download), then native rebuilds. */
async function installInto(
  dir: string,
  logPath: string,
  progress: (message: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const npm = npmInvocation();
  const env = cleanChildEnv();
  const headers = path.join(path.dirname(process.execPath), '..', 'include', 'node');
  if (existsSync(path.join(headers, 'node_version.h')))
    env['npm_config_nodedir'] = path.dirname(path.dirname(headers));
  const vscodeDir = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  const total = 6;
  const npmStep = async (
    n: number,
    step: string,
    cwd: string,
    args: string[],
    ok?: () => boolean,
  ): Promise<void> => {
    progress(`code-server install ${n}/${total}: ${step}`);
    await runLogged(npm.command, [...npm.prefixArgs, ...args, '--no-audit', '--no-fund'], {
      step,
      cwd,
      env,
      logPath,
      signal,
      timeoutMs: 10 * 60_000,
      acceptExit: ok ? (): boolean => ok() : undefined,
    });
  };

  writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'gitops-workbench-code-server', private: true }, null, 2)}\n`,
  );
  await npmStep(1, 'npm install code-server', dir, [
    'install',
    '--ignore-scripts',
    `code-server@${codeServerVersion}`,
  ]);
  await npmStep(2, 'npm install (lib/vscode)', vscodeDir, [
    'install',
    '--omit=dev',
    '--ignore-scripts',
  ]);

  progress(`code-server install 3/${total}: ripgrep from the system`);
  const rgBin = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  rmSync(path.join(rgBin, 'rg'), { force: true });
  symlinkSync('/usr/bin/rg', path.join(rgBin, 'rg'));

  // node-pty's own post-install reports an error after building; the addon is what matters.
  const ptyAddon = path.join(vscodeDir, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node');
  await npmStep(4, 'npm rebuild (lib/vscode)', vscodeDir, ['rebuild'], () => existsSync(ptyAddon));
  if (!existsSync(ptyAddon)) {
    throw new HarnessError('stepFailed', `npm rebuild (lib/vscode) did not build ${ptyAddon}.`);
  }

  progress(`code-server install 5/${total}: node_modules.asar link`);
  const asar = path.join(vscodeDir, 'node_modules.asar');
  rmSync(asar, { force: true });
  symlinkSync('node_modules', asar, 'junction');

  await npmStep(6, 'npm rebuild argon2', dir, ['rebuild', 'argon2']);
  if (!existsSync(entryOf(dir))) {
    throw new HarnessError('stepFailed', `the install finished but ${entryOf(dir)} is missing.`);
  }
}

/** Partial installs whose process is gone (an install that was interrupted) are deleted. */
function removeAbandonedInstalls(): void {
  const parent = cacheDir();
  const prefix = `code-server-${codeServerVersion}.`;
  for (const name of readdirSync(parent)) {
    const match = name.startsWith(prefix)
      ? /^(?:partial|stale)-(\d+)$/.exec(name.slice(prefix.length))
      : null;
    if (!match?.[1]) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && isAlive(pid)) continue;
    rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface CodeServerOptions {
  /** The folder to open (absolute). */
  folder: string;
  /** A VSIX to install into the fresh extensions dir before the server starts. */
  vsixPath?: string;
  /** Other extensions' VSIXs installed beside it (e.g. Red Hat's YAML extension). */
  otherVsixPaths?: readonly string[];
  /** An unpackaged extension to load as in "Run Extension" (passed in the workbench URL). */
  extensionDevelopmentPath?: string;
  /** false: the folder opens in restricted mode after the trust dialog. */
  trustWorkspace: boolean;
  userDataDir?: string;
  port?: number;
  /** Merged over `quietUserSettings` (e.g. a colour theme for screenshots). */
  userSettings?: Readonly<Record<string, unknown>>;
  /** Where the server's output goes; default `<cache>/logs/code-server-<port>.log`. */
  logPath?: string;
  /** Cancels the start and, once started, stops the server (as `stop()` does). */
  signal?: AbortSignal;
}

export interface RunningCodeServer {
  url: string;
  /** The URL that opens `folder` in the workbench. */
  folderUrl: string;
  logPath: string;
  /** Settles when the server exits, by `stop()` or on its own. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Settings that keep a fresh profile quiet: no welcome page, walkthroughs, telemetry or updates. */
export const quietUserSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  'security.workspace.trust.untrustedFiles': 'open',
  'window.restoreWindows': 'none',
};

/** Starts code-server for one folder with a fresh profile; resolves once it answers HTTP. */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const { entry } = await ensureCodeServer({ signal: options.signal });
  const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'gitops-workbench-code-server-'));
  const userDataDir = options.userDataDir ?? path.join(tempRoot, 'user-data');
  const extensionsDir = path.join(tempRoot, 'extensions');
  const port = options.port ?? (await freePort());
  const logPath = options.logPath ?? path.join(logsDir(), `code-server-${port}.log`);
  mkdirSync(path.dirname(logPath), { recursive: true });
  writeFileSync(logPath, `code-server ${codeServerVersion} for ${options.folder}\n`);
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    `${JSON.stringify({ ...quietUserSettings, ...options.userSettings }, null, 2)}\n`,
  );
  const configPath = path.join(tempRoot, 'config.yaml');
  writeFileSync(configPath, 'auth: none\n');
  const common = [
    '--config',
    configPath,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  const env = cleanChildEnv();
  delete env['PORT']; // code-server would let it override --bind-addr
  try {
    for (const vsix of [
      ...(options.vsixPath ? [options.vsixPath] : []),
      ...(options.otherVsixPaths ?? []),
    ]) {
      await runLogged(
        process.execPath,
        [entry, ...common, '--force', '--install-extension', vsix],
        {
          step: `code-server --install-extension ${path.basename(vsix)}`,
          env,
          logPath,
          signal: options.signal,
          timeoutMs: 2 * 60_000,
        },
      );
    }
  } catch (error) {
    rmSync(tempRoot, { recursive: true, force: true });
    throw error;
  }

  const args = [
    entry,
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(options.trustWorkspace ? ['--disable-workspace-trust'] : []),
    options.folder,
  ];
  const logFd = openSync(logPath, 'a');
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', logFd, logFd],
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) {
    rmSync(tempRoot, { recursive: true, force: true });
    throw new HarnessError('stepFailed', `code-server could not be started; see ${logPath}.`);
  }
  const untrack = trackProcessGroup(pid, () => rmSync(tempRoot, { recursive: true, force: true }));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async (): Promise<void> => {
      killTree(pid, 'SIGTERM');
      const timer = setTimeout(() => killTree(pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      killTree(pid, 'SIGKILL'); // whatever the server left in its process group
      untrack();
      rmSync(tempRoot, { recursive: true, force: true });
    })();
    return stopped;
  };

  const onAbort = (): void => void stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  void exited.then(() => options.signal?.removeEventListener('abort', onAbort));

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, exited, options.signal, 60_000);
  } catch (error) {
    await stop();
    const reason = error instanceof HarnessError ? error.reason : 'stepFailed';
    const message = error instanceof Error ? error.message : String(error);
    throw new HarnessError(reason, `${message} Its output is in ${logPath}.`);
  }
  return { url, folderUrl: workbenchUrl(url, port, options), logPath, exited, stop };
}

function workbenchUrl(url: string, port: number, options: CodeServerOptions): string {
  const query = new URLSearchParams({ folder: options.folder });
  if (options.extensionDevelopmentPath) {
    const devUri = `vscode-remote://127.0.0.1:${port}${toPosixPath(path.resolve(options.extensionDevelopmentPath))}`;
    query.set('payload', JSON.stringify([['extensionDevelopmentPath', devUri]]));
  }
  return `${url}/?${query.toString().replace(/%2F/g, '/')}`;
}

function toPosixPath(file: string): string {
  const posix = file.split(path.sep).join('/');
  return posix.startsWith('/') ? posix : `/${posix}`;
}

/** Polls the URL until it answers 200, the server exits, or the time is up. */
async function waitForHttp(
  url: string,
  exited: Promise<number | null>,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new HarnessError('aborted', 'Starting code-server was cancelled.');
    if (exitCode !== undefined)
      throw new HarnessError('stepFailed', `code-server exited (${exitCode}) while starting.`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 200))]);
  }
  throw new HarnessError(
    'timeout',
    `code-server did not answer ${url} within ${timeoutMs / 1000} s.`,
  );
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() =>
          address && typeof address === 'object'
            ? resolve(address.port)
            : reject(new Error('no port')),
        );
      });
    });
  return preferred === undefined ? tryPort(0) : tryPort(preferred).catch(() => tryPort(0));
}
