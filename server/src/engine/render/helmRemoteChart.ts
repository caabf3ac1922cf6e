/**
 * A remote chart (network rendering on) is first downloaded with `helm pull`, so its schemas are
 * checked like a workspace chart's before `helm template` reads it from the render mirror. The
 * download is kept for the session (`remoteCharts.ts`): the values findings read the same one.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RenderContext } from './renderContext';
import type { PulledChart, RemoteChartStore } from './remoteCharts';
import { toolArgs } from './toolArgs';
import type { ToolFlag } from './toolArgs';
import { toolFailure } from './toolErrors';
import { makeScratch, removeScratch, runTool } from './toolProcess';
import type { RemoteChart, RenderUnit } from './types';
import { RenderFailure } from './types';

/** Largest chart archive read into memory (helm itself refuses charts over 100 MiB unpacked). */
const MAX_CHART_BYTES = 32 * 1024 * 1024;

/** The chart operand of `helm pull` or `helm template` and its flags. */
export function remoteChartArgs(remote: RemoteChart): { chart: string; flags: ToolFlag[] } {
  const flags: ToolFlag[] = [];
  let chart: string;
  if (remote.repoUrl.startsWith('oci://')) {
    chart = remote.chart ? `${remote.repoUrl.replace(/\/$/, '')}/${remote.chart}` : remote.repoUrl;
  } else {
    chart = remote.chart;
    flags.push(['repo', remote.repoUrl]);
  }
  if (remote.version) flags.push(['version', remote.version]);
  return { chart, flags };
}

/** What a download needs of a render's context. */
export type PullContext = Pick<RenderContext, 'workspaceRoot' | 'timeoutMs' | 'signal'>;

/** The archive of `remote`: the one `store` kept from a download of this session, else `helm pull`'s. */
export function remoteChartArchive(
  store: RemoteChartStore,
  binary: string,
  remote: RemoteChart,
  unit: RenderUnit,
  context: PullContext,
): Promise<PulledChart> {
  const pulling = store.pull(remote, () => pullRemoteChart(binary, remote, unit, context));
  const signal = context.signal;
  if (!signal) return pulling;
  // A download another caller started does not hold up this caller's cancellation.
  return new Promise<PulledChart>((resolve, reject) => {
    const stop = (): void => reject(signal.reason as Error);
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    pulling.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** The chart archive `helm pull` downloads for `remote`: its file name and bytes. */
export async function pullRemoteChart(
  binary: string,
  remote: RemoteChart,
  unit: RenderUnit,
  context: PullContext,
): Promise<PulledChart> {
  const scratch = makeScratch();
  try {
    const destination = path.join(scratch, 'pull');
    await fs.mkdir(destination);
    const { chart, flags } = remoteChartArgs(remote);
    const run = await runTool(
      binary,
      toolArgs({
        subcommand: ['pull'],
        flags: [['destination', destination], ...flags],
        positional: [chart],
      }),
      {
        cwd: destination,
        scratch,
        timeoutMs: context.timeoutMs,
        label: 'helm pull',
        ...(context.signal ? { signal: context.signal } : {}),
      },
    );
    const failure = (message: string): RenderFailure =>
      new RenderFailure({
        reason: 'failed',
        message,
        ...(unit.definedIn ? { file: unit.definedIn.file, line: unit.definedIn.line } : {}),
      });
    if (run.code !== 0) {
      const error = toolFailure('helm pull', run.stderr, run.code, {
        tempRoot: scratch,
        workspaceRoot: context.workspaceRoot,
      });
      throw failure(error.message);
    }
    const archives = (await fs.readdir(destination)).filter((name) => name.endsWith('.tgz'));
    const name = archives.length === 1 ? (archives[0] as string) : '';
    const archive = name ? path.join(destination, name) : '';
    const size = archive ? (await fs.stat(archive)).size : 0;
    if (!archive || size > MAX_CHART_BYTES) {
      throw failure(
        `helm pull did not download one chart archive of at most ${MAX_CHART_BYTES / 1024 / 1024} MB: check the chart name, version and repository.`,
      );
    }
    return { name, bytes: await fs.readFile(archive) };
  } finally {
    await removeScratch(scratch);
  }
}
