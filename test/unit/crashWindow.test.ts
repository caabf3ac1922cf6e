import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrashWindow } from '../../client/src/crashWindow';

describe('CrashWindow (language server restart policy)', () => {
  it('allows four restarts in three minutes and refuses the fifth', () => {
    const window = new CrashWindow(180_000, 4);
    const verdicts = [0, 1000, 2000, 3000, 4000].map((time) => window.recordCrash(time));
    assert.deepEqual(verdicts, [true, true, true, true, false]);
  });

  it('forgets crashes older than the window', () => {
    const window = new CrashWindow(180_000, 4);
    for (const time of [0, 1000, 2000, 3000]) {
      window.recordCrash(time);
    }
    assert.equal(window.recordCrash(200_000), true);
    assert.equal(window.recentCrashes, 1);
  });

  it('starts over after a reset', () => {
    const window = new CrashWindow(180_000, 1);
    window.recordCrash(0);
    assert.equal(window.recordCrash(1), false);
    window.reset();
    assert.equal(window.recordCrash(2), true);
  });
});
