/**
 * Progress of a status session as it reaches a view: apps whose comparison advanced are told in
 * batches (a 1,000-resource app would otherwise send 1,000 events), and a caller can wait for
 * the whole answer for a bounded time only.
 */

/** How often the apps that progressed are told at most. */
const PROGRESS_MS = 250;

export class ProgressBatch {
  private readonly ids = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tell: (appIds: readonly string[]) => void,
    private readonly intervalMs = PROGRESS_MS,
  ) {}

  /** `appId` progressed: told with the others of the next batch. */
  add(appId: string): void {
    this.ids.add(appId);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const ids = [...this.ids];
      this.ids.clear();
      if (ids.length > 0) this.tell(ids);
    }, this.intervalMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.ids.clear();
  }
}

/** Resolves when `work` settles or `ms` passed, whichever is first; never rejects. */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([
      work.then(
        () => undefined,
        () => undefined,
      ),
      elapsed,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The log line of a session's first complete status: how long it took, and where it went. */
export function firstStatusLine(
  apps: ReadonlyArray<{ readonly desired: ReadonlyMap<string, unknown> }>,
  ms: number,
  spent: { readonly renderMs: number; readonly listMs: number; readonly compareMs: number },
  dryRuns: { readonly sent: number; readonly predicted: number },
): string {
  const round = (value: number): number => Math.round(value);
  const resources = apps.reduce((sum, app) => sum + app.desired.size, 0);
  return (
    `Status of ${apps.length} ${apps.length === 1 ? 'app' : 'apps'} (${resources} ${resources === 1 ? 'resource' : 'resources'}) in ${round(ms)} ms: ` +
    `render ${round(spent.renderMs)} ms, lists ${round(spent.listMs)} ms, compare ${round(spent.compareMs)} ms; ` +
    `${dryRuns.sent} dry-runs sent, ${dryRuns.predicted} not needed (the apply surely changes nothing).`
  );
}
