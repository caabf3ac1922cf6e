// Living beside Microsoft's Kubernetes extension (issue 15): it names chart templates `helm` and
// hands Red Hat's YAML extension (which it depends on) a Kubernetes schema for every manifest
// through the YAML extension's schema contributor API. Both are the real extensions, built from
// source (test/e2e/extensions/SOURCES.md), installed with ours in one code-server. A chart
// template mistake and a wrong values type are each listed once, by us; a plain manifest's
// mistake is listed twice until our action turns off YAML validation for the workspace (the
// only setting that stops a schema contributor), and then once.
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTools, toolPath } from '../../scripts/harness/toolchain';
import { CodeEditor } from './support/editor';
import { diagnosticSource } from './support/manifests';
import { Notifications } from './support/notifications';
import { pollUntil } from './support/poll';
import { describeRows, problemRows, waitForRows } from './support/problemRows';
import type { ProblemRow } from './support/problemRows';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const testTimeout = { timeout: 4 * 60_000 };
const EXTENSIONS = path.resolve(__dirname, 'extensions');
const YAML_VSIX = path.join(EXTENSIONS, 'redhat.vscode-yaml-1.24.0.vsix');
const KUBERNETES_VSIX = path.join(
  EXTENSIONS,
  'ms-kubernetes-tools.vscode-kubernetes-tools-1.3.25.vsix',
);
const CHART = path.resolve(__dirname, '..', 'fixtures', 'charts', 'opentelemetry-collector');
const templateFile = 'charts/otel/templates/deployment.yaml';
const valuesFile = 'charts/otel/values.yaml';
const manifestFile = 'apps/web/web.yaml';
const NOTICE =
  "Microsoft's Kubernetes extension gives Red Hat's YAML extension a Kubernetes schema for every manifest, so each problem would be listed twice: only turning off YAML validation in this workspace stops that.";
const ACTION = 'Turn Off YAML Validation Here';
const CHANGED =
  "Changed for this workspace only: yaml.validate is now false (the Kubernetes extension hands Red Hat's YAML extension a schema for every manifest, and no narrower setting stops that).";
/** How long a count must hold before a test believes no second listing is on its way. */
const SETTLE_MS = 8_000;

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

/** A kubeconfig with no cluster: the Kubernetes extension then uses its bundled schema. */
const EMPTY_KUBECONFIG = `apiVersion: v1
kind: Config
clusters: []
contexts: []
users: []
current-context: ""
`;

function requireVsix(file: string, what: string): void {
  assert.ok(
    existsSync(file),
    `${path.relative(process.cwd(), file)} is missing: build it as test/e2e/extensions/SOURCES.md says. This test cannot run without ${what}.`,
  );
}

/** The 1-based number of the first line of `text` that `pattern` matches; fails when none does. */
function lineOf(text: string, pattern: RegExp, file: string): number {
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  assert.ok(index >= 0, `${file} has a line matching ${String(pattern)}`);
  return index + 1;
}

/** The chart (mode and image set, as a repository using it would) and the plain manifest. */
function makeRepo(): string {
  const repo = path.join(mkdtempSync(path.join(os.tmpdir(), 'gw-e2e-k8s-ext-')), 'k8s-repo');
  cpSync(CHART, path.join(repo, 'charts', 'otel'), { recursive: true });
  const values = path.join(repo, valuesFile);
  writeFileSync(
    values,
    readFileSync(values, 'utf8')
      .replace(/^mode: ""$/m, 'mode: deployment')
      .replace(/^ {2}repository: ""$/m, '  repository: otel/opentelemetry-collector-k8s'),
  );
  mkdirSync(path.join(repo, 'apps', 'web'), { recursive: true });
  writeFileSync(path.join(repo, manifestFile), MANIFEST);
  return repo;
}

/**
 * Waits until the rows of `fileName` on `line` are exactly one, ours, with `message` in it, and
 * that this holds for SETTLE_MS (a second listing arrives within that, as the manifest test shows).
 */
