/**
 * Counts crashes in a sliding time window: the restart policy of the language server, kept free
 * of editor APIs so it can be tested in plain Node.
 */
export class CrashWindow {
  private times: number[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly maxRestarts: number,
  ) {}

  /** Records a crash at `now`; true when the server may be restarted once more. */
  recordCrash(now: number): boolean {
    this.times = this.times.filter((time) => now - time < this.windowMs);
    this.times.push(now);
    return this.times.length <= this.maxRestarts;
  }

  get recentCrashes(): number {
    return this.times.length;
  }

  reset(): void {
    this.times = [];
  }
}
