// Problems lists every file a rendered finding lands in, open or not (issue 18): the workspace
// diagnostics answer reports what the client lacks, clears what went away, leaves open files to
// their own pull, and waits while nothing changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/engine';
import { WorkspaceReports } from '../../server/src/handlers/workspaceDiagnostics';

const PATCH = '/repo/apps/web/overlays/staging/patch.yaml';
const BASE = '/repo/apps/web/base/deployment.yaml';

function finding(message: string): Finding {
  return {
    range: { start: { line: 4, character: 2 }, end: { line: 4, character: 9 } },
    severity: 'error',
    code: 'missing-reference',
    message,
  };
}

function setup(): {
  reports: WorkspaceReports;
  byFile: Map<string, Finding[]>;
  open: Set<string>;
} {
  const byFile = new Map<string, Finding[]>();
  const open = new Set<string>();
  return {
    reports: new WorkspaceReports({ findingFiles: () => byFile }, () => open),
    byFile,
    open,
  };
}

describe('workspace diagnostics', () => {
  it('reports the rendered findings of a file nobody opened, once', async () => {
    const { reports, byFile } = setup();
    byFile.set(PATCH, [finding('ConfigMap web-config is not defined (rendered …)')]);
    const [report, ...rest] = await reports.answer(new Map());
    assert.equal(rest.length, 0);
    assert.equal(report?.file, PATCH);
    assert.deepEqual(
      report?.items.map((item) => item.message),
      ['ConfigMap web-config is not defined (rendered …)'],
    );
    const again = await reports.answer(new Map([[PATCH, report?.resultId ?? '']]), undefined, 20);
    assert.deepEqual(again, [], 'the client has it: nothing to send');
  });

  it('clears a file whose findings went away, and leaves open files to their own pull', async () => {
    const { reports, byFile, open } = setup();
    byFile.set(PATCH, [finding('a')]);
    byFile.set(BASE, [finding('b')]);
    open.add(BASE);
    const first = await reports.answer(new Map());
    assert.deepEqual(
      first.map((report) => report.file),
      [PATCH],
      'the open base is not reported',
    );
    byFile.delete(PATCH);
    const cleared = await reports.answer(new Map([[PATCH, first[0]?.resultId ?? '']]));
    assert.deepEqual(
      cleared.map((report) => [report.file, report.items.length]),
      [[PATCH, 0]],
    );
  });

  it('reports a file again when it closes, even with nothing rendered in it', async () => {
    const { reports } = setup();
    reports.closed(BASE);
    const [report] = await reports.answer(new Map());
    assert.deepEqual([report?.file, report?.items.length], [BASE, 0]);
  });

  it('waits while nothing changes and answers when rendered findings change', async () => {
    const { reports, byFile } = setup();
    let answered = false;
    const pending = reports.answer(new Map(), undefined, 30_000).then((result) => {
      answered = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(answered, false, 'no answer while nothing changed');
    byFile.set(PATCH, [finding('c')]);
    reports.changed();
    const result = await pending;
    assert.deepEqual(
      result.map((report) => report.file),
      [PATCH],
    );
  });
});
