import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULT_SETTINGS,
  SETTING_KEYS,
  parseSettings,
  renderBinaries,
} from '../../server/src/settings';
import { SettingsCache } from '../../server/src/settingsCache';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the gitopsWorkbench settings', () => {
  it('are the defaults when nothing is set, or the section is not an object', () => {
    for (const section of [undefined, null, {}, 'text', 42]) {
      assert.deepEqual(parseSettings(section), { settings: DEFAULT_SETTINGS, problems: [] });
    }
  });

  it('read every key of the section, trimmed', () => {
    const { settings, problems } = parseSettings({
      validation: { enable: false, context: ' kind-dev ' },
      kubernetesVersion: '1.33',
      kubeconfig: '/home/me/.kube/dev',
      helmPath: ' /opt/helm ',
      kustomizePath: '',
      gitPath: '/usr/bin/git',
      render: { allowNetwork: true, memoryLimitMB: 512.7 },
      externalResources: { Secret: ['tls-*', 7, 'flux-system/creds'] },
      targets: [{ path: 'apps/dev', context: 'kind-dev', namespace: 'dev' }],
      ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['/spec/replicas', 3] }],
      status: { desiredFrom: 'HEAD' },
      forge: {
        hosts: { 'git.acme.com': { kind: 'gitlab', apiUrl: 'https://git.acme.com/api/v4' } },
      },
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      validationEnabled: false,
      kubernetesVersion: '1.33',
      clusterContext: 'kind-dev',
      kubeconfig: '/home/me/.kube/dev',
      helmPath: '/opt/helm',
      gitPath: '/usr/bin/git',
      allowNetwork: true,
      memoryLimitMB: 512,
      external: { Secret: ['tls-*', 'flux-system/creds'] },
      targets: [{ path: 'apps/dev', context: 'kind-dev', namespace: 'dev' }],
      ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
      desiredFrom: 'HEAD',
      forgeHosts: { 'git.acme.com': { kind: 'gitlab', apiUrl: 'https://git.acme.com/api/v4' } },
    });
  });

  it('leave out what is malformed, each said once as a sentence naming the setting', () => {
    const { settings, problems } = parseSettings({
      validation: { enable: 'yes' },
      gitPath: 3,
      render: { allowNetwork: 'true', memoryLimitMB: 10 },
      externalResources: { Secret: 'tls' },
      targets: [{ path: 'apps' }, 'apps/dev'],
      status: { desiredFrom: 'head' },
      forge: { hosts: { 'git.acme.com': { kind: 'bitbucket' } } },
    });
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    assert.deepEqual(problems, [
      'gitopsWorkbench.validation.enable must be true or false: true is used.',
      'gitopsWorkbench.gitPath must be a text: it is ignored.',
      'gitopsWorkbench.render.allowNetwork must be true or false: false is used.',
      'gitopsWorkbench.render.memoryLimitMB must be a number of MB, at least 64: the default is used.',
      'gitopsWorkbench.externalResources.Secret must be a list of names: it is ignored.',
      'gitopsWorkbench.targets[0] needs a path and a context: it is ignored.',
      'gitopsWorkbench.targets[1] must be an object: it is ignored.',
      'gitopsWorkbench.status.desiredFrom must be "workingTree" or "HEAD": workingTree is used.',
      'gitopsWorkbench.forge.hosts["git.acme.com"].kind must be "github", "gitlab" or "gitea": the host is ignored.',
    ]);
  });

  it('name settings the extension declares, with the scope it declares', () => {
    const declared = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      }
    ).contributes.configuration.properties;
    for (const [field, { key, scope }] of Object.entries(SETTING_KEYS)) {
      const entry = declared[`gitopsWorkbench.${key}`];
      assert.ok(entry, `${field}: gitopsWorkbench.${key} is declared`);
      assert.equal(entry.scope, scope, `${field}: the scope of gitopsWorkbench.${key}`);
    }
  });

  it('give the render engine its binaries, cache and render settings', () => {
    const { settings } = parseSettings({
      kustomizePath: '/opt/kustomize',
      render: { allowNetwork: true, memoryLimitMB: 2048 },
      externalResources: { ConfigMap: ['cluster-ca'] },
    });
    assert.deepEqual(renderBinaries(settings, '/cache'), {
      kustomize: '/opt/kustomize',
      cacheDir: '/cache',
      memoryLimitMB: 2048,
      allowNetwork: true,
      external: { ConfigMap: ['cluster-ca'] },
    });
    assert.deepEqual(renderBinaries(DEFAULT_SETTINGS, '/cache'), {
      cacheDir: '/cache',
      allowNetwork: false,
      external: {},
    });
  });
});

describe('the settings cache', () => {
  function source(sections: Record<string, unknown>): {
    asked: Array<string | undefined>;
    read: (scope: string | undefined) => Promise<unknown>;
  } {
    const asked: Array<string | undefined> = [];
    return {
      asked,
      read: (scope) => {
        asked.push(scope);
        return Promise.resolve(sections[scope ?? 'window']);
      },
    };
  }

  it('asks once per resource, and again after the resource is forgotten or the settings change', async () => {
    const client = source({
      'file:///a.yaml': { kubernetesVersion: '1.33' },
      window: { render: { allowNetwork: true } },
    });
    const cache = new SettingsCache(client.read, () => undefined);
    assert.equal((await cache.get('file:///a.yaml')).kubernetesVersion, '1.33');
    assert.equal((await cache.get('file:///a.yaml')).kubernetesVersion, '1.33');
    assert.equal((await cache.get()).allowNetwork, true);
    assert.deepEqual(client.asked, ['file:///a.yaml', undefined]);
    cache.forget('file:///a.yaml');
    await cache.get('file:///a.yaml');
    cache.clear();
    await cache.get();
    assert.deepEqual(client.asked, ['file:///a.yaml', undefined, 'file:///a.yaml', undefined]);
  });

  it('uses the defaults when the client cannot be asked, or its answer fails (asked again then)', async () => {
    assert.deepEqual(
      await new SettingsCache(
        () => undefined,
        () => undefined,
      ).get(),
      DEFAULT_SETTINGS,
    );
    let calls = 0;
    const failing = new SettingsCache(
      () => {
        calls++;
        return Promise.reject(new Error('connection closed'));
      },
      () => undefined,
    );
    assert.deepEqual(await failing.get('file:///a.yaml'), DEFAULT_SETTINGS);
    await failing.get('file:///a.yaml');
    assert.equal(calls, 2);
  });

  it('says a malformed setting once, and again once it changed', async () => {
    const said: string[] = [];
    const cache = new SettingsCache(
      () => Promise.resolve({ render: { memoryLimitMB: 1 } }),
      (message) => said.push(message),
    );
    await cache.get('file:///a.yaml');
    await cache.get('file:///b.yaml');
    assert.deepEqual(said, [
      'gitopsWorkbench.render.memoryLimitMB must be a number of MB, at least 64: the default is used.',
    ]);
    cache.clear();
    await cache.get();
    assert.equal(said.length, 2);
  });
});