async function listedOnceByUs(
  session: E2eSession,
  name: string,
  fileName: string,
  line: number,
  message: string,
): Promise<ProblemRow> {
  const { page } = session.workbench;
  const onLine = (rows: ProblemRow[]): ProblemRow[] => rows.filter((row) => row.line === line);
  const once = (rows: ProblemRow[]): boolean => {
    const here = onLine(rows);
    return here.length === 1 && here[0]?.source === diagnosticSource;
  };
  const rows = await session.expect(
    name,
    `The Problems panel lists '${message}' under ${fileName} on line ${line}, once, by us`,
    () =>
      waitForRows(
        page,
        fileName,
        (shown) => once(shown) && (onLine(shown)[0]?.message.includes(message) ?? false),
        `our problem alone on line ${line}`,
        90_000,
      ),
  );
  const settled = Date.now() + SETTLE_MS;
  while (Date.now() < settled) {
    const now = await problemRows(page, fileName);
    if (!once(now)) {
      await session.screenshot(name);
      assert.fail(
        `${fileName} line ${line} is no longer listed once by us: ${describeRows(onLine(now))}`,
      );
    }
    await page.waitForTimeout(500);
  }
  const shown = onLine(rows)[0];
  assert.ok(shown, describeRows(rows));
  return shown;
}

/** The language id of the editor showing `relativePath` (Monaco's `data-mode-id`). */
async function languageOf(session: E2eSession, editor: CodeEditor): Promise<string> {
  return session.expect(
    'kubernetes-extension-language',
    `The editor of ${editor.relativePath} has a language`,
    () =>
      pollUntil(
        async () => {
          const id =
            (await editor
              .root()
              .first()
              .locator('xpath=ancestor-or-self::*[@data-mode-id][1]')
              .getAttribute('data-mode-id', { timeout: 2_000 })
              .catch(() => null)) ?? undefined;
          return { value: id, seen: id ?? 'no data-mode-id' };
        },
        { timeout: 10_000, what: 'a language id' },
      ),
  );
}

/** Clicks `action` on the notification saying `message`: its toast, or in the notification center. */
async function clickAction(session: E2eSession, message: string, action: string): Promise<void> {
  const { page, quickInput } = session.workbench;
  const item = (where: string): ReturnType<typeof page.locator> =>
    page.locator(`${where} .notification-list-item`).filter({ hasText: message }).first();
  let notice = item('.notifications-toasts');
  if (!(await notice.isVisible())) {
    notice = item('.notifications-center');
    if (!(await notice.isVisible())) {
      await quickInput.runCommand('Notifications: Show Notifications');
    }
  }
  await notice.hover({ timeout: 30_000 });
  await notice.getByRole('button', { name: action }).click({ timeout: 30_000 });
}

