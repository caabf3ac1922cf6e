/**
 * The order the editor renders units in (issue 19): the units of the documents the user has
 * open first, then the units a changed file touches, then the rest of the workspace when
 * nothing else waits. A unit waits in one tier only, the most urgent it was asked for.
 */

export type UnitTier = 'open' | 'changed' | 'background';

const TIERS: readonly UnitTier[] = ['open', 'changed', 'background'];

export interface UnitBatch {
  readonly tier: UnitTier;
  readonly keys: ReadonlySet<string>;
}

/** True when `tier` is more urgent than `other`. */
export function outranks(tier: UnitTier, other: UnitTier): boolean {
  return TIERS.indexOf(tier) < TIERS.indexOf(other);
}

export class UnitQueue {
  private readonly waiting = new Map<UnitTier, Set<string>>(
    TIERS.map((tier) => [tier, new Set<string>()]),
  );

  /** Units to render, in `tier` unless one already waits in a more urgent tier. */
  add(keys: Iterable<string>, tier: UnitTier): void {
    for (const key of keys) {
      const current = this.tierOf(key);
      if (current && !outranks(tier, current)) continue;
      if (current) this.waiting.get(current)?.delete(key);
      this.waiting.get(tier)?.add(key);
    }
  }

  /** The tier a unit waits in; undefined when it does not wait. */
  tierOf(key: string): UnitTier | undefined {
    return TIERS.find((tier) => this.waiting.get(tier)?.has(key));
  }

  /** The most urgent tier with a waiting unit. */
  top(): UnitTier | undefined {
    return TIERS.find((tier) => (this.waiting.get(tier)?.size ?? 0) > 0);
  }

  /** How many units wait, in all tiers. */
  get size(): number {
    return TIERS.reduce((sum, tier) => sum + (this.waiting.get(tier)?.size ?? 0), 0);
  }

  /**
   * Takes the next batch: up to `limits[tier]` units of the most urgent tier that has one, in
   * the order they were added.
   */
  take(limits: Readonly<Record<UnitTier, number>>): UnitBatch | undefined {
    const tier = this.top();
    if (!tier) return undefined;
    const waiting = this.waiting.get(tier) as Set<string>;
    const keys = new Set<string>();
    for (const key of waiting) {
      if (keys.size >= limits[tier]) break;
      keys.add(key);
    }
    for (const key of keys) waiting.delete(key);
    return { tier, keys };
  }

  /** Forgets units that are gone from the workspace. */
  retain(keys: ReadonlySet<string>): void {
    for (const waiting of this.waiting.values()) {
      for (const key of [...waiting]) if (!keys.has(key)) waiting.delete(key);
    }
  }

  clear(): void {
    for (const waiting of this.waiting.values()) waiting.clear();
  }
}
