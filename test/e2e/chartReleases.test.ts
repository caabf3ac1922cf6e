// Show Rendered Manifests on a template of a chart that two Flux HelmReleases and an Argo CD
// Application deploy with their own values (test/fixtures/chart-releases, issue 15): a pick
// list offers the chart's defaults, then each release; the release chosen renders with its
// values, the tab is titled after it (issue 18), and typing in the template keeps rendering it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { CodeEditor } from './support/editor';
import { RenderedPreview } from './support/renderedPreview';
import { waitForLogLine } from './support/serverLog';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const REPO = path.resolve(__dirname, '..', 'fixtures', 'chart-releases');
const templateFile = 'charts/podinfo/templates/deployment.yaml';
const showRendered = 'GitOps Workbench: Show Rendered Manifests';
const choices = [
  'podinfo (chart defaults)',
  'podinfo (HelmRelease production/podinfo)',
  'podinfo (HelmRelease staging/podinfo)',
  'podinfo (Application demo/podinfo-demo)',
];
const header =
  '# podinfo (HelmRelease production/podinfo), rendered by GitOps Workbench (Secret values masked; updates as you type)';

describe(
  'a chart deployed by several releases, previewed per release',
  { timeout: 10 * 60_000 },
  () => {
    let session: E2eSession;

    before(async () => {
      await ensureTools(['helm', 'kustomize']);
      session = await openSession({
        name: 'chart-releases',
        trusted: true,
        repo: REPO,
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

    it(
      'renders the release picked from the list, titled after it',
      { timeout: 4 * 60_000 },
      async () => {
        const { page, quickInput } = session.workbench;
        const editor = await CodeEditor.open(page, templateFile);
        // Until the server has found the workspace's units, the list would be empty.
        await session.expect(
          'chart-releases-pick',
          'The language server logs that it renders the units of the workspace',
          () => waitForLogLine(page, quickInput, /Rendering\s[1-9]\d*\sunit\(s\)/),
        );
        await editor.focus();

        const rows = await session.expect(
          'chart-releases-pick',
          `"${showRendered}" on the template lists the chart defaults, the two HelmReleases and the Application, in that order`,
          async () => {
            const palette = await quickInput.commandPalette(showRendered);
            await palette.filter({ hasText: showRendered }).first().waitFor({ timeout: 30_000 });
            await page.keyboard.press('Enter');
            const list = quickInput.rows();
            await list.filter({ hasText: choices[3] }).first().waitFor({ timeout: 60_000 });
            const shown = await list.allInnerTexts();
            const order = choices.map((label) => shown.findIndex((row) => row.includes(label)));
            assert.deepEqual(order, [0, 1, 2, 3], `the list shows ${JSON.stringify(shown)}`);
            assert.match(shown[1] ?? '', /defined in clusters\/production\/podinfo\.yaml:1/);
            return list;
          },
        );
        await session.screenshot('chart-releases-pick');

        const preview = new RenderedPreview(
          page,
          'Rendered podinfo (HelmRelease production\u2215podinfo)',
        );
        await session.expect(
          'chart-releases-pick',
          `Choosing the second opens a tab "${preview.title}" beside the template`,
          async () => {
            await rows.filter({ hasText: choices[1] }).first().click();
            await quickInput.widget().waitFor({ state: 'hidden', timeout: 30_000 });
            await preview.root().waitFor({ state: 'visible', timeout: 60_000 });
            await preview.tab().waitFor({ state: 'visible', timeout: 30_000 });
          },
        );
        const first = await session.expect(
          'chart-releases-pick',
          'The preview shows the production release: its header, 3 replicas, its message',
          () =>
            preview.waitForText(
              (text) => text.startsWith(`${header}\n`) && /^ {2}replicas: 3$/m.test(text),
              'the production header and "  replicas: 3"',
            ),
        );
        assert.match(first, /value: "production"/);
        assert.doesNotMatch(first, /^ {2}replicas: [124]$/m, "another unit's replica count");
        await session.screenshot('chart-releases-preview');

        const text = readFileSync(path.join(session.folder, templateFile), 'utf8');
        const line = text.split('\n').findIndex((entry) => entry === '        - name: podinfo') + 1;
        assert.ok(line > 0, `${templateFile} has the container name line`);
        await session.expect(
          'chart-releases-typing',
          `Typing on line ${line} of the template renames the container "web"`,
          async () => {
            await editor.retype(line, '        - name: '.length + 1, 'podinfo', 'web');
            await editor.waitForLine(line, '        - name: web');
          },
        );
        const updated = await session.expect(
          'chart-releases-typing',
          'The preview follows the unsaved edit and still renders the production release',
          () =>
            preview.waitForText(
              (shown) => /^ {8}- name: web$/m.test(shown),
              'a line "        - name: web" in the preview',
            ),
        );
        assert.ok(updated.startsWith(`${header}\n`), 'it lost its header');
        assert.match(updated, /^ {2}replicas: 3$/m);
      },
    );
  },
);
