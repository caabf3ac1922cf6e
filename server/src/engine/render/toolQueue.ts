/**
 * A bound on how many helm and kustomize processes run at once, so a burst of renders (every
 * unit of a large repo, or fast typing) queues instead of starting dozens of processes.
 */
import * as os from 'node:os';
import { RenderFailure } from './types';

export class ToolQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Runs `task` when a slot is free; rejects with 'cancelled' if `signal` aborts while waiting. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const start = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.running++;
        resolve();
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(start);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(
          new RenderFailure({
            reason: 'cancelled',
            message: 'The render was cancelled before it started.',
          }),
        );
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(start);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}

/** The queue every render shares: at most as many tool processes as cores, at least two. */
export const toolQueue = new ToolQueue(Math.max(2, os.availableParallelism()));