describe("beside Microsoft's Kubernetes extension", { timeout: 15 * 60_000 }, () => {
  let session: E2eSession;
  let repo = '';
  let scratch = '';

  before(async () => {
    requireVsix(YAML_VSIX, "Red Hat's YAML extension (the Kubernetes extension depends on it)");
    requireVsix(KUBERNETES_VSIX, "Microsoft's Kubernetes extension");
    await ensureTools(['helm', 'kustomize', 'kubectl']);
    repo = makeRepo();
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gw-e2e-k8s-ext-kubeconfig-'));
    const kubeconfig = path.join(scratch, 'config');
    writeFileSync(kubeconfig, EMPTY_KUBECONFIG);
    session = await openSession({
      name: 'kubernetes-extension',
      trusted: true,
      repo,
      // The YAML extension first: the Kubernetes extension declares it as a dependency.
      otherVsixPaths: [YAML_VSIX, KUBERNETES_VSIX],
      userSettings: {
        'gitopsWorkbench.helmPath': toolPath('helm'),
        'gitopsWorkbench.kustomizePath': toolPath('kustomize'),
        // Without a kubeconfig and a kubectl the Kubernetes extension waits on a question
        // ("Kubeconfig not found ... Add a new one?") before it registers its schema.
        'vscode-kubernetes.kubectl-path': toolPath('kubectl'),
        'vscode-kubernetes.helm-path': toolPath('helm'),
        'vs-kubernetes': {
          'vs-kubernetes.kubeconfig': kubeconfig,
          'vs-kubernetes.ignore-recommendations': true,
          checkForMinikubeUpgrade: false,
        },
        'redhat.telemetry.enabled': false,
        'yaml.extension.recommendations': false,
      },
    });
  });

  after(async () => {
    await session?.close();
    if (repo) rmSync(path.dirname(repo), { recursive: true, force: true });
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const saved = (file: string): string => readFileSync(path.join(session.folder, file), 'utf8');

  it(
    'lists a template mistake once, on its line, in the template the Kubernetes extension names helm',
    testTimeout,
    async () => {
      const { page, problems } = session.workbench;
      const text = saved(templateFile);
      const line = lineOf(text, /^ {2}replicas: \{\{ \.Values\.replicaCount \}\}$/, templateFile);
      const editor = await CodeEditor.open(page, templateFile);
      const language = await languageOf(session, editor);
      const mode = await page.locator('[id="status.editor.mode"]').innerText();
      process.stdout.write(`# ${templateFile}: language "${language}", status bar "${mode}"\n`);
      assert.equal(language, 'helm', `the template's language is "${language}"`);
      // The status bar names a language by its first alias: the Kubernetes extension's is this.
      assert.equal(mode.trim(), 'helm-template', `the status bar names the language "${mode}"`);
      await session.expect(
        'kubernetes-extension-template',
        `Typing on line ${line} of the template misspells "replicas"`,
        async () => {
          await editor.retype(line, 3, 'replicas', 'replica');
          await editor.waitForLine(line, '  replica: {{ .Values.replicaCount }}');
        },
      );
      if (!(await problems.root().isVisible())) await problems.open();
      const shown = await listedOnceByUs(
        session,
        'kubernetes-extension-template',
        'deployment.yaml',
        line,
        'Unknown field "replica" in spec',
      );
      assert.equal(await languageOf(session, editor), 'helm', 'the template is still "helm"');
      assert.match(shown.message, /Unknown field "replica" in spec/);
      await session.screenshot('kubernetes-extension-template');
    },
  );

  it('lists a wrong value type once, on its key in values.yaml', testTimeout, async () => {
    const { page, problems } = session.workbench;
    const line = lineOf(saved(valuesFile), /^replicaCount: 1$/, valuesFile);
    const editor = await CodeEditor.open(page, valuesFile);
    await session.expect(
      'kubernetes-extension-values',
      `Typing on line ${line} of values.yaml makes replicaCount a word`,
      async () => {
        await editor.retype(line, 'replicaCount: '.length + 1, '1', 'two');
        await editor.waitForLine(line, 'replicaCount: two');
      },
    );
    if (!(await problems.root().isVisible())) await problems.open();
    await listedOnceByUs(
      session,
      'kubernetes-extension-values',
      'values.yaml',
      line,
      "At '/replicaCount': got string, want integer",
    );
    await session.screenshot('kubernetes-extension-values');
  });

  it(
    'offers to turn off YAML validation, and after the action lists a manifest mistake once',
    testTimeout,
    async () => {
      const { page, problems } = session.workbench;
      const notifications = new Notifications(page);
      await CodeEditor.open(page, manifestFile);
      // Shown when the session started; its toast may have hidden since: the center keeps it.
      await session.workbench.quickInput.runCommand('Notifications: Show Notifications');
      await session.expect('kubernetes-extension-notice', `A warning says "${NOTICE}"`, () =>
        notifications.waitFor((message) => message === NOTICE, 'our notice'),
      );
      if (!(await problems.root().isVisible())) await problems.open();
      const onMistakeLine = (row: ProblemRow): boolean => row.line === MISTAKE_LINE;
      const before = await session.expect(
        'kubernetes-extension-twice',
        `Before the action, the mistake on line ${MISTAKE_LINE} is listed twice: by us and by the YAML extension with the Kubernetes extension's schema`,
        () =>
          waitForRows(
            page,
            'web.yaml',
            (rows) => {
              const mistakes = rows.filter(onMistakeLine);
              return (
                mistakes.filter((row) => row.source === diagnosticSource).length === 1 &&
                mistakes.filter((row) => row.source !== diagnosticSource).length === 1
              );
            },
            `two problems on line ${MISTAKE_LINE}`,
            120_000,
          ),
      );
      const theirs = before.filter(onMistakeLine).find((row) => row.source !== diagnosticSource);
      assert.match(
        theirs?.source ?? '',
        /kubernetes:\/\/schema\//,
        `the second listing comes from the Kubernetes extension's schema: ${describeRows(before)}`,
      );

      await session.expect('kubernetes-extension-action', `Clicking "${ACTION}"`, () =>
        clickAction(session, NOTICE, ACTION),
      );
      await session.expect('kubernetes-extension-changed', `A notification says "${CHANGED}"`, () =>
        notifications.waitFor((message) => message === CHANGED, 'what was changed'),
      );
      const settings = JSON.parse(saved(path.join('.vscode', 'settings.json'))) as Record<
        string,
        unknown
      >;
      assert.equal(settings['yaml.validate'], false, 'the workspace settings turn validation off');

      if (!(await problems.root().isVisible())) await problems.open();
      const shown = await listedOnceByUs(
        session,
        'kubernetes-extension-once',
        'web.yaml',
        MISTAKE_LINE,
        'replicas',
      );
      assert.equal(shown.source, diagnosticSource);
      const notices = (await notifications.shown()).filter((item) => item.message === NOTICE);
      assert.deepEqual(notices, [], 'the notice is not shown again once the settings changed');
      await session.screenshot('kubernetes-extension-once');
    },
  );
});
