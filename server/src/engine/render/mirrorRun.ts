import * as path from 'node:path';
import { makeScratch, removeScratch, runTool } from './toolProcess';
import { toolFailure } from './toolErrors';
import type { ErrorPaths } from './toolErrors';
import { RenderFailure } from './types';
import { isSmallMirror, writeMirror } from './workspaceMirror';
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
  /**
   * Arguments of a run of the same tool on the mirror before the main one (`helm dependency
   * update`), under the same time limit; it changes the mirror only.
   */
  readonly prepare?: (tempRoot: string) => string[] | undefined;
  /**
   * Checks the mirror after `prepare` changed it (charts it downloaded), before the main run;
   * throws to stop the render.
   */
  readonly inspect?: (tempRoot: string) => Promise<void>;
  /** Environment folders moved out of the scratch folder (see ToolRunOptions.envOverrides). */
  readonly envOverrides?: Readonly<Record<string, string>>;
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
  const scratch = makeScratch();
  let prepared = false;
  try {
    const tempRoot = path.join(scratch, 'workspace');
    await writeMirror(mirror, tempRoot);
    const started = Date.now();
    const run = async (args: string[], timeoutMs: number, preparing = false): Promise<string> => {
      const result = await runTool(binary, args, {
        cwd: tempRoot,
        scratch,
        timeoutMs,
        label: options.label,
        subject: options.subject,
        ...(options.memoryLimitMB ? { memoryLimitMB: options.memoryLimitMB } : {}),
        ...(options.envOverrides ? { envOverrides: options.envOverrides } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (result.code !== 0) {
        throw new RenderFailure(
          toolFailure(
            options.label,
            result.stderr,
            result.code,
            { tempRoot, ...options.errorPaths(tempRoot) },
            mirror,
            preparing ? result.stdout : '',
          ),
        );
      }
      return result.stdout;
    };
    const prepare = options.prepare?.(tempRoot);
    if (prepare) {
      prepared = true;
      await run(prepare, options.timeoutMs, true);
      // What the preparation brought into the mirror is checked before the main run reads it.
      await options.inspect?.(tempRoot);
    }
    // One time limit for the whole render, preparation included.
    return await run(
      options.args(tempRoot),
      Math.max(1, options.timeoutMs - (Date.now() - started)),
    );
  } finally {
    // What the tool added (helm's downloaded charts) makes a mirror large, not small.
    await removeScratch(scratch, isSmallMirror(mirror) && !prepared);
  }
}
