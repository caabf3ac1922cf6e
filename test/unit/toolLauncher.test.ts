import assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { killTree } from '../../server/src/engine/process/killTree';
import { runTool, toolsStartFromHelper } from '../../server/src/engine/render/toolProcess';
import {
  HELPER_STOPPED,
  ToolLauncher,
  launcherHelps,
} from '../../server/src/engine/render/toolLauncher';
import type { ToolEvents, ToolStart } from '../../server/src/engine/render/toolLauncher';

/** What a tool run reported, in order. */
interface Heard {
  pid?: number;
  stdout: string;
  stderr: string;
  error?: { code?: string; message: string };
  code?: number | null;
  order: string[];
}

function run(
  launcher: ToolLauncher,
  start: ToolStart,
  onPid?: (pid: number) => void,
): Promise<Heard> {
  return new Promise((resolve) => {
    const heard: Heard = { stdout: '', stderr: '', order: [] };
    const events: ToolEvents = {
      pid: (pid) => {
        heard.pid = pid;
        heard.order.push('pid');
        onPid?.(pid);
      },
      output: (stream, chunk) => {
        heard[stream] += chunk.toString('utf8');
        if (heard.order.at(-1) !== stream) heard.order.push(stream);
      },
      error: (error) => {
        heard.error = error;
        heard.order.push('error');
        resolve(heard);
      },
      close: (code) => {
        heard.code = code;
        heard.order.push('close');
        resolve(heard);
      },
    };
    launcher.start(start, events);
  });
}

const node = (script: string): ToolStart => ({
  command: process.execPath,
  args: ['-e', script],
  cwd: process.cwd(),
  env: { PATH: process.env['PATH'] ?? '', GREETING: 'hello' },
  detached: process.platform !== 'win32',
  maxOutputBytes: 64 * 1024 * 1024,
});

async function ready(launcher: ToolLauncher): Promise<void> {
  // The first start goes directly and starts the helper; later ones wait for it.
  await run(launcher, node(''));
  for (let waited = 0; !launcher.helperReady; waited += 20) {
    assert.ok(waited < 10_000, 'the helper process did not start within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ToolLauncher (tools started from a helper process)', () => {
  // The helper ends with this process: nothing to stop after the tests.
  const launcher = new ToolLauncher();

  it('is used where libuv forks the whole process', () => {
    assert.equal(launcherHelps('linux'), true);
    assert.equal(launcherHelps('darwin'), false);
    assert.equal(launcherHelps('win32'), false);
  });

  it('runs a tool through the helper: its pid, output, environment, folder and exit code', async () => {
    await ready(launcher);
    const heard = await run(
      launcher,
      node(
        'process.stdout.write(process.env.GREETING + " " + process.cwd() + " " + process.ppid + "\\n" + "x".repeat(200000));' +
          'process.stderr.write("warned");process.exitCode = 3',
      ),
    );
    assert.equal(launcher.helperReady, true);
    assert.equal(heard.error, undefined);
    assert.equal(heard.code, 3);
    assert.ok(heard.pid !== undefined && heard.pid !== process.pid);
    assert.equal(heard.order[0], 'pid');
    assert.equal(heard.order.at(-1), 'close');
    // Its parent is the helper, not this process.
    const ppid = /^hello (.*) (\d+)\n/.exec(heard.stdout);
    assert.equal(ppid?.[1], process.cwd());
    assert.notEqual(Number(ppid?.[2]), process.pid);
    assert.equal(heard.stdout.slice(heard.stdout.indexOf('\n') + 1), 'x'.repeat(200000));
    assert.equal(heard.stderr, 'warned');
  });

  it('reports a command that does not exist as ENOENT', async () => {
    await ready(launcher);
    const heard = await run(launcher, { ...node(''), command: '/nonexistent/kustomize' });
    assert.equal(heard.error?.code, 'ENOENT');
  });

  it('lets the caller stop a tool by its pid, as a time limit does', async () => {
    await ready(launcher);
    const started = Date.now();
    const heard = await run(launcher, node('setTimeout(() => {}, 60_000)'), (pid) =>
      setTimeout(() => killTree(pid), 100),
    );
    assert.ok(Date.now() - started < 30_000, 'the tool was not stopped');
    assert.notEqual(heard.code, 0);
  });

  it('stops the tools of a helper that stops, reports them, and starts later tools directly', async () => {
    const own = new ToolLauncher();
    await ready(own);
    let toolPid: number | undefined;
    const heard = await run(own, node('setTimeout(() => {}, 60_000)'), (pid) => {
      toolPid = pid;
      own.stop();
    });
    assert.equal(heard.error?.code, HELPER_STOPPED);
    assert.ok(toolPid !== undefined);
    for (let waited = 0; isAlive(toolPid); waited += 20) {
      assert.ok(waited < 10_000, 'the tool of the stopped helper still runs');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(own.helperReady, false);
    const after = await run(own, node('process.stdout.write("direct")'));
    assert.equal(after.stdout, 'direct');
    assert.equal(after.code, 0);
  });

  it('passes on no more output than the limit, and the chunk that crosses it', async () => {
    await ready(launcher);
    const heard = await run(launcher, {
      ...node('const b = "y".repeat(65536); for (let i = 0; i < 200; i++) process.stdout.write(b)'),
      maxOutputBytes: 100_000,
    });
    assert.equal(heard.code, 0);
    assert.ok(heard.stdout.length > 100_000, `only ${heard.stdout.length} bytes`);
    assert.ok(heard.stdout.length <= 100_000 + 65536, `${heard.stdout.length} bytes`);
  });

  it('stops a tool whose render is cancelled before its pid comes back from the helper', async () => {
    const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-workbench-launcher-test-'));
    try {
      const options = { cwd: scratch, scratch, timeoutMs: 30_000, label: 'kustomize' };
      await runTool(process.execPath, ['-e', ''], options);
      for (let waited = 0; !toolsStartFromHelper(); waited += 20) {
        assert.ok(waited < 10_000, 'the helper process did not start within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const pidFile = path.join(scratch, 'pid');
      const controller = new AbortController();
      const cancelled = runTool(
        process.execPath,
        [
          '-e',
          `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`,
        ],
        { ...options, signal: controller.signal },
      );
      // The start is on its way to the helper; its pid is not back yet.
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      await assert.rejects(cancelled, /cancelled/);
      // Stopped as soon as its pid came back, it usually dies before it can write the file;
      // if it wrote it, it must die anyway. Left running, it writes it and stays.
      let pid: number | undefined;
      for (let waited = 0; pid === undefined ? waited < 2_000 : isAlive(pid); waited += 20) {
        assert.ok(waited < 10_000, `the cancelled tool ${pid} still runs`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        pid ??= await fs.readFile(pidFile, 'utf8').then(Number, () => undefined);
      }
    } finally {
      await fs.rm(scratch, { recursive: true, force: true });
    }
  });
});

/** Whether `pid` runs (a killed process nobody has reaped yet does not). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}
