/**
 * A bound on how many helm and kustomize processes run at once, so a burst of renders (every
 * unit of a large repo, or fast typing) queues instead of starting dozens of processes.
 */
import * as os from 'node:os';
import { BoundedQueue } from '../process/boundedQueue';
import { RenderFailure } from './types';

/** The render tools' queue: a waiting render whose signal aborts fails as 'cancelled'. */
export class ToolQueue extends BoundedQueue {
  constructor(limit: number) {
    super(
      limit,
      () =>
        new RenderFailure({
          reason: 'cancelled',
          message: 'The render was cancelled before it started.',
        }),
    );
  }
}

/** The queue every render shares: at most as many tool processes as cores, at least two. */
export const toolQueue = new ToolQueue(Math.max(2, os.availableParallelism()));
