// A chart that appears while the editor is open, as `helm create` in a terminal makes one: its
// template is found to belong to the chart without a commit or a reload, so Show Rendered
// Manifests renders it and a mistake in it is underlined (issue 18: "A new chart is not found
// until it is committed").
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { CodeEditor } from './support/editor';
import { diagnosticSource } from './support/manifests';
import { waitForProblemAt } from './support/problemAt';
import { RenderedPreview } from './support/renderedPreview';
import { waitForLogLine } from './support/serverLog';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const testTimeout = { timeout: 4 * 60_000 };
const showRendered = 'GitOps Workbench: Show Rendered Manifests';
const chartDir = 'charts/greeter';
const templateFile = `${chartDir}/templates/configmap.yaml`;
const CHART_FILES: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: greeter\nversion: 0.1.0\n',
  'values.yaml': 'greeting: hello\n',
  'templates/configmap.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ .Release.Name }}-greeter',
    'data:',
    '  greeting: {{ .Values.greeting | quote }}',
    '',
  ].join('\n'),
};
/** The template line `data:`, misspelt by the second test. */
const MISTAKE_LINE = 5;

describe('a chart created while the editor is open', { timeout: 10 * 60_000 }, () => {
  let session: E2eSession;
  let editor: CodeEditor | undefined;

  before(async () => {
    await ensureTools(['helm', 'kustomize']);
    session = await openSession({
      name: 'new-chart',
      trusted: true,
      userSettings: {
        'gitopsWorkbench.helmPath': toolPath('helm'),
        'gitopsWorkbench.kustomizePath': toolPath('kustomize'),
        'files.autoSave': 'off',
      },
    });
  });

  after(async () => {
    await session?.close();
  });

  it('renders the new, uncommitted chart from its template', testTimeout, async () => {
    const { page, quickInput } = session.workbench;
    // A manifest of the example starts the extension, which then reads the workspace.
    await CodeEditor.open(page, 'apps/podinfo/overlays/staging/replicas-patch.yaml');
    await session.expect(
      'new-chart-preview',
      'The language server logs that it renders the units of the workspace',
      () => waitForLogLine(page, quickInput, /Rendering\s[1-9]\d*\sunit\(s\)/),
    );
    // Written on disk behind the editor's back, all at once, as a terminal command would.
    for (const [relative, text] of Object.entries(CHART_FILES)) {
      const file = path.join(session.folder, chartDir, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    editor = await CodeEditor.open(page, templateFile);
    await editor.focus();
    const preview = new RenderedPreview(page, 'Rendered greeter (chart defaults)');
    const text = await session.expect(
      'new-chart-preview',
      `"${showRendered}" on the template opens "${preview.title}" with the ConfigMap the chart renders`,
      async () => {
        await quickInput.runCommand(showRendered);
        await preview.root().waitFor({ state: 'visible', timeout: 60_000 });
        return preview.waitForText(
          (shown) => /^ {2}greeting: "hello"$/m.test(shown),
          'a line \'  greeting: "hello"\' in the preview',
        );
      },
    );
    assert.doesNotMatch(text, /belongs to no/);
    await session.screenshot('new-chart-preview');
  });

  it(
    'lists a mistake typed into the new template on its line, with a quick fix',
    testTimeout,
    async () => {
      const { page, problems } = session.workbench;
      const template = editor;
      assert.ok(template, 'the first test opened the template');
      await template.focus();
      await session.expect(
        'new-chart-mistake',
        `Typing on line ${MISTAKE_LINE} of the template misspells "data"`,
        async () => {
          await template.retype(MISTAKE_LINE, 1, 'data', 'dat');
          await template.waitForLine(MISTAKE_LINE, 'dat:');
        },
      );
      if (!(await problems.root().isVisible())) await problems.open();
      const message = 'Unknown field "dat"';
      const shown = await session.expect(
        'new-chart-mistake',
        `The Problems panel lists '${message}…' under configmap.yaml`,
        () =>
          waitForProblemAt(page, {
            fileName: 'configmap.yaml',
            folder: `${chartDir}/templates`,
            source: diagnosticSource,
            text: message,
          }),
      );
      await session.expect(
        'new-chart-mistake',
        `The problem is on line ${MISTAKE_LINE} of the template`,
        () => {
          assert.equal(shown.line, MISTAKE_LINE, `it is at ${shown.position}: ${shown.message}`);
          return Promise.resolve();
        },
      );
      await session.screenshot('new-chart-mistake');

      const title = 'Rename "dat" to "data"';
      await session.expect(
        'new-chart-quick-fix',
        `Ctrl+. on "dat" offers "${title}", and choosing it writes "data:" back`,
        async () => {
          await template.goTo(MISTAKE_LINE, 2);
          const menu = await template.openQuickFixMenu();
          await template.chooseQuickFix(menu, title);
          await template.waitForLine(MISTAKE_LINE, 'data:');
        },
      );
      await session.screenshot('new-chart-quick-fix');
    },
  );
});
