// Builds the pinned tools (tools/*/go.mod) with Go into a cache outside the work tree, once.
// Layout: <cache>/tools/<build>-<version>-<hash>/<binary>[.exe], <cache>/logs/<build>-<version>.log
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { ToolchainError, findGo, goEnv, requiredGoVersion } from './goToolchain';
import { ProcessError, lastLines, runProcess } from './processes';
import {
  buildOf,
  buildVersion,
  isToolName,
  readGoMod,
  toolBuilds,
  toolsDir,
  allTools,
} from './toolTable';
import type { ToolBuild, ToolName } from './toolTable';
import { defaultToolCacheDir } from '../../server/src/toolCache';

export { ToolchainError } from './goToolchain';
export type { ToolchainErrorReason } from './goToolchain';
export { allTools, isToolName, testTools } from './toolTable';
export type { ToolName } from './toolTable';

export interface ToolProgress {
  build: string;
  version: string;
  phase: 'cached' | 'building' | 'built';
  /** One line for a person, e.g. "building kubernetes v1.34.4 (812 packages compiled, 3 min)". */
  message: string;
}

export interface EnsureOptions {
  onProgress?: (progress: ToolProgress) => void;
  signal?: AbortSignal;
}

/** `$GITOPS_WORKBENCH_CACHE`, else the platform's user cache folder + gitops-workbench. */
export function toolCacheDir(): string {
  return defaultToolCacheDir();
}

function binaryName(tool: ToolName): string {
  return process.platform === 'win32' ? `${tool}.exe` : tool;
}

function wrapperDir(build: ToolBuild): string {
  return path.join(toolsDir, build.wrapper);
}

/**
 * Everything that changes the binaries: go.mod, go.sum, the wrapper's own Go files (an oracle's
 * main.go), packages, ldflags, target platform.
 */
function buildKey(build: ToolBuild, goMod: string, version: string): string {
  const hash = createHash('sha256')
    .update(goMod)
    .update(readFileSync(path.join(wrapperDir(build), 'go.sum')));
  for (const file of readdirSync(wrapperDir(build))
    .filter((name) => name.endsWith('.go'))
    .sort()) {
    hash.update(file).update(readFileSync(path.join(wrapperDir(build), file)));
  }
  const digest = hash
    .update(JSON.stringify([build.binaries, build.ldflags(version, goMod)]))
    .update(`${process.platform}/${process.arch}`)
    .digest('hex');
  return `${build.id}-${version}-${digest.slice(0, 10)}`;
}

function buildDir(build: ToolBuild): { dir: string; version: string } {
  const goMod = readGoMod(build);
  const version = buildVersion(build, goMod);
  return { dir: path.join(toolCacheDir(), 'tools', buildKey(build, goMod, version)), version };
}

function isBuilt(build: ToolBuild, dir: string): boolean {
  return build.binaries.every((binary) => existsSync(path.join(dir, binaryName(binary.tool))));
}

/** The path of a built tool; throws ToolchainError('notBuilt') when `ensureTools` has not run. */
export function toolPath(tool: ToolName): string {
  const build = buildOf(tool);
  if (!build) throw new ToolchainError('unknownTool', `Unknown tool ${tool}.`);
  const file = path.join(buildDir(build).dir, binaryName(tool));
  if (!existsSync(file)) {
    throw new ToolchainError('notBuilt', `${tool} is not built yet: run \`npm run tools\`.`);
  }
  return file;
}

/** The pinned version of a tool ("v1.34.4"). */
export function toolVersion(tool: ToolName): string {
  const build = buildOf(tool);
  if (!build) throw new ToolchainError('unknownTool', `Unknown tool ${tool}.`);
  return buildVersion(build);
}

/** The arguments that make `tool` print its version. */
export function toolVersionArgs(tool: ToolName): string[] {
  return buildOf(tool)?.versionArgs[tool] ?? ['--version'];
}

/**
 * Builds every tool of `names` (default: all) that is not in the cache yet, one build at a time
 * (each `go build` already uses every core). Resolves with the path of each requested tool.
 */
