/**
 * The remote charts `helm pull` downloaded in a session (network rendering on), kept so the
 * render and the values findings of the same chart share one download: keyed by repository URL,
 * chart and version. A download that fails is not kept (the next render tries again); the values
 * findings do not try again until a render succeeds.
 */
import type { RemoteChart } from './types';

/** A chart archive `helm pull` downloaded: its file name and bytes. */
export interface PulledChart {
  readonly name: string;
  readonly bytes: Buffer;
}

/** Archives kept at most (the oldest is dropped first). */
const MAX_CHARTS = 16;

export class RemoteChartStore {
  private readonly charts = new Map<string, Promise<PulledChart>>();
  private readonly failed = new Set<string>();
  /** What callers derived from an archive (its values schema), kept with it. */
  private readonly derived = new WeakMap<PulledChart, Map<string, Promise<unknown>>>();

  static key(remote: RemoteChart): string {
    return JSON.stringify([remote.repoUrl, remote.chart, remote.version ?? '']);
  }

  /** The archive of `remote`: the one already downloaded (or being downloaded), else `download`'s. */
  pull(remote: RemoteChart, download: () => Promise<PulledChart>): Promise<PulledChart> {
    const key = RemoteChartStore.key(remote);
    const known = this.charts.get(key);
    if (known) return known;
    const pulling = download().then(
      (pulled) => {
        this.failed.delete(key);
        return pulled;
      },
      (error: unknown) => {
        if (this.charts.get(key) === pulling) this.charts.delete(key);
        this.failed.add(key);
        throw error;
      },
    );
    this.charts.set(key, pulling);
    while (this.charts.size > MAX_CHARTS) {
      const oldest = this.charts.keys().next().value;
      if (oldest === undefined) break;
      this.charts.delete(oldest);
    }
    return pulling;
  }

  /** The archive of `remote` already downloaded (or being downloaded); undefined: none. */
  downloaded(remote: RemoteChart): Promise<PulledChart> | undefined {
    return this.charts.get(RemoteChartStore.key(remote));
  }

  /** True when the last download of `remote` failed and none succeeded since. */
  hasFailed(remote: RemoteChart): boolean {
    return this.failed.has(RemoteChartStore.key(remote));
  }

  /** `make(pulled)`, computed once per archive and `name`. */
  derive<T>(pulled: PulledChart, name: string, make: () => Promise<T>): Promise<T> {
    let entries = this.derived.get(pulled);
    if (!entries) {
      entries = new Map();
      this.derived.set(pulled, entries);
    }
    let value = entries.get(name) as Promise<T> | undefined;
    if (!value) {
      value = make();
      entries.set(name, value);
    }
    return value;
  }
}
