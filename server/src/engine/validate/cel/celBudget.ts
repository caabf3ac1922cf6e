/**
 * Cost limits for CEL evaluation. The API server stops a rule whose runtime cost passes a
 * per-call limit and an object whose rules together pass a budget; we count the same way in
 * our own unit (one per evaluated expression node, plus the length of strings that library
 * functions scan), and add a wall-clock limit so a hostile rule cannot hold the server.
 */

/** The API server's per-call limit (k8s.io/apiserver/pkg/apis/cel PerCallLimit). */
export const PER_CALL_LIMIT = 1_000_000;
/** The API server's budget for all the rules of one object (RuntimeCELCostBudget). */
export const OBJECT_BUDGET = 10_000_000;
/** Wall-clock limit for the rules of one object, whatever their cost. */
export const OBJECT_TIME_LIMIT_MS = 1_000;

export type CostStop = 'callLimit' | 'budget' | 'time';

/** Thrown from inside an evaluation when a limit is reached. */
export class CostLimitError extends Error {
  override readonly name = 'CostLimitError';
  constructor(readonly reason: CostStop) {
    super(
      reason === 'callLimit'
        ? 'the rule costs more than the per-call limit'
        : reason === 'budget'
          ? 'the rules of this object cost more than their budget'
          : `the rules of this object ran longer than ${OBJECT_TIME_LIMIT_MS} ms`,
    );
  }
}

/** The running cost of one object's rules, and of the rule being evaluated. */
export class CostMeter {
  private callRemaining = 0;
  private objectRemaining: number;
  private readonly deadline: number;
  private ticks = 0;
  /** Once a limit is reached, every later charge fails too: cel-js's quantifiers catch errors
   * of their predicates and go on iterating, so a stop must stay a stop. */
  private stopped: CostStop | undefined;

  constructor(
    budget = OBJECT_BUDGET,
    private readonly perCall = PER_CALL_LIMIT,
    timeLimitMs = OBJECT_TIME_LIMIT_MS,
  ) {
    this.objectRemaining = budget;
    this.deadline = performance.now() + timeLimitMs;
  }

  /** Starts a rule: its own limit is the per-call limit or what is left of the budget. */
  startCall(): void {
    this.callRemaining = this.perCall;
    if (this.stopped === 'callLimit') {
      this.stopped = undefined;
    }
  }

  get exhausted(): boolean {
    return this.objectRemaining <= 0;
  }

  charge(cost: number): void {
    if (this.stopped) {
      throw new CostLimitError(this.stopped);
    }
    this.callRemaining -= cost;
    this.objectRemaining -= cost;
    this.ticks += cost;
    if (this.callRemaining < 0) {
      this.stopped = 'callLimit';
    } else if (this.objectRemaining < 0) {
      this.stopped = 'budget';
    } else if (this.ticks >= 4096) {
      this.ticks = 0;
      if (performance.now() > this.deadline) {
        this.stopped = 'time';
      }
    }
    if (this.stopped) {
      throw new CostLimitError(this.stopped);
    }
  }
}

let active: CostMeter | undefined;

/** Runs `work` with `meter` charged by every expression node and library call inside it. */
export function withMeter<T>(meter: CostMeter, work: () => T): T {
  const previous = active;
  active = meter;
  try {
    return work();
  } finally {
    active = previous;
  }
}

/** Charges the meter of the evaluation in progress, if any. */
export function charge(cost: number): void {
  active?.charge(cost);
}
