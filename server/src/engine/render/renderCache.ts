/**
 * Render results keyed by a hash of every input file, the binary and the options, so an unchanged
 * unit is not rendered twice. Bounded, least recently used first out.
 */
import { createHash } from 'node:crypto';
import type { RenderedResource } from './types';

export interface CachedRender {
  yaml: string;
  resources: RenderedResource[];
}

export class RenderCache {
  private readonly entries = new Map<string, CachedRender>();

  constructor(private readonly maxEntries = 64) {}

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
    }
    return entry;
  }

  set(key: string, value: CachedRender): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
