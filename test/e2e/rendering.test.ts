// Rendering as a user meets it in the editor: Show Rendered Manifests opens what an overlay renders
// beside its patch, Secrets masked, and follows unsaved typing; an error that exists only in the
// rendered output is reported on the source line that causes it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

const testTimeout = { timeout: 3 * 60_000 };
const staging = 'apps/podinfo/overlays/staging';
const patchFile = `${staging}/replicas-patch.yaml`;
const configMapFile = 'apps/podinfo/base/configmap.yaml';
const showRendered = 'GitOps Workbench: Show Rendered Manifests';
const header = `# ${staging} (kustomize), rendered by GitOps Workbench (Secret values masked; updates as you type)`;
const secretValue = 'demo-token-not-a-real-secret';

/** The 1-based number of the first line of `text` that `pattern` matches; fails when none does. */
function lineOf(text: string, pattern: RegExp, file: string): number {
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  assert.ok(index >= 0, `${file} has a line matching ${String(pattern)}`);
  return index + 1;
}

describe('rendered manifests in the editor', { timeout: 10 * 60_000 }, () => {
  let session: E2eSession;

  before(async () => {
    await ensureTools(['kustomize']);
    session = await openSession({
      name: 'rendering',
      trusted: true,
      userSettings: {
        'gitopsWorkbench.kustomizePath': toolPath('kustomize'),
        // In a browser VS Code saves after a second by default: these tests need unsaved text.
        'files.autoSave': 'off',
      },
    });
  });

  after(async () => {
    await session?.close();
  });

  const saved = (file: string): string => readFileSync(path.join(session.folder, file), 'utf8');

  it('shows the unsaved edit of a patch in the preview', testTimeout, async () => {
    const { page, quickInput } = session.workbench;
    const onDisk = saved(patchFile);
    const line = lineOf(onDisk, /^ {2}replicas: 2$/, patchFile);
    const editor = await CodeEditor.open(page, patchFile);

    // Until the server has found the workspace's units, the preview would say that the patch
    // "belongs to no kustomization" and keep saying it until a file is edited: wait for them.
    await session.expect(
      'rendering-preview',
      'The language server logs that it renders the units of the workspace',
      () => waitForLogLine(page, quickInput, /Rendering\s[1-9]\d*\sunit\(s\)/),
    );
    await editor.focus();

    // Titled after the unit it renders (the overlay), not after the patch it was opened from.
    const preview = new RenderedPreview(
      page,
      'Rendered apps\u2215podinfo\u2215overlays\u2215staging (kustomize)',
    );
    await session.expect(
      'rendering-preview',
      `"${showRendered}" opens a tab "${preview.title}" beside the patch`,
      async () => {
        await quickInput.runCommand(showRendered);
        await preview.root().waitFor({ state: 'visible', timeout: 60_000 });
      },
    );
    const first = await session.expect(
      'rendering-preview',
      `The preview starts with "${header}"`,
      () => preview.waitForText((text) => text.startsWith(`${header}\n`), 'the preview header'),
    );
    await session.expect(
      'rendering-preview',
      'The preview shows the Deployment with 2 replicas and the Secret value masked',
      () => {
        assert.match(first, /^ {2}replicas: 2$/m, 'it has no line "  replicas: 2"');
        assert.match(first, /^ {2}token: \+{8}$/m, 'it has no line "  token: ++++++++"');
        assert.ok(!first.includes(secretValue), `it shows the Secret value "${secretValue}"`);
        return Promise.resolve();
      },
    );
    await preview.goTo(lineOf(first, /^ {2}replicas: 2$/, 'the preview'), 1);
    await session.screenshot('rendering-preview');

    await session.expect(
      'rendering-typing',
      `Typing on line ${line} sets replicas to 5`,
      async () => {
        await editor.retype(line, '  replicas: '.length + 1, '2', '5');
        await editor.waitForLine(line, '  replicas: 5');
      },
    );
    const updated = await session.expect(
      'rendering-typing',
      'The preview follows the unsaved edit: it shows "replicas: 5"',
      () =>
        preview.waitForText(
          (text) => /^ {2}replicas: 5$/m.test(text),
          'a line "  replicas: 5" in the preview',
        ),
    );
    await session.expect(
      'rendering-typing',
      'The refreshed preview still masks the Secret and no longer shows 2 replicas',
      () => {
        assert.ok(updated.startsWith(`${header}\n`), 'it lost its header');
        assert.doesNotMatch(updated, /^ {2}replicas: 2$/m, 'it still has "  replicas: 2"');
        assert.ok(!updated.includes(secretValue), `it shows the Secret value "${secretValue}"`);
        return Promise.resolve();
      },
    );
    assert.equal(
      saved(patchFile),
      onDisk,
      `${patchFile} was saved: the preview must follow unsaved text`,
    );
    await preview.goTo(lineOf(updated, /^ {2}replicas: 5$/, 'the preview'), 1);
    await session.screenshot('rendering-typing');
  });

  it('reports an error of the rendered output on the patch line', testTimeout, async () => {
    const { page, problems, quickInput } = session.workbench;
    const patch = saved(patchFile);
    const patchLine = lineOf(patch, /^\s+name: podinfo-config$/, patchFile);
    const configMap = saved(configMapFile);
    const nameLine = lineOf(configMap, /^ {2}name: podinfo-config$/, configMapFile);

    // The patch is open (its problems are pulled while it is open); the edit is in the base. Both
    // open in the first group, not beside them in the preview's.
    await quickInput.runCommand('View: Focus First Editor Group');
    await CodeEditor.open(page, patchFile);
    const editor = await CodeEditor.open(page, configMapFile);
    await session.expect(
      'rendering-problem',
      `Typing on line ${nameLine} of configmap.yaml renames the ConfigMap`,
      async () => {
        // Ctrl+Shift+Right stops at the hyphen: "config" is the word to retype.
        await editor.retype(nameLine, '  name: podinfo-'.length + 1, 'config', 'settings');
        await editor.waitForLine(nameLine, '  name: podinfo-settings');
      },
    );
    assert.equal(saved(configMapFile), configMap, `${configMapFile} was saved`);

    if (!(await problems.root().isVisible())) await problems.open();
    const message =
      'ConfigMap "podinfo-config" (envFrom of container "podinfod") is not defined in namespace "podinfo-staging" of this unit';
    const shown = await session.expect(
      'rendering-problem',
      `The Problems panel lists '${message}' from "${diagnosticSource}" under ${patchFile}`,
      () =>
        waitForProblemAt(page, {
          fileName: path.basename(patchFile),
          folder: staging,
          source: diagnosticSource,
          text: message,
        }),
    );
    await session.expect(
      'rendering-problem',
      `The problem is a warning on line ${patchLine} of the patch, which names the ConfigMap`,
      () => {
        assert.equal(shown.line, patchLine, `it is at ${shown.position}: ${shown.message}`);
        assert.equal(shown.severity, 'Warning', `it is ${shown.severity}: ${shown.message}`);
        return Promise.resolve();
      },
    );
    await session.screenshot('rendering-problem');
  });
});
