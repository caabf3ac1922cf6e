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
import { CodeEditor } from './support/editor';
import { diagnosticSource } from './support/manifests';
import { Notifications } from './support/notifications';
import { describeRows, waitForRows } from './support/problemRows';
import type { ProblemRow } from './support/problemRows';
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

/** A Deployment whose one mistake is on line 6: a replica count that is not a number. */
const MISTAKE_LINE = 6;
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: two
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

/** A folder with the manifest and, when given, workspace settings; git-initialised by the session. */
function makeRepo(name: string, workspaceSettings?: Record<string, unknown>): string {
  const repo = path.join(mkdtempSync(path.join(os.tmpdir(), `gw-e2e-${name}-`)), 'web-repo');
  mkdirSync(path.join(repo, 'apps', 'web'), { recursive: true });
  writeFileSync(path.join(repo, manifestFile), MANIFEST);
  if (workspaceSettings) {
    mkdirSync(path.join(repo, '.vscode'), { recursive: true });
    writeFileSync(
      path.join(repo, '.vscode', 'settings.json'),
      `${JSON.stringify(workspaceSettings, null, 2)}\n`,
    );
  }
  return repo;
}

function requireVsix(file: string, what: string): void {
  assert.ok(
    existsSync(file),
    `${path.relative(process.cwd(), file)} is missing: build it as test/e2e/extensions/SOURCES.md says. This test cannot run without ${what}.`,
  );
}

const onMistakeLine = (row: ProblemRow): boolean => row.line === MISTAKE_LINE;

interface Scenario {
  name: string;
  /** Who lists the mistake a second time, for the messages. */
  other: string;
  /** What our second notification says was changed. */
  changed: string;
}

/**
 * Opens the manifest; expects our notice, the mistake listed twice (by us and by another source),
 * the action, what it changed, and then the mistake listed once, by us. Returns the rows before.
 */
async function doublesThenOnce(session: E2eSession, scenario: Scenario): Promise<ProblemRow[]> {
  const { page, problems } = session.workbench;
  const notifications = new Notifications(page);
  await CodeEditor.open(page, manifestFile);
  await session.expect(`${scenario.name}-notice`, `A warning says "${NOTICE}"`, () =>
    notifications.waitFor((message) => message === NOTICE, 'our notice'),
  );

  await problems.open();
  const before = await session.expect(
    `${scenario.name}-twice`,
    `Before the action, the mistake on line ${MISTAKE_LINE} is listed twice: by us and by ${scenario.other}`,
    () =>
      waitForRows(
        page,
        'deployment.yaml',
        (rows) => {
          const mistakes = rows.filter(onMistakeLine);
          return (
            mistakes.filter((row) => row.source === diagnosticSource).length === 1 &&
            mistakes.filter((row) => row.source !== diagnosticSource).length === 1
          );
        },
        `two problems on line ${MISTAKE_LINE}`,
        90_000,
      ),
  );

  await session.expect(`${scenario.name}-action`, `Clicking "${ACTION}"`, async () => {
    const notice = page
      .locator('.notifications-toasts .notification-list-item')
      .filter({ hasText: NOTICE });
    await notice.getByRole('button', { name: ACTION }).click({ timeout: 30_000 });
  });
  await session.expect(
    `${scenario.name}-changed`,
    `A notification says "${scenario.changed}"`,
    () => notifications.waitFor((message) => message === scenario.changed, 'what was changed'),
  );

  const after = await session.expect(
    `${scenario.name}-once`,
    `After the action, the mistake on line ${MISTAKE_LINE} is listed once, by us`,
    () =>
      waitForRows(
        page,
        'deployment.yaml',
        (rows) => {
          const mistakes = rows.filter(onMistakeLine);
          return mistakes.length === 1 && mistakes[0]?.source === diagnosticSource;
        },
        `one problem on line ${MISTAKE_LINE}`,
      ),
  );
  assert.deepEqual(
    after.filter(onMistakeLine).map((row) => row.source),
    [diagnosticSource],
    describeRows(after),
  );
  // The action closed the notice; the settings change that followed must not bring it back.
  const notices = (await notifications.shown()).filter((shown) => shown.message === NOTICE);
  assert.deepEqual(notices, [], 'the notice is not shown again once the settings changed');
  return before;
}

function workspaceSettings(session: E2eSession): Record<string, unknown> {
  return JSON.parse(
    readFileSync(path.join(session.folder, '.vscode', 'settings.json'), 'utf8'),
  ) as Record<string, unknown>;
}

describe("beside Red Hat's YAML extension", { timeout: 12 * 60_000 }, () => {
  let session: E2eSession;
  let host: SchemaHost;
  let repo = '';

  before(async () => {
    requireVsix(YAML_VSIX, "Red Hat's YAML extension");
    host = await startSchemaHost(SCHEMA_HOST, schemaFiles());
    repo = makeRepo('yaml-ext', { 'yaml.schemas': { kubernetes: '*.yaml' } });
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
      const before = await doublesThenOnce(session, {
        name: 'other-extensions',
        other: "the YAML extension's Kubernetes schema",
        changed:
          'Changed for this workspace only: yaml.schemas now maps "kubernetes" (was "*.yaml") to no file.',
      });
      assert.ok(
        host.requests.includes(`${SCHEMA_DIR}/all.json`),
        `The YAML extension fetched its Kubernetes schema (asked for: ${host.requests.join(', ') || 'nothing'}); problems: ${describeRows(before)}`,
      );
      assert.deepEqual(
        workspaceSettings(session)['yaml.schemas'],
        { kubernetes: [] },
        'the workspace settings map the Kubernetes schema to no file',
      );
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
