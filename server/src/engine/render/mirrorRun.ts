import * as path from 'node:path';
import { makeScratch, removeScratch, runTool } from './toolProcess';
import { toolFailure } from './toolErrors';
import type { ErrorPaths } from './toolErrors';
import { RenderFailure } from './types';
import { writeMirror } from './workspaceMirror';
import type { MirrorFiles } from './workspaceMirror';

export interface MirrorRunOptions {
  readonly label: 'helm' | 'kustomize';
  /** What is rendered, for messages: the unit's name. */
  readonly subject: string;
  readonly timeoutMs: number;
  readonly memoryLimitMB?: number;
  readonly signal?: AbortSignal;
  /** The tool's arguments, given where the mirror was written. */
  readonly args: (tempRoot: string) => string[];
  /** What a failure message maps back to the workspace, besides the two roots. */
  readonly errorPaths: (tempRoot: string) => Omit<ErrorPaths, 'tempRoot'>;
}

/**
 * Writes the mirror into a fresh scratch folder, runs helm or kustomize on it and returns its
 * output; a non-zero exit becomes a RenderFailure whose message names workspace paths. The
 * scratch folder is removed whatever happens.
 */
export async function runOnMirror(
  binary: string,
  mirror: MirrorFiles,
  options: MirrorRunOptions,
): Promise<string> {
  const scratch = await makeScratch();
  try {
    const tempRoot = path.join(scratch, 'workspace');
    await writeMirror(mirror, tempRoot);
    const run = await runTool(binary, options.args(tempRoot), {
      cwd: tempRoot,
      scratch,
      timeoutMs: options.timeoutMs,
      label: options.label,
      subject: options.subject,
      ...(options.memoryLimitMB ? { memoryLimitMB: options.memoryLimitMB } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (run.code !== 0) {
      throw new RenderFailure(
        toolFailure(
          options.label,
          run.stderr,
          run.code,
          { tempRoot, ...options.errorPaths(tempRoot) },
          mirror,
        ),
      );
    }
    return run.stdout;
  } finally {
    await removeScratch(scratch);
  }
}
