/** The promises every face must keep on every hostile repository, checked after each run. */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { CAN_MEASURE_MEMORY } from './processWatch';
import { TOOL_MEMORY_LIMIT_MB } from './faces';
import type { FaceRun } from './faces';
import { OUTSIDE_TOKEN, PASSWD_LINE, SECRET_B64, SECRET_VALUE } from './sandbox';
import type { Sandbox } from './sandbox';

/**
 * Any face stays under this: as many tool processes as run at once (the tool queue runs
 * max(2, cores)), each under the limit the suite gives, plus Node and the language server.
 */
export const MEMORY_CEILING_BYTES =
  (Math.max(2, os.availableParallelism()) * TOOL_MEMORY_LIMIT_MB + 768) * 1024 * 1024;
/** Past the product's 30 s tool limit, with room for a slow machine. */
export const TIME_CEILING_MS = 90_000;

/** C0 and C1 controls except tab and newline, DEL, line/paragraph separators, bidi controls. */
const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const STACK_TRACE = /\n\s+at\s+\S[^\n]*:\d+:\d+\)?/;

export interface Watermark {
  readonly markers: number;
  readonly connections: number;
  readonly gitCalls: number;
}

export function watermark(sandbox: Sandbox): Watermark {
  return {
    markers: sandbox.markersLeft().length,
    connections: sandbox.connections().length,
    gitCalls: sandbox.gitCalls().length,
  };
}

function show(text: string): string {
  return JSON.stringify(text.length > 1500 ? `${text.slice(0, 1500)}…` : text);
}

/** Asserts every promise on one run; `since` is the sandbox's state before it. */
export function assertPromisesHeld(run: FaceRun, sandbox: Sandbox, since: Watermark): void {
  const where = `${run.face}`;
  const ran = sandbox.markersLeft().slice(since.markers);
  assert.deepEqual(ran, [], `${where}: nothing the repository chose may run, but these ran`);
  const contacted = sandbox.connections().slice(since.connections);
  assert.deepEqual(contacted, [], `${where}: no host may be contacted, but these were`);
  assert.ok(
    !run.output.includes(OUTSIDE_TOKEN),
    `${where}: a byte from outside the repository appeared: ${show(run.output)}`,
  );
  assert.doesNotMatch(run.output, PASSWD_LINE, `${where}: /etc/passwd appeared`);
  assert.ok(
    !run.output.includes(SECRET_VALUE),
    `${where}: a Secret value appeared: ${show(run.output)}`,
  );
  assert.ok(
    !run.output.includes(SECRET_B64),
    `${where}: a base64 Secret value appeared: ${show(run.output)}`,
  );
  assert.equal(run.timedOut, false, `${where}: did not finish within the hard limit`);
  assert.ok(run.ms < TIME_CEILING_MS, `${where}: took ${run.ms} ms`);
  assert.equal(run.signal, null, `${where}: was killed by ${run.signal}`);
  assert.ok(
    run.code === 0 || run.code === 1 || run.code === 2,
    `${where}: exit code ${run.code} is not one of 0, 1, 2: ${show(run.output)}`,
  );
  assert.doesNotMatch(
    run.output,
    STACK_TRACE,
    `${where}: printed a stack trace: ${show(run.output)}`,
  );
  assert.doesNotMatch(
    run.output,
    RAW_CONTROL,
    `${where}: printed a raw control character: ${show(run.output)}`,
  );
  if (CAN_MEASURE_MEMORY) {
    assert.ok(
      run.peakBytes < MEMORY_CEILING_BYTES,
      `${where}: its processes reached ${Math.round(run.peakBytes / 1048576)} MB (${run.peakProcesses.join(', ')})`,
    );
  }
}
