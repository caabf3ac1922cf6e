// A short poll loop with a deadline, for states of the page that no single selector expresses
// (geometry, text of a given line). It re-reads the page; it never waits a fixed time for an event.
import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
  timeout: number;
  /** What is awaited, as a noun phrase ("an error squiggle on line 7"), for the error. */
  what: string;
  intervalMs?: number;
}

/**
 * Calls `probe` until it returns something other than `undefined`, and returns that; fails after
 * `timeout` ms with "waiting for <what> timed out after <timeout> ms (last seen: <seen>)", where
 * `seen` is what the last probe reported.
 */
export async function pollUntil<T>(
  probe: () => Promise<{ value?: T; seen: string }>,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeout;
  let seen = 'nothing';
  for (;;) {
    const result = await probe();
    if (result.value !== undefined) return result.value;
    seen = result.seen;
    if (Date.now() >= deadline) {
      throw new Error(
        `waiting for ${options.what} timed out after ${options.timeout} ms (last seen: ${seen})`,
      );
    }
    await delay(options.intervalMs ?? 100);
  }
}
