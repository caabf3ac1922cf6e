// Living beside Red Hat's YAML extension (issue 15): with its `yaml.schemas` giving the Kubernetes
// schema to every YAML file, each manifest mistake is listed twice, once by it and once by us. We
// say so once, and our action turns its Kubernetes association off for this workspace only;
// then the mistake is listed once.
//
// The YAML extension is the real one (test/e2e/extensions/SOURCES.md says how it was built). It
// downloads the Kubernetes schema from raw.githubusercontent.com, which these machines cannot
// reach: a local proxy (support/schemaHost.ts) answers for that host with a small schema of the
// same layout (all.json -> _definitions.json), strict like the real one.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { CodeEditor } from './support/editor';
import { diagnosticSource } from './support/manifests';
import { Notifications } from './support/notifications';
import { pollUntil } from './support/poll';
import { startSchemaHost } from './support/schemaHost';
import type { SchemaHost } from './support/schemaHost';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const testTimeout = { timeout: 4 * 60_000 };
const YAML_VSIX = path.resolve(__dirname, 'extensions', 'redhat.vscode-yaml-1.24.0.vsix');
const SCHEMA_HOST = 'raw.githubusercontent.com';
// yaml-language-server 1.24 maps the `kubernetes` keyword to this version's schema.
const SCHEMA_DIR = '/yannh/kubernetes-json-schema/master/v1.34.1-standalone-strict';
const manifestFile = 'apps/web/deployment.yaml';
const NOTICE =
  "Red Hat's YAML extension also validates this workspace's Kubernetes manifests, so each problem would be listed twice.";
const ACTION = 'Turn Off Its Kubernetes Schema Here';
const COMMAND = "GitOps Workbench: Turn Off Red Hat YAML's Kubernetes Schema in This Workspace";

/** A Deployment whose one mistake is the misspelt `replicaz`. */
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicaz: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

