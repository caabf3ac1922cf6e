// Schema validation as a user meets it in the editor (issue 4): a typo in a field name is flagged
// while the text is still unsaved, a hover explains a field from the Kubernetes documentation, and a
// removed apiVersion is fixed with a quick fix.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeEditor, spansHorizontally, squigglesOn } from './support/editor';
import { diagnosticSource } from './support/manifests';
import { pollUntil } from './support/poll';
import { waitForProblemGone } from './support/problemsGone';
import { podinfoBase, removedApiCronJob } from './support/schemaManifests';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const testTimeout = { timeout: 3 * 60_000 };

describe('schema validation in the editor', { timeout: 10 * 60_000 }, () => {
  let session: E2eSession;

  before(async () => {
    session = await openSession({
      name: 'validation',
      trusted: true,
      files: { [`${podinfoBase}/cronjob.yaml`]: removedApiCronJob },
    });
  });

  after(async () => {
    await session?.close();
  });

  /** Shows the Problems panel (Ctrl+Shift+M would hide it again when it has the focus). */
  const showProblems = async (): Promise<void> => {
    const { problems } = session.workbench;
    if (!(await problems.root().isVisible())) await problems.open();
  };

  it('flags an unknown field while the user types, on the key', testTimeout, async () => {
    const { page, problems } = session.workbench;
    const file = `${podinfoBase}/deployment.yaml`;
    const saved = readFileSync(path.join(session.folder, file), 'utf8');
    const index = saved.split('\n').findIndex((text) => /^\s*revisionHistoryLimit:/.test(text));
    assert.ok(index >= 0, `${file} of the example repo has a revisionHistoryLimit line`);
    const original = saved.split('\n')[index] ?? '';
    const line = index + 1;
    const column = original.search(/\S/) + 1;

    const editor = await CodeEditor.open(page, file);
    await session.expect('validation-typo', `Typing on line ${line} renames the key`, async () => {
      await editor.retype(line, column, 'revisionHistoryLimit', 'revisionHistoryLimt');
      await editor.waitForLine(
        line,
        original.replace('revisionHistoryLimit', 'revisionHistoryLimt'),
      );
    });
    // Live validation of the editor's text: the file on disk still has the right name.
    const onDisk = readFileSync(path.join(session.folder, file), 'utf8');
    assert.equal(onDisk, saved, `${file} was saved: the test must validate unsaved text`);

    await showProblems();
    const message =
      'Unknown field "revisionHistoryLimt" in spec: did you mean "revisionHistoryLimit"?';
    const shown = await session.expect(
      'validation-typo',
      `The Problems panel lists '${message}' from "${diagnosticSource}" under deployment.yaml`,
      () =>
        problems.waitForProblem({
          fileName: 'deployment.yaml',
          source: diagnosticSource,
          text: message,
        }),
    );
    assert.equal(shown.severity, 'Error', `it is ${shown.severity}: ${shown.message}`);

    await session.expect(
      'validation-typo',
      `The editor underlines "revisionHistoryLimt" on line ${line}, and nothing else`,
      async () => {
        const onLine = await pollUntil(
          async () => {
            const shownLine = (await editor.lines()).find((l) => l.number === line);
            const squiggles = await editor.errorSquiggles();
            const mine = shownLine ? squigglesOn(squiggles, shownLine) : [];
            return {
              value: mine.length > 0 ? { squiggles, mine } : undefined,
              seen: `${squiggles.length} error squiggle(s), none on line ${line}`,
            };
          },
          { timeout: 30_000, what: `an error squiggle on line ${line}` },
        );
        const key = await editor.token('revisionHistoryLimt').first().boundingBox();
        assert.ok(key, 'the key "revisionHistoryLimt" is not rendered');
        const boxes = onLine.mine.map((b) => `x ${b.x}..${b.x + b.width}`).join(', ');
        assert.ok(
          onLine.mine.some((box) => spansHorizontally(box, key)),
          `the squiggle on line ${line} (${boxes}) does not span the key (x ${key.x}..${key.x + key.width})`,
        );
        const elsewhere = onLine.squiggles.length - onLine.mine.length;
        assert.equal(elsewhere, 0, `${elsewhere} error squiggle(s) are on other lines`);
      },
    );
    await session.screenshot('validation-typo');
  });

  it('explains a field from the Kubernetes documentation on hover', testTimeout, async () => {
    const { page } = session.workbench;
    const editor = await CodeEditor.open(page, 'apps/podinfo/overlays/staging/replicas-patch.yaml');
    const documentation = 'Number of desired pods';
    const hover = await session.expect(
      'validation-hover',
      `Hovering over "replicas" shows a hover with "${documentation}"`,
      () => editor.hover('replicas', documentation),
    );
    const text = await hover.innerText();
    await session.expect(
      'validation-hover',
      'The hover names the field, its type and the field path',
      () => {
        assert.match(text, /^replicas · integer \(int32\) · optional/);
        assert.match(text, /Deployment\.spec\.replicas/);
        return Promise.resolve();
      },
    );
    await session.screenshot('validation-hover');
  });

  it('replaces a removed apiVersion with a quick fix', testTimeout, async () => {
    const { page, problems } = session.workbench;
    const editor = await CodeEditor.open(page, `${podinfoBase}/cronjob.yaml`);
    await showProblems();
    const removed = 'batch/v1beta1 CronJob was removed in Kubernetes 1.25';
    await session.expect(
      'validation-quick-fix',
      `The Problems panel lists '${removed}' under cronjob.yaml`,
      () =>
        problems.waitForProblem({
          fileName: 'cronjob.yaml',
          source: diagnosticSource,
          text: removed,
        }),
    );

    const title = 'Change apiVersion to batch/v1';
    await session.expect(
      'validation-quick-fix',
      `Ctrl+. on the apiVersion offers "${title}"`,
      async () => {
        await editor.goTo(1, 'apiVersion: '.length + 2);
        const menu = await editor.openQuickFixMenu();
        await menu.locator('.monaco-list-row.group-header', { hasText: 'Quick Fix' }).waitFor();
        await editor.chooseQuickFix(menu, title);
      },
    );
    await session.expect('validation-quick-fix', 'Line 1 reads "apiVersion: batch/v1"', () =>
      editor.waitForLine(1, 'apiVersion: batch/v1'),
    );
    await session.expect(
      'validation-quick-fix',
      `The problem leaves the Problems panel, and cronjob.yaml has no problem left`,
      async () => {
        const query = { fileName: 'cronjob.yaml', source: diagnosticSource };
        await waitForProblemGone(page, { ...query, text: removed });
        await waitForProblemGone(page, query);
      },
    );
    await session.screenshot('validation-quick-fix');
  });
});
