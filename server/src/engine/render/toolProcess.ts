/**
 * Runs helm or kustomize without a shell, in a sealed environment (empty HOME and KUBECONFIG,
 * helm's cache and config in a temporary folder), under a time limit, a memory limit and an
 * AbortSignal; on any of them the whole process tree is killed.
 */
import { promises as fs, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killTree } from '../process/killTree';
import { SCRATCH_PREFIX } from './staleScratch';
import { watchMemory } from './memoryWatch';
import type { MemoryWatch } from './memoryWatch';
import { HELPER_STOPPED, ToolLauncher, launcherHelps, startDirectly } from './toolLauncher';
import type { StartedTool, ToolStart } from './toolLauncher';
import { toolQueue } from './toolQueue';
import { RenderFailure } from './types';

export const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * Memory limit of one helm or kustomize process tree. Real renders stay far below it (the charts
 * and overlays of the test repositories peak at 25-50 MB: room for inputs twenty times larger),
 * while an alias bomb or a string-doubling template has no end; and as many tools as cores may
 * run at once, so 1 GB each leaves a 2-core 7 GB CI runner room for everything else.
 */
export const DEFAULT_MEMORY_LIMIT_MB = 1024;
/** GOMEMLIMIT, the Go runtime's soft limit, as a share of the hard one: its GC works harder first. */
const GO_SOFT_LIMIT_SHARE = 0.75;
/**
 * GOGC of helm and kustomize. A run lives a fraction of a second and most of what it allocates
 * stays live to the end (the parsed inputs and the output), so the default's collections at
 * every doubling of a small heap are mostly wasted: 200 took 6-11% off `kustomize build` of every
 * unit of a 600-unit monorepo (three series of interleaved runs) and 3.5% off `check` of it. The
 * price is peak memory on large renders: `helm template` of 12,000 ConfigMaps peaked at 320 MB
 * instead of 238 MB (and used 23% less CPU); a monorepo unit's kustomize, 15 MB either way. The
 * soft limit caps the heap as before. Under a small memory limit its quarter of headroom is
 * tight for the binary and its stacks, so the default stays below GO_GC_MIN_LIMIT_MB.
 */
const GO_GC_PERCENT = 200;
const GO_GC_MIN_LIMIT_MB = 512;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface ToolRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface ToolRunOptions {
  cwd: string;
  /** A temporary folder owned by the caller; HOME, KUBECONFIG and HELM_* point inside it. */
  scratch: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Name shown in messages ("kustomize"). */
  label: string;
  /** What is rendered, for messages ("apps/web"). */
  subject?: string;
  /** Memory limit of the process tree in MB (default 1024); the tree is killed above it. */
  memoryLimitMB?: number;
  /** Folders of the sealed environment moved elsewhere (helm's chart cache into the tool cache). */
  envOverrides?: Readonly<Record<string, string>>;
}

/** How the Go runtime of helm and kustomize collects: see GO_GC_PERCENT and GO_SOFT_LIMIT_SHARE. */
export function goRuntimeEnv(memoryLimitMB = DEFAULT_MEMORY_LIMIT_MB): Record<string, string> {
  return {
    GOMEMLIMIT: `${Math.max(1, Math.floor(memoryLimitMB * GO_SOFT_LIMIT_SHARE))}MiB`,
    ...(memoryLimitMB >= GO_GC_MIN_LIMIT_MB ? { GOGC: String(GO_GC_PERCENT) } : {}),
  };
}

