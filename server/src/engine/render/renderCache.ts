/**
 * Render results keyed by a hash of every input file, the binary and the options, so an unchanged
 * unit is not rendered twice. Bounded in entries and in bytes, least recently used first out. With a disk store attached
 * (the language server's, in the extension's storage), a miss in memory is looked up on disk and
 * renders are kept there for the next session.
 */
import { createHash } from 'node:crypto';
import type { RenderStore } from './renderStore';
import type { RenderedResource } from './types';

export interface CachedRender {
  yaml: string;
  resources: RenderedResource[];
}

export class RenderCache {
  private readonly entries = new Map<string, CachedRender>();
  /** Renders under way in this process, by key. */
  private readonly running = new Map<string, Promise<CachedRender>>();
  private store: RenderStore | undefined;

  /** Characters of rendered YAML the entries hold (their parsed resources are in proportion). */
  private heldLength = 0;

  constructor(
    private readonly maxEntries = 64,
    /** At most this many characters of YAML are kept: one huge chart does not pin 64 of them. */
    private readonly maxLength = 16 * 1024 * 1024,
  ) {}

  /** Keeps renders on disk too, and answers misses from there. */
  attach(store: RenderStore | undefined): void {
    this.store = store;
  }

  /** The cache key of a render: input hash, binary identity and options. */
  static key(inputHash: string, binary: string, options: unknown): string {
    return createHash('sha256')
      .update(inputHash)
      .update('\0')
      .update(binary)
      .update('\0')
      .update(JSON.stringify(options))
      .digest('hex');
  }

  get(key: string): CachedRender | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry;
    }
    const stored = this.store?.read(key);
    if (stored) this.remember(key, stored);
    return stored;
  }

  /**
   * Keeps `value` under `key`. `persist: false` keeps it in memory only: the caller's output
   * holds Secret values substituted into it (the store itself refuses Secret resources).
   */
  set(key: string, value: CachedRender, persist = true): void {
    this.remember(key, value);
    if (persist) this.store?.write(key, value);
  }

  private remember(key: string, value: CachedRender): void {
    this.forget(key);
    this.entries.set(key, value);
    this.heldLength += value.yaml.length;
    // The least recently used go first; the newest stays even when it alone is over the budget.
    while (
      this.entries.size > 1 &&
      (this.entries.size > this.maxEntries || this.heldLength > this.maxLength)
    ) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  private forget(key: string): void {
    const held = this.entries.get(key);
    if (!held) return;
    this.entries.delete(key);
    this.heldLength -= held.yaml.length;
  }

  /**
   * The render of `key`: the one under way in this process when there is one (the status and the
   * editor's findings asking for the same unit at once start its tool once), else `render`'s.
   * A shared render that fails (its own caller cancelled it) is not shared: `render` runs.
   */
  async once(
    key: string,
    render: () => Promise<CachedRender>,
    signal?: AbortSignal,
  ): Promise<{ readonly render: CachedRender; readonly shared: boolean }> {
    const running = this.running.get(key);
    if (running) {
      const shared = await settledOrAborted(running, signal);
      if (shared) return { render: shared, shared: true };
      signal?.throwIfAborted();
    }
    const own = render();
    this.running.set(key, own);
    try {
      return { render: await own, shared: false };
    } finally {
      if (this.running.get(key) === own) this.running.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
    this.heldLength = 0;
  }

  /** Characters of rendered YAML held in memory. */
  get length(): number {
    return this.heldLength;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** What `running` resolves to; undefined when it fails or `signal` aborts first. */
function settledOrAborted(
  running: Promise<CachedRender>,
  signal: AbortSignal | undefined,
): Promise<CachedRender | undefined> {
  return new Promise((resolve) => {
    const stop = (): void => resolve(undefined);
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    running.then(
      (value) => {
        signal?.removeEventListener('abort', stop);
        resolve(value);
      },
      () => {
        signal?.removeEventListener('abort', stop);
        resolve(undefined);
      },
    );
  });
}
