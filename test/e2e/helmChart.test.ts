// Helm charts as a user meets them in the editor (issue 15): a chart nobody here wrote (the
// OpenTelemetry Collector chart), a template mistake underlined in the template, a value the
// chart's values.schema.json refuses underlined on its key in values.yaml, a value the rendered
// Deployment refuses underlined on its values key (not the template line), a values key that
// completes with its documentation, go to definition from a template to values.yaml, and a
// plain manifest in a templates/ folder outside any chart treated as YAML.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { CodeEditor } from './support/editor';
import { diagnosticSource } from './support/manifests';
import { waitForProblemAt } from './support/problemAt';
import { pollUntil } from './support/poll';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';
import { otelRelease } from '../unit/support/otelRelease';

const testTimeout = { timeout: 3 * 60_000 };
const CHART = path.resolve(__dirname, '..', 'fixtures', 'charts', 'opentelemetry-collector');
const deploymentFile = 'charts/otel/templates/deployment.yaml';
const valuesFile = 'charts/otel/values.yaml';
const plainFile = 'manifests/templates/configmap.yaml';
const releaseFile = 'clusters/production/otel.yaml';
/** A Flux HelmRelease of the repository that deploys the chart with values of its own. */
const RELEASE = otelRelease('otel', ['replicaCount: 2']);

/** The 1-based number of the first line of `text` that `pattern` matches; fails when none does. */
function lineOf(text: string, pattern: RegExp, file: string): number {
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  assert.ok(index >= 0, `${file} has a line matching ${String(pattern)}`);
  return index + 1;
}