/** The environment every tool runs with: nothing of the user's home, cluster or helm repos. */
export function sealedEnv(
  scratch: string,
  memoryLimitMB = DEFAULT_MEMORY_LIMIT_MB,
): NodeJS.ProcessEnv {
  const home = path.join(scratch, 'home');
  const helm = path.join(scratch, 'helm');
  // Two folders and an empty file: synchronous calls cost a fraction of the promise round trips.
  mkdirSync(home, { recursive: true });
  mkdirSync(helm, { recursive: true });
  const kubeconfig = path.join(home, 'kubeconfig');
  writeFileSync(kubeconfig, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    USERPROFILE: home,
    KUBECONFIG: kubeconfig,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    HELM_CACHE_HOME: path.join(helm, 'cache'),
    HELM_CONFIG_HOME: path.join(helm, 'config'),
    HELM_DATA_HOME: path.join(helm, 'data'),
    HELM_REPOSITORY_CONFIG: path.join(helm, 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: path.join(helm, 'repository'),
    HELM_REGISTRY_CONFIG: path.join(helm, 'registry.json'),
    HELM_PLUGINS: path.join(helm, 'plugins'),
    TMPDIR: scratch,
    ...goRuntimeEnv(memoryLimitMB),
  };
  for (const name of [
    'SYSTEMROOT',
    'TEMP',
    'TMP',
    'LANG',
    'HTTPS_PROXY',
    'HTTP_PROXY',
    'NO_PROXY',
  ]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Runs `command args`; resolves with its output whatever its exit code, rejects on limits. */
export async function runTool(
  command: string,
  args: string[],
  options: ToolRunOptions,
): Promise<ToolRun> {
  return toolQueue.run(() => runNow(command, args, options), options.signal);
}

async function runNow(command: string, args: string[], options: ToolRunOptions): Promise<ToolRun> {
  options.signal?.throwIfAborted();
  const memoryLimitMB = options.memoryLimitMB ?? DEFAULT_MEMORY_LIMIT_MB;
  const env = { ...sealedEnv(options.scratch, memoryLimitMB), ...options.envOverrides };
  return new Promise<ToolRun>((resolve, reject) => {
    let pid: number | undefined;
    let memory: MemoryWatch | undefined;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (failure: RenderFailure | undefined, run?: ToolRun): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      memory?.stop();
      options.signal?.removeEventListener('abort', onAbort);
      if (failure) {
        if (pid !== undefined && child.running) killTree(pid);
        reject(failure);
      } else if (run) {
        resolve(run);
      }
    };
    const timer = setTimeout(() => {
      finish(
        new RenderFailure({
          reason: 'timeout',
          message: `${options.label} did not finish within ${Number((options.timeoutMs / 1000).toFixed(1))} s and was stopped: check the unit for very large inputs or a hanging plugin, or raise the time limit.`,
        }),
      );
    }, options.timeoutMs);
    const onAbort = (): void => {
      finish(
        new RenderFailure({
          reason: 'cancelled',
          message: `The ${options.label} render was cancelled.`,
        }),
      );
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const collect = (chunks: Buffer[], chunk: Buffer): void => {
      if (settled) return;
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) {
        finish(
          new RenderFailure({
            reason: 'failed',
            message: `${options.label} wrote more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB, so the render was stopped: render a smaller unit.`,
          }),
        );
        return;
      }
      chunks.push(chunk);
    };
    const start: ToolStart = {
      command,
      args,
      cwd: options.cwd,
      env,
      detached: process.platform !== 'win32',
      maxOutputBytes: MAX_OUTPUT_BYTES,
    };
    const child: StartedTool = startTool(start, {
      pid: (started) => {
        // Through the helper the pid comes a moment after the start: a render cancelled or
        // timed out meanwhile stops the tool now.
        if (settled) {
          killTree(started);
          return;
        }
        pid = started;
        // Its callback runs on a later tick, once `finish` exists.
        memory = watchMemory(started, memoryLimitMB * 1024, () => {
          finish(
            new RenderFailure({
              reason: 'memory',
              message: `${options.label} used more than ${memoryLimitMB} MB${options.subject ? ` rendering ${options.subject}` : ''} and was stopped: look for a YAML alias bomb or a template that builds huge values, or raise the memory limit.`,
              hint: 'memoryLimit',
            }),
          );
        });
      },
      output: (stream, chunk) => collect(stream === 'stdout' ? out : err, chunk),
      error: (error) => {
        if (error.code === HELPER_STOPPED) {
          finish(
            new RenderFailure({
              reason: 'failed',
              message: `The process that started ${options.label} stopped while it ran${options.subject ? ` for ${options.subject}` : ''}: render again.`,
            }),
          );
          return;
        }
        finish(
          new RenderFailure({
            reason: error.code === 'ENOENT' || error.code === 'EACCES' ? 'binaryMissing' : 'failed',
            message: `${options.label} could not be started (${error.code ?? error.message}): check the path to ${options.label.split(' ')[0] ?? options.label}.`,
            hint: options.label.startsWith('helm') ? 'helmPath' : 'kustomizePath',
          }),
        );
      },
      close: (code) => {
        finish(undefined, {
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          code,
        });
      },
    });
  });
}

const launcher = launcherHelps() ? new ToolLauncher() : undefined;

/** Whether tools now start through the helper process (once it has started). */
export function toolsStartFromHelper(): boolean {
  return launcher?.helperReady === true;
}

/** Starts a tool through the helper process where it helps (see toolLauncher.ts), else here. */
function startTool(start: ToolStart, events: Parameters<typeof startDirectly>[1]): StartedTool {
  return launcher ? launcher.start(start, events) : startDirectly(start, events);
}

/** A fresh temporary folder for one render (one synchronous call); see `removeScratch`. */
export function makeScratch(): string {
  return mkdtempSync(path.join(os.tmpdir(), SCRATCH_PREFIX));
}

/**
 * Removes a scratch folder. A `small` one (a mirror of a few dozen files) is removed with
 * synchronous calls, a quarter of the CPU of the promise-based walk (see `writeMirror`); a
 * larger one without blocking the event loop.
 */
export async function removeScratch(scratch: string, small = false): Promise<void> {
  if (small) {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    return;
  }
  await fs.rm(scratch, { recursive: true, force: true, maxRetries: 3 });
}
