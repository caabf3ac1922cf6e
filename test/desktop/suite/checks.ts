// A tiny runner for the checks that run inside desktop VS Code's extension host (no mocha here).

export interface Check {
  name: string;
  run: () => Promise<void>;
}

/** Runs the checks in order, prints TAP-like lines and "N passed, N failed"; throws on a failure. */
export async function runChecks(checks: readonly Check[]): Promise<void> {
  let passed = 0;
  const failures: string[] = [];
  for (const [index, check] of checks.entries()) {
    try {
      await check.run();
      passed += 1;
      console.log(`ok ${index + 1} - ${check.name}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${check.name}: ${message}`);
      console.log(`not ok ${index + 1} - ${check.name}\n  # ${message.split('\n').join('\n  # ')}`);
    }
  }
  console.log(`${passed} passed, ${failures.length} failed`);
  if (failures.length > 0) throw new Error(`Desktop checks failed:\n${failures.join('\n')}`);
}

/** Resolves with the first value `probe` returns, re-probing on each `event`; fails after `ms`. */
export function waitFor<T>(
  what: string,
  ms: number,
  subscribe: (listener: () => void) => { dispose(): void },
  probe: () => T | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = probe();
    if (first !== undefined) {
      resolve(first);
      return;
    }
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`${what} did not happen within ${ms / 1000} s`));
    }, ms);
    const subscription = subscribe(() => {
      const value = probe();
      if (value === undefined) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}