describe('a Helm chart in the editor', { timeout: 10 * 60_000 }, () => {
  let session: E2eSession;
  let repo = '';

  before(async () => {
    await ensureTools(['helm', 'kustomize']);
    repo = path.join(mkdtempSync(path.join(os.tmpdir(), 'gw-e2e-chart-')), 'otel-repo');
    cpSync(CHART, path.join(repo, 'charts', 'otel'), { recursive: true });
    // The chart has no default mode or image: a repository that uses it sets them.
    const values = path.join(repo, valuesFile);
    writeFileSync(
      values,
      readFileSync(values, 'utf8')
        .replace(/^mode: ""$/m, 'mode: deployment')
        .replace(/^ {2}repository: ""$/m, '  repository: otel/opentelemetry-collector-k8s'),
    );
    mkdirSync(path.join(repo, 'clusters', 'production'), { recursive: true });
    writeFileSync(path.join(repo, releaseFile), RELEASE);
    mkdirSync(path.join(repo, 'manifests', 'templates'), { recursive: true });
    writeFileSync(
      path.join(repo, plainFile),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: "1"\n',
    );
    session = await openSession({
      name: 'helm-chart',
      trusted: true,
      repo,
      userSettings: {
        'gitopsWorkbench.helmPath': toolPath('helm'),
        'gitopsWorkbench.kustomizePath': toolPath('kustomize'),
        'files.autoSave': 'off',
      },
    });
  });

  after(async () => {
    await session?.close();
    rmSync(path.dirname(repo), { recursive: true, force: true });
  });

  const saved = (file: string): string => readFileSync(path.join(session.folder, file), 'utf8');

  it('underlines a template mistake on its line in the template', testTimeout, async () => {
    const { page, problems } = session.workbench;
    const text = saved(deploymentFile);
    const line = lineOf(text, /^ {2}replicas: \{\{ \.Values\.replicaCount \}\}$/, deploymentFile);
    const editor = await CodeEditor.open(page, deploymentFile);
    await session.expect(
      'helm-chart-template',
      `Typing on line ${line} of the template misspells "replicas"`,
      async () => {
        await editor.retype(line, 3, 'replicas', 'replica');
        await editor.waitForLine(line, '  replica: {{ .Values.replicaCount }}');
      },
    );
    assert.equal(saved(deploymentFile), text, `${deploymentFile} was saved`);
    if (!(await problems.root().isVisible())) await problems.open();
    const message = 'Unknown field "replica" in spec';
    const shown = await session.expect(
      'helm-chart-template',
      `The Problems panel lists '${message}' under deployment.yaml`,
      () =>
        waitForProblemAt(page, {
          fileName: 'deployment.yaml',
          folder: 'charts/otel/templates',
          source: diagnosticSource,
          text: message,
        }),
    );
    await session.expect(
      'helm-chart-template',
      `The problem is an error on line ${line} of the template`,
      () => {
        assert.equal(shown.line, line, `it is at ${shown.position}: ${shown.message}`);
        assert.equal(shown.severity, 'Error', `it is ${shown.severity}: ${shown.message}`);
        return Promise.resolve();
      },
    );
    await session.screenshot('helm-chart-template');
  });

  it('underlines a value of the wrong type on its key in values.yaml', testTimeout, async () => {
    const { page, problems } = session.workbench;
    const text = saved(valuesFile);
    const line = lineOf(text, /^replicaCount: 1$/, valuesFile);
    const editor = await CodeEditor.open(page, valuesFile);
    await session.expect(
      'helm-chart-values',
      `Typing on line ${line} of values.yaml makes replicaCount a word`,
      async () => {
        await editor.retype(line, 'replicaCount: '.length + 1, '1', 'two');
        await editor.waitForLine(line, 'replicaCount: two');
      },
    );
    if (!(await problems.root().isVisible())) await problems.open();
    const message = "At '/replicaCount': got string, want integer";
    const shown = await session.expect(
      'helm-chart-values',
      `The Problems panel lists '${message}' under values.yaml`,
      () =>
        waitForProblemAt(page, {
          fileName: 'values.yaml',
          folder: 'charts/otel',
          source: diagnosticSource,
          text: message,
        }),
    );
    await session.expect(
      'helm-chart-values',
      `The problem is an error on the key, line ${line} column 1`,
      () => {
        assert.equal(shown.line, line, `it is at ${shown.position}: ${shown.message}`);
        assert.match(shown.position, /Col 1\]/);
        assert.equal(shown.severity, 'Error', `it is ${shown.severity}: ${shown.message}`);
        return Promise.resolve();
      },
    );
    await session.screenshot('helm-chart-values');
  });

  it('underlines a value of the wrong type on its key in a HelmRelease', testTimeout, async () => {
    const { page, problems } = session.workbench;
    const text = saved(releaseFile);
    const line = lineOf(text, /^ {4}replicaCount: 2$/, releaseFile);
    const editor = await CodeEditor.open(page, releaseFile);
    await session.expect(
      'helm-chart-release-values',
      `Typing on line ${line} of the HelmRelease makes its replicaCount a word`,
      async () => {
        await editor.retype(line, '    replicaCount: '.length + 1, '2', 'two');
        await editor.waitForLine(line, '    replicaCount: two');
      },
    );
    if (!(await problems.root().isVisible())) await problems.open();
    const message = "At '/replicaCount': got string, want integer";
    const shown = await session.expect(
      'helm-chart-release-values',
      `The Problems panel lists '${message}' under otel.yaml`,
      () =>
        waitForProblemAt(page, {
          fileName: 'otel.yaml',
          folder: 'clusters/production',
          source: diagnosticSource,
          text: message,
        }),
    );
    await session.expect(
      'helm-chart-release-values',
      `The problem is an error on the key, line ${line} column 5`,
      () => {
        assert.equal(shown.line, line, `it is at ${shown.position}: ${shown.message}`);
        assert.match(shown.position, /Col 5\]/);
        assert.equal(shown.severity, 'Error', `it is ${shown.severity}: ${shown.message}`);
        return Promise.resolve();
      },
    );
    await editor.retype(line, '    replicaCount: '.length + 1, 'two', '2');
    await session.screenshot('helm-chart-release-values');
  });

  it(
    'underlines a value the rendered Deployment refuses on its key in values.yaml',
    testTimeout,
    async () => {
      const { page, problems } = session.workbench;
      const text = saved(valuesFile);
      const replicas = lineOf(text, /^replicaCount: 1$/, valuesFile);
      const line = lineOf(text, /^revisionHistoryLimit: 10$/, valuesFile);
      const used = lineOf(
        saved(deploymentFile),
        /revisionHistoryLimit: \{\{ \.Values\.revisionHistoryLimit/,
        deploymentFile,
      );
      const editor = await CodeEditor.open(page, valuesFile);
      await session.expect(
        'helm-chart-values-key',
        `Typing in values.yaml puts replicaCount back to 1 and revisionHistoryLimit, which the schema types only as an integer, to -1`,
        async () => {
          await editor.retype(replicas, 'replicaCount: '.length + 1, 'two', '1');
          await editor.waitForLine(replicas, 'replicaCount: 1');
          await editor.retype(line, 'revisionHistoryLimit: '.length + 1, '10', '-1');
          await editor.waitForLine(line, 'revisionHistoryLimit: -1');
        },
      );
      if (!(await problems.root().isVisible())) await problems.open();
      const message = 'spec.revisionHistoryLimit: Invalid value: -1';
      const said = `value revisionHistoryLimit set here, used by templates/deployment.yaml:${used})`;
      const shown = await session.expect(
        'helm-chart-values-key',
        `The Problems panel lists the rendered Deployment's refusal under values.yaml`,
        () =>
          waitForProblemAt(page, {
            fileName: 'values.yaml',
            folder: 'charts/otel',
            source: diagnosticSource,
            text: message,
          }),
      );
      await session.expect(
        'helm-chart-values-key',
        `The problem is an error on the key, line ${line} column 1, that names the template line ${used}`,
        () => {
          assert.equal(shown.line, line, `it is at ${shown.position}: ${shown.message}`);
          assert.match(shown.position, /Col 1\]/);
          assert.equal(shown.severity, 'Error', `it is ${shown.severity}: ${shown.message}`);
          assert.ok(shown.message.endsWith(said), `it says: ${shown.message}`);
          return Promise.resolve();
        },
      );
      await session.screenshot('helm-chart-values-key');
    },
  );

  it('completes a values key with its documentation', testTimeout, async () => {
    const { page } = session.workbench;
    const prodFile = 'charts/otel/values-prod.yaml';
    writeFileSync(path.join(session.folder, prodFile), 'mode: deployment\n\n');
    const editor = await CodeEditor.open(page, prodFile);
    await editor.goTo(2, 1);
    await page.keyboard.type('nameOv');
    const suggestion = page
      .locator('.suggest-widget .monaco-list-row')
      .filter({ hasText: 'nameOverride' });
    const documentation = 'Override name of the chart used in Kubernetes object names.';
    const details = page.locator('.suggest-details').filter({ hasText: documentation });
    await session.expect(
      'helm-chart-completion',
      `Ctrl+Space after "nameOv" offers nameOverride with '${documentation}'`,
      () =>
        pollUntil(
          async () => {
            if (!(await suggestion.first().isVisible())) {
              await page.keyboard.press('Control+Space');
              await suggestion
                .first()
                .waitFor({ state: 'visible', timeout: 5_000 })
                .catch(() => {});
            }
            if ((await suggestion.first().isVisible()) && !(await details.first().isVisible())) {
              // Ctrl+Space on an open list shows the details of the selected entry.
              await page.keyboard.press('Control+Space');
              await details
                .first()
                .waitFor({ state: 'visible', timeout: 3_000 })
                .catch(() => {});
            }
            const shown = await page.locator('.suggest-widget').allInnerTexts();
            return (await details.first().isVisible())
              ? { value: true, seen: '' }
              : { seen: JSON.stringify(shown.join(' | ')) };
          },
          { timeout: 60_000, what: `nameOverride with its documentation` },
        ),
    );
    await session.screenshot('helm-chart-completion');
    await page.keyboard.press('Escape');
  });

  it('goes to definition from a template to the key in values.yaml', testTimeout, async () => {
    const { page } = session.workbench;
    const text = saved(deploymentFile);
    const line = lineOf(
      text,
      /revisionHistoryLimit: \{\{ \.Values\.revisionHistoryLimit/,
      deploymentFile,
    );
    const column = (text.split('\n')[line - 1] ?? '').indexOf('.revisionHistoryLimit') + 3;
    const keyLine = lineOf(saved(valuesFile), /^revisionHistoryLimit: 10$/, valuesFile);
    const editor = await CodeEditor.open(page, deploymentFile);
    await editor.goTo(line, column);
    const values = page.locator(`.part.editor .monaco-editor.focused[data-uri$="/${valuesFile}"]`);
    const cursor = page
      .locator('.part.statusbar .statusbar-item')
      .filter({ hasText: new RegExp(`^\\s*Ln ${keyLine}, Col 1\\s*$`) });
    await session.expect(
      'helm-chart-definition',
      `F12 on .Values.revisionHistoryLimit opens values.yaml on line ${keyLine}`,
      () =>
        pollUntil(
          async () => {
            if (!(await values.isVisible())) {
              await editor.goTo(line, column);
              await page.keyboard.press('F12');
              await values.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
            }
            const at = await page.locator('.part.statusbar').innerText();
            return (await values.isVisible()) && (await cursor.first().isVisible())
              ? { value: true, seen: '' }
              : { seen: JSON.stringify(at) };
          },
          { timeout: 60_000, what: `values.yaml on line ${keyLine}` },
        ),
    );
    await session.screenshot('helm-chart-definition');
  });

  it(
    'treats a manifest in a templates/ folder outside any chart as YAML',
    testTimeout,
    async () => {
      const { page } = session.workbench;
      await CodeEditor.open(page, plainFile);
      await session.expectVisible(
        'helm-chart-plain-templates',
        'The status bar names the language of manifests/templates/configmap.yaml "YAML"',
        page.locator('[id="status.editor.mode"]').filter({ hasText: /^YAML$/ }),
        30_000,
      );
    },
  );
});
