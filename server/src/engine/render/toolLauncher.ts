/**
 * Starts helm and kustomize from a small helper process on Linux. There libuv starts a process
 * with `fork`, whose cost grows with the memory of the process that forks, and the calling thread
 * waits until the tool has replaced the copy: from a 240 MB server or CLI a start blocked the
 * thread 18 ms and cost 8 ms of system time, against 6 ms and 3 ms from a 50 MB helper. A
 * monorepo's `check` starts one tool per unit, so at 2,000 units the starts alone took 28 s of
 * the thread.
 *
 * The helper is Node itself (`process.execPath`, as a plain Node process in Electron too) running
 * the fixed source below: it takes a command, its arguments, folder and environment over the IPC
 * channel, starts it exactly as a direct start would (no shell, its own process group), and sends
 * back its pid, its output and its exit. Nothing a repository holds reaches the helper but the
 * arguments the caller would have given the tool anyway. Limits, time-outs and killing stay with
 * the caller, which knows the pid. The helper is started with the first tool and used once it is
 * ready (tools started meanwhile start directly); it ends when its parent does.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptionsWithStdioTuple } from 'node:child_process';
import { killTree } from '../process/killTree';

/** How a tool is started; the same for a direct start and through the helper. */
export interface ToolStart {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly detached: boolean;
  /**
   * Output bytes (stdout and stderr) passed on at most; the chunk that goes past it is passed
   * on too, so the caller sees the limit crossed and stops the tool.
   */
  readonly maxOutputBytes: number;
}

/** What the caller hears of a started tool, in order: pid, output, then an error or the close. */
export interface ToolEvents {
  pid(pid: number): void;
  output(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  error(error: { code?: string; message: string }): void;
  close(code: number | null): void;
}

/** A started tool: whether it still runs (as `exitCode === null` of a ChildProcess). */
export interface StartedTool {
  readonly running: boolean;
}

/** How a tool process is started, here and in the helper alike: no shell, output piped. */
function spawnOptions(start: ToolStart): SpawnOptionsWithStdioTuple<'ignore', 'pipe', 'pipe'> {
  return {
    cwd: start.cwd,
    env: start.env,
    shell: false,
    detached: start.detached,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  };
}

/** Starts the tool in this process, as `spawn` does. */
export function startDirectly(start: ToolStart, events: ToolEvents): StartedTool {
  const child = spawn(start.command, [...start.args], spawnOptions(start));
  if (child.pid !== undefined) events.pid(child.pid);
  child.stdout.on('data', (chunk: Buffer) => events.output('stdout', chunk));
  child.stderr.on('data', (chunk: Buffer) => events.output('stderr', chunk));
  child.on('error', (error: NodeJS.ErrnoException) =>
    events.error({ ...(error.code ? { code: error.code } : {}), message: error.message }),
  );
  child.on('close', (code) => events.close(code));
  return {
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
  };
}

/**
 * The helper's whole source: run with `node -e`, so it needs no file of its own. It reads a
 * tool's output no faster than the channel takes it (a stream is paused while the channel is
 * behind) and passes on at most the caller's limit; when its parent goes, it stops its tools.
 */
const HELPER_SOURCE = `
const { spawn } = require('node:child_process');
const running = new Set();
process.on('disconnect', () => {
  for (const child of running) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { try { child.kill('SIGKILL'); } catch {} }
  }
  process.exit(0);
});
process.on('message', (m) => {
  const send = (message, streams) => {
    if (!process.connected) return;
    const flowing = process.send({ id: m.id, ...message }, () => streams?.forEach((s) => s.resume()));
    if (!flowing) streams?.forEach((s) => s.pause());
  };
  let child;
  try {
    child = spawn(m.command, m.args, m.options);
  } catch (error) {
    send({ error: { code: error.code, message: String(error.message) } });
    return;
  }
  if (child.pid !== undefined) { running.add(child); send({ pid: child.pid }); }
  let bytes = 0;
  const pass = (name) => (chunk) => {
    if (bytes > m.maxOutputBytes) return;
    bytes += chunk.length;
    send({ [name]: chunk }, [child.stdout, child.stderr]);
  };
  child.stdout.on('data', pass('stdout'));
  child.stderr.on('data', pass('stderr'));
  child.on('error', (error) => { running.delete(child); send({ error: { code: error.code, message: String(error.message) } }); });
  child.on('close', (code) => { running.delete(child); send({ close: code }); });
});
process.send({ ready: true });
`;

/** The error code of a tool whose helper process stopped while it ran. */
export const HELPER_STOPPED = 'HELPER_STOPPED';

interface LaunchedTool {
  readonly events: ToolEvents;
  running: boolean;
  pid?: number;
}

interface HelperMessage {
  readonly id?: number;
  readonly ready?: boolean;
  readonly pid?: number;
  readonly stdout?: Uint8Array;
  readonly stderr?: Uint8Array;
  readonly error?: { code?: string; message: string };
  readonly close?: number | null;
}

const toBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The helper process and the tools it runs for this one. */
export class ToolLauncher {
  private helper: ChildProcess | undefined;
  private ready = false;
  private failed = false;
  private nextId = 0;
  private readonly tools = new Map<number, LaunchedTool>();