export async function ensureTools(
  names: readonly ToolName[] = allTools,
  options: EnsureOptions = {},
): Promise<Record<ToolName, string>> {
  for (const name of names) {
    if (!isToolName(name)) throw new ToolchainError('unknownTool', `Unknown tool ${String(name)}.`);
  }
  const builds = toolBuilds.filter((build) => build.binaries.some((b) => names.includes(b.tool)));
  const missing = builds.filter((build) => !isBuilt(build, buildDir(build).dir));
  for (const build of builds) {
    if (!missing.includes(build)) {
      const version = buildDir(build).version;
      const message = `${build.id} ${version} is in the cache`;
      options.onProgress?.({ build: build.id, version, phase: 'cached', message });
    }
  }
  if (missing.length > 0) {
    const go = await findGo(requiredGoVersion(missing.map(wrapperDir)), options.signal);
    for (const build of missing) await buildOne(build, go.command, options);
  }
  const paths: Partial<Record<ToolName, string>> = {};
  for (const name of names) paths[name] = toolPath(name);
  return paths as Record<ToolName, string>;
}

async function buildOne(build: ToolBuild, go: string, options: EnsureOptions): Promise<void> {
  const { dir, version } = buildDir(build);
  if (isBuilt(build, dir)) {
    // Another process (a parallel `npm run tools`) built it while earlier tools were building.
    const message = `${build.id} ${version} is in the cache`;
    options.onProgress?.({ build: build.id, version, phase: 'cached', message });
    return;
  }
  const goMod = readGoMod(build);
  const logDir = path.join(toolCacheDir(), 'logs');
  mkdirSync(logDir, { recursive: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  const logFile = path.join(logDir, `${build.id}-${version}.log`);
  const log = createWriteStream(logFile);
  const tmp = await mkdtemp(path.join(path.dirname(dir), `.tmp-${build.id}-`));
  const single = build.binaries.length === 1 && build.binaries[0];
  const output = single ? path.join(tmp, binaryName(single.tool)) : tmp + path.sep;
  const ldflags = ['-s', '-w', ...build.ldflags(version, goMod)].join(' ');
  const args = ['build', '-v', '-trimpath', `-ldflags=${ldflags}`, '-o', output];
  args.push(...build.binaries.map((binary) => binary.pkg));

  const started = Date.now();
  let packages = 0;
  const report = (phase: ToolProgress['phase'], detail: string): void => {
    const message = `${phase} ${build.id} ${version} ${detail}`;
    options.onProgress?.({ build: build.id, version, phase, message });
  };
  const elapsed = (): string => {
    const secs = Math.round((Date.now() - started) / 1000);
    return secs < 120 ? `${secs} s` : `${Math.floor(secs / 60)} min`;
  };
  report('building', `(log: ${logFile})`);
  const heartbeat = setInterval(
    () => report('building', `(${packages} packages compiled, ${elapsed()})`),
    30_000,
  );
  log.write(`# cwd: ${wrapperDir(build)}\n# ${go} ${args.join(' ')}\n`);
  try {
    await runProcess(go, args, {
      cwd: wrapperDir(build),
      env: goEnv(),
      timeoutMs: build.timeoutMs,
      signal: options.signal,
      onOutput: (chunk) => {
        log.write(chunk);
        packages += chunk.split('\n').filter((line) => /^[\w.-]+(\/[\w.~-]+)*$/.test(line)).length;
      },
    });
    if (!isBuilt(build, tmp)) throw new Error(`go build wrote no binaries into ${tmp}`);
    try {
      renameSync(tmp, dir);
    } catch (error) {
      // Another process finished the same build first: keep its copy.
      if (!isBuilt(build, dir)) throw error;
      rmSync(tmp, { recursive: true, force: true });
    }
    log.write(`\n# built in ${elapsed()}\n`);
    report('built', `in ${elapsed()}`);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw buildError(build, version, logFile, error);
  } finally {
    clearInterval(heartbeat);
    await new Promise<void>((resolve) => log.end(resolve));
  }
}

function buildError(build: ToolBuild, version: string, logFile: string, error: unknown): Error {
  if (error instanceof ProcessError && error.reason === 'aborted') {
    return new ToolchainError('aborted', `Building ${build.id} ${version} was cancelled.`, logFile);
  }
  if (error instanceof ProcessError && error.reason === 'timeout') {
    const mins = Math.round(build.timeoutMs / 60_000);
    const text = `Building ${build.id} ${version} took longer than ${mins} min; see ${logFile}.`;
    return new ToolchainError('timeout', text, logFile);
  }
  const detail = error instanceof ProcessError ? lastLines(error.output, 3) : String(error);
  const text = `Building ${build.id} ${version} failed (${detail}); the full log is ${logFile}.`;
  return new ToolchainError('buildFailed', text, logFile);
}