/** The two files of the kubernetes-json-schema layout that the YAML extension reads. */
function schemaFiles(): Record<string, string> {
  const strict = (properties: Record<string, unknown>): Record<string, unknown> => ({
    type: 'object',
    additionalProperties: false,
    properties,
  });
  const definitions = {
    'io.k8s.api.apps.v1.Deployment': strict({
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: { $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec' },
      status: { type: 'object' },
    }),
    'io.k8s.api.apps.v1.DeploymentSpec': strict({
      replicas: { type: 'integer' },
      selector: { type: 'object' },
      template: { type: 'object' },
      strategy: { type: 'object' },
      revisionHistoryLimit: { type: 'integer' },
    }),
  };
  return {
    [`${SCHEMA_DIR}/all.json`]: JSON.stringify({
      oneOf: [{ $ref: '_definitions.json#/definitions/io.k8s.api.apps.v1.Deployment' }],
    }),
    [`${SCHEMA_DIR}/_definitions.json`]: JSON.stringify({ definitions }),
  };
}

interface Row {
  source: string;
  message: string;
}

/** The little of the DOM `problemsUnder` uses inside the page. */
interface PageNode {
  querySelector(selector: string): PageNode | null;
  getAttribute(name: string): string | null;
  textContent: string | null;
}

/** Every problem the visible Problems panel lists under the file named `fileName`. */
async function problemsUnder(page: Page, fileName: string): Promise<Row[]> {
  return page
    .locator('.markers-panel .monaco-list-row')
    .evaluateAll((elements: unknown[], name: string): Row[] => {
      const rows = (elements as PageNode[]).slice();
      rows.sort(
        (a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')),
      );
      const found: Row[] = [];
      let file = '';
      for (const row of rows) {
        const message = row.querySelector('.marker-message')?.textContent ?? undefined;
        if (message === undefined) {
          file = row.querySelector('.label-name')?.textContent ?? '';
        } else if (file === name) {
          found.push({ source: row.querySelector('.marker-source')?.textContent ?? '', message });
        }
      }
      return found;
    }, fileName);
}

const shownRows = (rows: Row[]): string =>
  rows.length ? rows.map((row) => `${row.source}: ${row.message}`).join(' | ') : 'no problem';

describe("beside Red Hat's YAML extension", { timeout: 12 * 60_000 }, () => {
  let session: E2eSession;
  let host: SchemaHost;
  let repo = '';

  before(async () => {
    assert.ok(
      existsSync(YAML_VSIX),
      `${path.relative(process.cwd(), YAML_VSIX)} is missing: build it as test/e2e/extensions/SOURCES.md says. This test cannot run without Red Hat's YAML extension.`,
    );
    host = await startSchemaHost(SCHEMA_HOST, schemaFiles());
    repo = path.join(mkdtempSync(path.join(os.tmpdir(), 'gw-e2e-yaml-ext-')), 'web-repo');
    mkdirSync(path.join(repo, 'apps', 'web'), { recursive: true });
    mkdirSync(path.join(repo, '.vscode'), { recursive: true });
    writeFileSync(path.join(repo, manifestFile), MANIFEST);
    writeFileSync(
      path.join(repo, '.vscode', 'settings.json'),
      `${JSON.stringify({ 'yaml.schemas': { kubernetes: '*.yaml' } }, null, 2)}\n`,
    );
    session = await openSession({
      name: 'other-extensions',
      trusted: true,
      repo,
      otherVsixPaths: [YAML_VSIX],
      userSettings: {
        'http.proxy': host.proxyUrl,
        'http.proxyStrictSSL': false,
        'redhat.telemetry.enabled': false,
        'yaml.extension.recommendations': false,
      },
    });
  });

  after(async () => {
    await session?.close();
    await host?.close();
    if (repo) rmSync(path.dirname(repo), { recursive: true, force: true });
  });

  it(
    'offers once to stop the doubles, and after the action lists the mistake once',
    testTimeout,
    async () => {
      const { page, problems } = session.workbench;
      const notifications = new Notifications(page);
      await CodeEditor.open(page, manifestFile);

      await session.expect('other-extensions-notice', `A warning says "${NOTICE}"`, () =>
        notifications.waitFor((message) => message === NOTICE, 'our notice'),
      );

      await problems.open();
      const mistake = (row: Row): boolean => row.message.includes('replicaz');
      const before = await session.expect(
        'other-extensions-twice',
        'Before the action, the misspelt "replicaz" is listed twice: by us and by the YAML extension',
        () =>
          pollUntil(
            async () => {
              const rows = await problemsUnder(page, 'deployment.yaml');
              const ours = rows.filter((row) => mistake(row) && row.source === diagnosticSource);
              const theirs = rows.filter((row) => mistake(row) && row.source !== diagnosticSource);
              return {
                value: ours.length === 1 && theirs.length === 1 ? rows : undefined,
                seen: shownRows(rows),
              };
            },
            { timeout: 90_000, what: 'both problems for "replicaz"' },
          ),
      );
      assert.ok(
        host.requests.includes(`${SCHEMA_DIR}/all.json`),
        `The YAML extension fetched its Kubernetes schema (asked for: ${host.requests.join(', ') || 'nothing'}); problems: ${shownRows(before)}`,
      );

      await session.expect('other-extensions-action', `Clicking "${ACTION}"`, async () => {
        const notice = page
          .locator('.notifications-toasts .notification-list-item')
          .filter({ hasText: NOTICE });
        await notice.getByRole('button', { name: ACTION }).click({ timeout: 30_000 });
      });
      const changed =
        'Changed for this workspace only: yaml.schemas now maps "kubernetes" (was "*.yaml") to no file.';
      await session.expect('other-extensions-changed', `A notification says "${changed}"`, () =>
        notifications.waitFor((message) => message === changed, 'what was changed'),
      );

      const after = await session.expect(
        'other-extensions-once',
        'After the action, the misspelt "replicaz" is listed once, by us',
        () =>
          pollUntil(
            async () => {
              const rows = await problemsUnder(page, 'deployment.yaml');
              const mistakes = rows.filter(mistake);
              return {
                value:
                  mistakes.length === 1 && mistakes[0]?.source === diagnosticSource
                    ? rows
                    : undefined,
                seen: shownRows(rows),
              };
            },
            { timeout: 60_000, what: 'one problem for "replicaz"' },
          ),
      );
      assert.deepEqual(
        after.filter(mistake).map((row) => row.source),
        [diagnosticSource],
        shownRows(after),
      );

      const settings = JSON.parse(
        readFileSync(path.join(session.folder, '.vscode', 'settings.json'), 'utf8'),
      ) as Record<string, unknown>;
      assert.deepEqual(
        settings['yaml.schemas'],
        { kubernetes: [] },
        'the workspace settings map the Kubernetes schema to no file',
      );
      // The action closed the notice; the settings change that followed must not bring it back.
      const notices = (await notifications.shown()).filter((shown) => shown.message === NOTICE);
      assert.deepEqual(notices, [], 'the notice is not shown again once the settings changed');
    },
  );

  it(
    'says from the Command Palette when there is nothing left to turn off',
    testTimeout,
    async () => {
      const notifications = new Notifications(session.workbench.page);
      await session.workbench.quickInput.runCommand(COMMAND);
      const nothing =
        "Red Hat's YAML extension validates no Kubernetes manifest in this workspace: nothing to change.";
      await session.expect('other-extensions-command', `A notification says "${nothing}"`, () =>
        notifications.waitFor((message) => message === nothing, 'nothing to change'),
      );
    },
  );
});