  /** Starts `start` through the helper once it is ready, else directly (and starts the helper). */
  start(start: ToolStart, events: ToolEvents): StartedTool {
    if (!this.ready || !this.helper?.connected) {
      this.startHelper();
      return startDirectly(start, events);
    }
    const id = this.nextId++;
    const tool: LaunchedTool = { events, running: true };
    this.tools.set(id, tool);
    this.helper.channel?.ref();
    this.helper.send({
      id,
      command: start.command,
      args: start.args,
      options: spawnOptions(start),
      maxOutputBytes: start.maxOutputBytes,
    });
    return tool;
  }

  /** Stops the helper: its running tools are stopped and reported failed (see `lose`). */
  stop(): void {
    this.helper?.kill();
  }

  /** Whether tools now start through the helper. */
  get helperReady(): boolean {
    return this.ready && this.helper?.connected === true;
  }

  private startHelper(): void {
    if (this.helper || this.failed) return;
    // Electron's binary runs as Node only when told, as the language server itself does; the
    // helper is plain Node whatever options this process was started with.
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    delete env['NODE_OPTIONS'];
    let helper: ChildProcess;
    try {
      helper = spawn(process.execPath, ['-e', HELPER_SOURCE], {
        env,
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        serialization: 'advanced',
        shell: false,
        windowsHide: true,
      });
    } catch {
      // libuv refused the start (out of memory): tools keep starting directly.
      this.failed = true;
      return;
    }
    this.helper = helper;
    // The helper must not keep this process alive: it ends when this one disconnects.
    helper.unref();
    helper.channel?.unref();
    helper.on('message', (message: HelperMessage) => this.receive(message));
    const lost = (): void => this.lose();
    helper.on('error', lost);
    helper.on('exit', lost);
    helper.on('disconnect', lost);
  }

  private receive(message: HelperMessage): void {
    if (message.ready) {
      this.ready = true;
      return;
    }
    const tool = message.id === undefined ? undefined : this.tools.get(message.id);
    if (!tool) return;
    if (message.pid !== undefined) {
      tool.pid = message.pid;
      tool.events.pid(message.pid);
    }
    if (message.stdout) tool.events.output('stdout', toBuffer(message.stdout));
    if (message.stderr) tool.events.output('stderr', toBuffer(message.stderr));
    if (message.error) {
      tool.running = false;
      this.tools.delete(message.id as number);
      tool.events.error(message.error);
    } else if (message.close !== undefined) {
      tool.running = false;
      this.tools.delete(message.id as number);
      tool.events.close(message.close);
    }
    // While tools run through it, the channel keeps this process alive to hear them end.
    if (this.tools.size === 0) this.helper?.channel?.unref();
    else this.helper?.channel?.ref();
  }

  /**
   * The helper is gone: its tools, whose output nobody reads now, are stopped and reported
   * failed; later ones start directly.
   */
  private lose(): void {
    this.ready = false;
    this.failed = true;
    const tools = [...this.tools.values()];
    this.tools.clear();
    for (const tool of tools) {
      tool.running = false;
      killTree(tool.pid);
      tool.events.error({ code: HELPER_STOPPED, message: 'the process that started it stopped' });
    }
  }
}

/** Whether tools should start through the helper: where libuv forks (Linux). */
export function launcherHelps(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux';
}
