// Problems lists every file a change breaks, open or not (issue 18: "Rendered findings show only
// on files that are open"): renaming a ConfigMap in a base lists the Deployment that still reads
// it, in a file nobody opened; naming it back clears it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { CodeEditor } from './support/editor';
import { diagnosticSource } from './support/manifests';
import { waitForProblemAt } from './support/problemAt';
import { pollUntil } from './support/poll';
import { waitForLogLine } from './support/serverLog';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const testTimeout = { timeout: 4 * 60_000 };
const base = 'apps/podinfo/base';
const configMapFile = `${base}/configmap.yaml`;
/** A Deployment of the base that reads the ConfigMap; the test never opens it. */
const WORKER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  selector:
    matchLabels:
      app: worker
  template:
    metadata:
      labels:
        app: worker
    spec:
      containers:
        - name: worker
          image: ghcr.io/stefanprodan/podinfo:6.7.1
          envFrom:
            - configMapRef:
                name: podinfo-config
`;
const WORKER_LINE = 19;

describe('problems of files nobody opened', { timeout: 10 * 60_000 }, () => {
  let session: E2eSession;

  before(async () => {
    await ensureTools(['kustomize']);
    const kustomization = readFileSync(
      path.resolve(__dirname, '..', '..', 'examples', 'podinfo-gitops', base, 'kustomization.yaml'),
      'utf8',
    );
    session = await openSession({
      name: 'workspace-problems',
      trusted: true,
      files: {
        [`${base}/worker.yaml`]: WORKER,
        [`${base}/kustomization.yaml`]: `${kustomization.trimEnd()}\n  - worker.yaml\n`,
      },
      userSettings: {
        'gitopsWorkbench.kustomizePath': toolPath('kustomize'),
        'files.autoSave': 'off',
      },
    });
  });

  after(async () => {
    await session?.close();
  });

  it(
    'lists the Deployment that reads a renamed ConfigMap, in a file that is not open',
    testTimeout,
    async () => {
      const { page, quickInput, problems } = session.workbench;
      const editor = await CodeEditor.open(page, configMapFile);
      await session.expect(
        'workspace-problems-renamed',
        'The language server logs that it renders the units of the workspace',
        () => waitForLogLine(page, quickInput, /Rendering\s[1-9]\d*\sunit\(s\)/),
      );
      await editor.focus();
      await session.expect(
        'workspace-problems-renamed',
        'Typing on line 4 of the base ConfigMap renames it "podinfo-settings" (unsaved)',
        async () => {
          await editor.retype(4, '  name: podinfo-'.length + 1, 'config', 'settings');
          await editor.waitForLine(4, '  name: podinfo-settings');
        },
      );
      if (!(await problems.root().isVisible())) await problems.open();
      const shown = await session.expect(
        'workspace-problems-renamed',
        'The Problems panel lists worker.yaml, which is not open, with the ConfigMap it reads',
        () =>
          waitForProblemAt(page, {
            fileName: 'worker.yaml',
            folder: base,
            source: diagnosticSource,
            text: 'ConfigMap "podinfo-config"',
          }),
      );
      await session.expect(
        'workspace-problems-renamed',
        `The problem is on line ${WORKER_LINE} of worker.yaml, the name it reads`,
        () => {
          assert.equal(shown.line, WORKER_LINE, `it is at ${shown.position}: ${shown.message}`);
          return Promise.resolve();
        },
      );
      const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
      assert.ok(!tabs.some((tab) => tab.includes('worker.yaml')), `open tabs: ${tabs.join(', ')}`);
      await session.screenshot('workspace-problems-renamed');

      await session.expect(
        'workspace-problems-cleared',
        'Naming the ConfigMap back clears the problem of worker.yaml',
        async () => {
          await editor.retype(4, '  name: podinfo-'.length + 1, 'settings', 'config');
          await editor.waitForLine(4, '  name: podinfo-config');
          await pollUntil(
            async () => {
              const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
              const listed = rows.some((row) => row.includes('worker.yaml'));
              return { value: listed ? undefined : true, seen: rows.join(' | ') || 'no rows' };
            },
            { timeout: 60_000, what: 'no problem row for worker.yaml', intervalMs: 250 },
          );
        },
      );
      await session.screenshot('workspace-problems-cleared');
    },
  );
});
