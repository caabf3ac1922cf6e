/**
 * `npm run bench:memory`: how well the memory limit of helm and kustomize holds (Linux).
 *
 * 1. Overshoot: a fast allocator (Node filling 16 MB buffers), helm doubling a string in a
 *    template and kustomize expanding an alias bomb are run through the real tool runner under
 *    limits of 256, 512 and 1024 MB; an independent witness reads the kernel's high-water mark
 *    (VmHWM) every 2 ms. Printed: the peak, how far above the limit, how fast the process was
 *    allocating, and how long after passing the limit it was killed (the overshoot on a faster
 *    machine is about its allocation rate times that time).
 * 2. Cost of sampling: the CPU this process spends watching an idle kustomize (all its Go threads
 *    up) for 10 s at the Linux interval (50 ms), against 10 s of not watching.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { watchMemory } from '../../server/src/engine/render/memoryWatch';
import { linuxTreeRssKB, sampleIntervalMs } from '../../server/src/engine/render/processMemory';
import { makeScratch, removeScratch, runTool } from '../../server/src/engine/render/toolProcess';
import { RenderFailure } from '../../server/src/engine/render/types';
import { ensureTools } from '../harness/toolchain';
import { watchPeakMemory } from '../harness/peakMemory';

const LIMITS_MB = [256, 512, 1024];
const SAFETY_NET_KB = 3 * 1024 * 1024;

interface Case {
  readonly name: string;
  /** The process name the witness sees. */
  readonly processName: string;
  /** Writes the inputs into `dir`; returns the command and its arguments. */
  prepare(dir: string): Promise<{ command: string; args: string[] }>;
}

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
}

function cases(helm: string, kustomize: string): Case[] {
  const bomb = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: lol',
    'data:',
    '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ...Array.from(
      { length: 8 },
      (_, i) => `  a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`,
    ),
    '',
  ].join('\n');
  return [
    {
      name: 'node filling 16 MB buffers',
      processName: 'node',
      prepare: () =>
        Promise.resolve({
          command: process.execPath,
          args: [
            '--max-old-space-size=16384',
            '-e',
            'const keep = []; for (;;) keep.push(Buffer.alloc(16 * 1024 * 1024, 1));',
          ],
        }),
    },
    {
      name: 'helm: template doubling a string',
      processName: 'helm',
      prepare: async (dir) => {
        await write(dir, {
          'chart/Chart.yaml': 'apiVersion: v2\nname: doubler\nversion: 0.1.0\n',
          'chart/templates/cm.yaml':
            '{{- $s := "0123456789abcdef" }}{{- range $i := until 40 }}{{- $s = print $s $s }}{{- end }}\nx: {{ $s | quote }}\n',
        });
        return { command: helm, args: ['template', 'doubler', path.join(dir, 'chart')] };
      },
    },
    {
      name: 'kustomize: alias bomb in a resource',
      processName: 'kustomize',
      prepare: async (dir) => {
        await write(dir, {
          'bomb/kustomization.yaml': 'resources:\n  - configmap.yaml\n',
          'bomb/configmap.yaml': bomb,
        });
        return { command: kustomize, args: ['build', path.join(dir, 'bomb')] };
      },
    },
  ];
}

async function overshoot(testCase: Case, limitMB: number): Promise<string> {
  const scratch = makeScratch();
  try {
    const { command, args } = await testCase.prepare(path.join(scratch, 'inputs'));
    const witness = watchPeakMemory(SAFETY_NET_KB, { markKB: limitMB * 1024 });
    const started = performance.now();
    let reason = 'finished';
    try {
      await runTool(command, args, {
        cwd: scratch,
        scratch,
        timeoutMs: 300_000,
        label: testCase.processName,
        memoryLimitMB: limitMB,
      });
    } catch (error) {
      reason = error instanceof RenderFailure ? error.error.reason : String(error);
    }
    const seconds = (performance.now() - started) / 1000;
    const seen = witness.stop();
    const name = testCase.processName;
    const peakMB = (seen.peakKB.get(name) ?? 0) / 1024;
    const crossed = seen.crossedAt.get(name);
    const lastSeen = seen.lastSeenAt.get(name);
    // From the first sight above the limit to the last sight alive: the witness samples every
    // 2 ms, so this is the reaction time within about 4 ms.
    const reactionMs = crossed !== undefined && lastSeen !== undefined ? lastSeen - crossed : NaN;
    return (
      `${testCase.name.padEnd(36)} limit ${String(limitMB).padStart(4)} MB: ${reason}, ` +
      `peak ${peakMB.toFixed(0)} MB (+${(peakMB - limitMB).toFixed(0)} MB) after ${seconds.toFixed(1)} s ` +
      `(~${(peakMB / seconds).toFixed(0)} MB/s), killed ${reactionMs.toFixed(0)} ms after passing the limit`
    );
  } finally {
    await removeScratch(scratch);
  }
}

/**
 * An idle kustomize: `kustomize build` of a resource that is a FIFO nobody writes to, so the Go
 * runtime's threads are all there while it waits.
 */
async function idleKustomize(kustomize: string, dir: string): Promise<ChildProcess> {
  await write(dir, { 'kustomization.yaml': 'resources:\n  - waiting.yaml\n' });
  execFileSync('mkfifo', [path.join(dir, 'waiting.yaml')]);
  const child = spawn(kustomize, ['build', dir], { stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start kustomize');
  // Ready once its threads exist (the Go runtime starts several before main).
  for (let tries = 0; tries < 100; tries++) {
    if ((await fs.readdir(`/proc/${pid}/task`).catch(() => [])).length >= 4) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

async function samplingCost(kustomize: string, seconds: number): Promise<string> {
  const scratch = makeScratch();
  const idle = await idleKustomize(kustomize, path.join(scratch, 'idle'));
  const pid = idle.pid as number;
  try {
    const threads = (await fs.readdir(`/proc/${pid}/task`)).length;
    const measure = async (watch: boolean): Promise<number> => {
      const before = process.cpuUsage();
      const watcher = watch
        ? watchMemory(pid, Number.MAX_SAFE_INTEGER, () => undefined)
        : undefined;
      const keepAlive = setInterval(() => undefined, 1000);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      clearInterval(keepAlive);
      watcher?.stop();
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    };
    const baseline = await measure(false);
    const watched = await measure(true);
    const samples = Math.floor((seconds * 1000) / sampleIntervalMs());
    const perSampleUs = Math.max(0, ((watched - baseline) * 1000) / samples);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) linuxTreeRssKB(pid);
    const directUs = performance.now() - started;
    return (
      `sampling an idle kustomize (${threads} threads) every ${sampleIntervalMs()} ms for ${seconds} s: ` +
      `${(watched - baseline).toFixed(0)} ms CPU above a ${baseline.toFixed(0)} ms baseline ` +
      `(${perSampleUs.toFixed(0)} µs a sample, ${((watched - baseline) / (seconds * 10)).toFixed(2)}% of a core); ` +
      `one read of its tree alone: ${directUs.toFixed(0)} µs`
    );
  } finally {
    idle.kill('SIGKILL');
    await removeScratch(scratch);
  }
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') {
    console.log('bench:memory measures with /proc: run it on Linux.');
    return;
  }
  const tools = await ensureTools(['helm', 'kustomize']);
  console.log(await samplingCost(tools.kustomize, 10));
  if (process.argv.includes('--cost-only')) return;
  for (const testCase of cases(tools.helm, tools.kustomize)) {
    for (const limit of LIMITS_MB) console.log(await overshoot(testCase, limit));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
