import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { failureText } from '../../client/src/gitCommandsText';
import { editorFailureText } from '../../server/src/editorHints';
import { createServices } from '../../server/src/services';
import type { ServerEnvironment, Services } from '../../server/src/services';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/settings';
import type { Settings } from '../../server/src/settings';
import { BUNDLE_DIR } from './support/schemas';

/** A workspace folder: a chart, a plain folder of manifests, a kubeconfig beside it. */
function workspace(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gw-services-'));
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write('charts/web/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
  write(
    'charts/web/templates/configmap.yaml',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
  );
  write('notes/namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: notes\n');
  write(
    'kubeconfig.yaml',
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: dev',
      'clusters: [{name: dev, cluster: {server: "https://127.0.0.1:1"}}]',
      'users: [{name: dev, user: {token: "t"}}]',
      'contexts: [{name: dev, context: {cluster: dev, user: dev}}]',
      '',
    ].join('\n'),
  );
  return root;
}

/** The fake environment, recording what the services tell it. */
interface Fake extends ServerEnvironment {
  trust: boolean;
  readonly refreshes: { count: number };
  readonly warnings: string[];
  readonly lines: string[];
}

function fakeEnvironment(folder: string, settings: Settings = DEFAULT_SETTINGS): Fake {
  const fake: Fake = {
    trust: false,
    refreshes: { count: 0 },
    warnings: [],
    lines: [],
    openDocuments: () => new Map(),
    settings: { get: () => Promise.resolve(settings) },
    trusted: () => fake.trust,
    storagePath: () => undefined,
    workspaceFolders: () => [folder],
    refreshDiagnostics: () => {
      fake.refreshes.count++;
    },
    notifyStatus: () => undefined,
    warn: (message) => fake.warnings.push(message),
    log: (message) => fake.lines.push(message),
    kubeconfigEnv: () => undefined,
    schemaDir: BUNDLE_DIR,
    toolCacheDir: path.join(folder, 'no-tool-cache'),
  };
  return fake;
}

const built: Services[] = [];
function build(env: ServerEnvironment): Services {
  const services = createServices(env);
  built.push(services);
  return services;
}
after(() => built.forEach((services) => services.dispose()));

const never = new AbortController().signal;

describe('the services, built in plain Node against a fake environment', () => {
  it('validate a document with the bundled schemas', async () => {
    const folder = workspace();
    const { validation } = build(fakeEnvironment(folder));
    const file = path.join(folder, 'notes', 'deployment.yaml');
    const result = await validation.validate(
      pathToFileURL(file).href,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "two"\n',
      { kubernetesVersion: '', clusterContext: '', kubeconfig: '' },
      never,
    );
    assert.ok(
      result.findings.some((finding) => /replicas/.test(finding.message)),
      result.findings.map((finding) => finding.message).join('\n'),
    );
  });

  it('run nothing and read no kubeconfig in an untrusted workspace, and say so', async () => {
    const folder = workspace();
    const services = build(fakeEnvironment(folder));
    await services.start();
    const preview = await services.rendered.preview(
      path.join(folder, 'charts', 'web', 'Chart.yaml'),
      never,
    );
    assert.equal(preview.reason, 'untrusted');
    const apps = await services.status.contextApps(
      { context: 'dev', kubeconfigPath: path.join(folder, 'kubeconfig.yaml') },
      never,
    );
    assert.equal(apps.error?.reason, 'untrusted');
    const history = await services.git.history({ uri: pathToFileURL(folder).href }, never);
    assert.equal(history.error?.reason, 'untrusted');
    assert.deepEqual(await services.contexts.list({ kubeconfigPath: folder }), {
      allowed: false,
      files: [],
      contexts: [],
      problems: [],
    });
  });

  it('render with the binaries of the settings: a wrong helm path is a typed reason and the setting to fix', async () => {
    const folder = workspace();
    const { settings } = parseSettings({ helmPath: path.join(folder, 'no-helm') });
    const env = fakeEnvironment(folder, settings);
    env.trust = true;
    const services = build(env);
    await services.start();
    assert.ok(env.refreshes.count > 0, 'the scan of the workspace asks for diagnostics again');
    const preview = await services.rendered.preview(
      path.join(folder, 'charts', 'web', 'values.yaml'),
      never,
    );
    assert.equal(preview.reason, 'binaryMissing', preview.error);
    assert.equal(preview.hint, 'helmPath');
    assert.equal(
      editorFailureText({ message: preview.error ?? '', hint: preview.hint }),
      `The helm path "${path.join(folder, 'no-helm')}" is not an executable file: clear it to use helm from PATH, or correct the path to helm (gitopsWorkbench.helmPath).`,
    );
    const lone = await services.rendered.preview(
      path.join(folder, 'notes', 'namespace.yaml'),
      never,
    );
    assert.equal(lone.reason, 'noUnit');
    assert.equal(
      lone.error,
      'namespace.yaml belongs to no kustomization, chart, Flux or Argo CD app of this workspace.',
    );
  });

  it('list the contexts of a kubeconfig, and answer a history outside git with its reason', async () => {
    const folder = workspace();
    const env = fakeEnvironment(folder);
    env.trust = true;
    const services = build(env);
    const found = await services.contexts.list({
      kubeconfigPath: path.join(folder, 'kubeconfig.yaml'),
    });
    assert.equal(found.allowed, true);
    assert.deepEqual(
      found.contexts.map((context) => [context.name, context.current]),
      [['dev', true]],
    );
    const history = await services.git.history(
      { uri: pathToFileURL(path.join(folder, 'notes', 'namespace.yaml')).href },
      never,
    );
    assert.equal(history.error?.reason, 'notARepository');
    assert.equal(history.commits.length, 0);
  });

  it('say a context the kubeconfig lacks by its reason, without contacting anything', async () => {
    const folder = workspace();
    const env = fakeEnvironment(folder);
    env.trust = true;
    const services = build(env);
    const apps = await services.status.contextApps(
      { context: 'prod', kubeconfigPath: path.join(folder, 'kubeconfig.yaml') },
      never,
    );
    assert.equal(apps.error?.reason, 'contextNotFound', apps.error?.message);
    assert.deepEqual(apps.apps, []);
  });

  it('use the git of the settings: a missing one is gitMissing, and the client names the setting', async () => {
    const folder = workspace();
    mkdirSync(path.join(folder, '.git'));
    const { settings } = parseSettings({ gitPath: path.join(folder, 'no-git') });
    const env = fakeEnvironment(folder, settings);
    env.trust = true;
    const state = await build(env).git.branchState(folder, never);
    assert.equal(state.error?.reason, 'gitMissing', state.error?.message);
    assert.equal(
      failureText(state.error),
      'Git was not found: install git, or set the path to the git binary (gitopsWorkbench.gitPath).',
    );
  });
});
