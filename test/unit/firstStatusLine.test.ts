// The log line a session writes once its first status is complete: what the language server's
// log shows, and what `npm run bench:status` reads the phase times from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstStatusLine } from '../../server/src/engine/status/progress';

describe('the first status log line', () => {
  it('says how many apps and resources, how long, where the time went and what was asked', () => {
    const apps = [
      { desired: new Map([['a', 1]]) },
      {
        desired: new Map([
          ['b', 1],
          ['c', 2],
        ]),
      },
    ];
    assert.equal(
      firstStatusLine(
        apps,
        4321.4,
        { renderMs: 3000.6, listMs: 90, compareMs: 330.2 },
        { sent: 50, predicted: 951 },
      ),
      'Status of 2 apps (3 resources) in 4321 ms: render 3001 ms, lists 90 ms, compare 330 ms; 50 dry-runs sent, 951 not needed (the apply surely changes nothing).',
    );
    assert.match(
      firstStatusLine(
        apps.slice(0, 1),
        1,
        { renderMs: 0, listMs: 0, compareMs: 0 },
        { sent: 0, predicted: 1 },
      ),
      /^Status of 1 app \(1 resource\) in 1 ms/,
    );
  });
});
