import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type {
  AppResourcesResult,
  AppStatus,
  AppSummary,
  ContextAppsResult,
  ResourceStatus,
} from '../../server/src/protocol';
import type { AppNode, ClusterNode, ResourceNode } from '../../client/src/clusterNodes';
import { ClusterStore } from '../../client/src/clusterStore';
import {
  appDescription,
  appIcon,
  appItem,
  appTooltip,
  contextDescription,
  contextItem,
  md,
  messageItem,
  STATUS_ICON_NAMES,
  resourceIcon,
  resourceItem,
  resourceTooltip,
} from '../../client/src/statusTreeItems';
import { diffDocumentPath, diffTitle } from '../../client/src/diffNames';
import { app, info, resource } from './support/statusFixtures';

function appNode(summary: AppSummary = app()): AppNode {
  return { type: 'app', id: `app:${summary.id}`, contextName: summary.context, summary };
}

function resourceNode(status: ResourceStatus = resource()): ResourceNode {
  const appId = app().id;
  return {
    type: 'resource',
    id: `resource:${appId}|${status.id}`,
    contextName: 'kind-staging',
    appId,
    resource: status,
  };
}

describe('context items', () => {
  it('leads with how many apps are out of sync, then how many apps, then "current"', () => {
    assert.equal(contextDescription(info, { state: 'idle' }), 'current');
    const apps = [app(), app({ id: 'b', sync: 'Synced' })];
    assert.equal(
      contextDescription(info, { state: 'loaded', apps }),
      '1 out of sync · 2 apps · current',
    );
    assert.equal(
      contextDescription(info, { state: 'failed', message: 'Unreachable.' }),
      'not connected · current',
    );
    assert.match(
      contextItem({ type: 'context', id: 'c', info }, { state: 'idle' }).tooltip,
      /\(the current context of the kubeconfig\)/,
    );
    assert.equal(
      contextDescription({ ...info, current: false }, { state: 'loaded', apps: [apps[1]!] }),
      '1 app',
    );
  });

  it('is collapsed, and offers Disconnect only once connected', () => {
    const node = { type: 'context' as const, id: 'context:kind-staging', info };
    assert.equal(contextItem(node, { state: 'idle' }).contextValue, 'kubeContext');
    assert.equal(contextItem(node, { state: 'idle' }).collapsible, true);
    assert.equal(
      contextItem(node, { state: 'loaded', apps: [] }).contextValue,
      'kubeContext.connected',
    );
  });
});

describe('app items', () => {
  it('shows our sync first, then the controller health in a word, then Git ahead', () => {
    assert.equal(appDescription(app({ gitAhead: true })), 'OutOfSync · Ready · Git ahead');
    assert.equal(
      appDescription(
        app({
          sync: 'Synced',
          counts: { Synced: 4, OutOfSync: 0, Missing: 0, Extra: 0, Unknown: 0 },
          controller: { ready: 'False' },
        }),
      ),
      'Synced · Not Ready',
    );
    assert.equal(
      appDescription(
        app({
          kind: 'ArgoApplication',
          controller: { syncStatus: 'Synced', ready: 'Healthy' },
          counts: { Synced: 1, OutOfSync: 1, Missing: 0, Extra: 0, Unknown: 0 },
        }),
      ),
      'OutOfSync · Healthy',
    );
    assert.equal(
      appDescription(app({ controller: { ready: 'True', suspended: true } })),
      'OutOfSync · Suspended',
    );
    assert.equal(appDescription(app({ kind: 'Folder', controller: undefined })), 'OutOfSync');
  });

  it('shows the controller status with a spinner while our first comparison is under way', () => {
    const rendering = app({ comparing: { done: 0, total: 0 }, sync: 'Unknown' });
    delete (rendering as { match?: unknown }).match;
    const item = appItem({ type: 'app', id: 'a', contextName: 'kind-staging', summary: rendering });
    assert.equal(item.description, 'Rendering… · Ready');
    assert.deepEqual(item.icon, { codicon: 'loading~spin' });
    const comparing = app({ comparing: { done: 120, total: 1000 } });
    assert.equal(appDescription(comparing), 'Comparing 120/1000… · Ready');
    assert.match(
      appTooltip(comparing),
      /status: Comparing 120\/1000… \(our comparison with Git is under way\)/,
    );
    const apps = [comparing, app({ id: 'b' }), app({ id: 'c', sync: 'Synced' })];
    assert.equal(
      contextDescription(info, { state: 'loaded', apps }),
      '1 out of sync · comparing 1… · 3 apps · current',
      'an app still being compared is not counted out of sync yet',
    );
  });

  it('says when no folder of the workspace holds the app', () => {
    const item = appItem(appNode(app({ match: undefined, sync: 'Unknown' })));
    assert.equal(item.description, 'not in this workspace · Ready');
    assert.deepEqual(item.icon, { status: 'unknown' });
  });

  it('is labelled by the app name, with a menu context for its controller', () => {
    const item = appItem(appNode());
    assert.equal(item.label, 'podinfo');
    assert.equal(item.id, `app:${app().id}`);
    assert.equal(item.contextValue, 'gitopsApp.flux');
    assert.equal(appItem(appNode(app({ kind: 'ArgoApplication' }))).contextValue, 'gitopsApp.argo');
    assert.equal(appItem(appNode(app({ kind: 'Folder' }))).contextValue, 'gitopsApp');
  });

  it('picks its icon from our sync, and the controller when synced', () => {
    assert.equal(appIcon(app()), 'outOfSync');
    assert.equal(appIcon(app({ sync: 'Synced' })), 'synced');
    assert.equal(
      appIcon(app({ sync: 'Synced', controller: { ready: 'False' } })),
      'healthDegraded',
    );
    assert.equal(appIcon(app({ sync: 'Unknown' })), 'unknown');
    assert.equal(appIcon(app({ error: 'The render failed.' })), 'unknown');
  });

  it('explains source, status, controller and comparison in its tooltip', () => {
    const tooltip = appTooltip(app({ comparison: 'predictedLive', error: 'Forbidden.' }));
    assert.match(tooltip, /Flux Kustomization/);
    assert.match(tooltip, /`https:\/\/github.com\/example\/fleet`/);
    assert.match(tooltip, /path: `\.\/apps\/podinfo`/);
    assert.match(
      tooltip,
      /status: \*\*OutOfSync\*\* \(1 Missing, 2 OutOfSync, 1 Extra, 3 Synced\)/,
    );
    assert.match(tooltip, /revision: `main@sha1:0123abc`/);
    assert.match(tooltip, /controller: Flux: Ready/);
    assert.match(tooltip, /desired: `\/work\/fleet\/apps\/podinfo` \(working tree, matched by/);
    assert.match(tooltip, /predicted live — an approximation: dry\\-run is not permitted/);
    assert.match(tooltip, /error: Forbidden\\\./);
  });
});

describe('resource items', () => {
  it('is labelled Kind/name, with sync then health, the namespace in its tooltip', () => {
    const item = resourceItem(resourceNode());
    assert.equal(item.label, 'Deployment/podinfo');
    assert.equal(item.description, 'OutOfSync · Healthy');
    assert.match(item.tooltip, /namespace: `podinfo`/);
    const missing = resource({ sync: 'Missing', health: { status: 'Missing' } });
    assert.equal(resourceItem(resourceNode(missing)).description, 'Missing');
    const degraded = resource({ sync: 'Synced', health: { status: 'Degraded' } });
    assert.equal(resourceItem(resourceNode(degraded)).description, 'Synced · Degraded');
    assert.equal(item.contextValue, 'gitopsResource.withSource');
    assert.equal(item.collapsible, false);
    assert.equal(item.command?.id, 'gitopsWorkbench.showDiff');
  });

  it('opens no diff when it could not be compared', () => {
    const item = resourceItem(resourceNode(resource({ sync: 'Unknown', origin: undefined })));
    assert.equal(item.command, undefined);
    assert.equal(item.contextValue, 'gitopsResource');
  });

  it('picks its icon from its sync, and a health heart when synced but not healthy', () => {
    assert.equal(resourceIcon(resource({ sync: 'Missing' })), 'missing');
    assert.equal(resourceIcon(resource({ sync: 'Extra' })), 'extra');
    assert.equal(resourceIcon(resource({ sync: 'Synced' })), 'synced');
    assert.equal(
      resourceIcon(resource({ sync: 'Synced', health: { status: 'Progressing' } })),
      'healthProgressing',
    );
    assert.equal(
      resourceIcon(resource({ sync: 'Synced', health: { status: 'Degraded' } })),
      'healthDegraded',
    );
    assert.equal(
      resourceIcon(resource({ sync: 'OutOfSync', health: { status: 'Degraded' } })),
      'outOfSync',
    );
  });

  it('ships one picture per icon, and no red cross for a synced object that is not healthy', () => {
    const shipped = readdirSync(path.join(__dirname, '..', '..', 'media', 'status')).sort();
    assert.deepEqual(shipped, STATUS_ICON_NAMES.map((name) => `${name}.svg`).sort());
  });

  it('lists at most ten changed paths in its tooltip', () => {
    const changedPaths = Array.from({ length: 13 }, (_, i) => `data.KEY_${i}`);
    const tooltip = resourceTooltip(resource({ changedPaths, reason: 'Differs from Git.' }));
    assert.match(tooltip, /`data.KEY_9` and 3 more/);
    assert.doesNotMatch(tooltip, /KEY_10/);
    assert.match(tooltip, /health: \*\*Healthy\*\* — 2 of 2 replicas available/);
    assert.match(tooltip, /comparison: server\\-side dry\\-run/);
    assert.match(tooltip, /reason: Differs from Git\\\./);
    assert.match(tooltip, /deployment\.yaml` line 3/);
  });
});

describe('message items and diff names', () => {
  it('shows an error with its full text and a Retry that reconnects', () => {
    const error = messageItem({
      type: 'message',
      id: 'error:context:kind-staging',
      kind: 'error',
      contextName: 'kind-staging',
      message: 'kind-staging is not reachable.',
    });
    assert.equal(error.label, 'kind-staging is not reachable.');
    assert.deepEqual(error.icon, { codicon: 'error' });
    const retry = messageItem({
      type: 'message',
      id: 'retry:context:kind-staging',
      kind: 'retry',
      contextName: 'kind-staging',
      message: 'Connect again.',
    });
    assert.equal(retry.label, 'Retry');
    assert.equal(retry.command?.id, 'gitopsWorkbench.retryContext');
  });

  it('titles a diff by resource and comparison, in YAML paths', () => {
    assert.equal(
      diffTitle(resource(), 'serverSideDryRun'),
      'Deployment/podinfo: live (cluster) ↔ Git (desired) · server-side dry-run',
    );
    assert.equal(
      diffTitle(resource(), 'predictedLive'),
      'Deployment/podinfo: live (cluster) ↔ Git (desired) · predicted live',
    );
    assert.equal(
      diffTitle(resource(), 'none'),
      'Deployment/podinfo: live (cluster) ↔ Git (desired)',
    );
    assert.equal(
      diffDocumentPath('arn:aws:eks:eu-west-1:1:cluster/prod', resource(), 'live'),
      '/arn:aws:eks:eu-west-1:1:cluster_prod/Deployment-podinfo (live).yaml',
    );
    assert.equal(
      diffDocumentPath('kind-staging', resource(), 'desired'),
      '/kind-staging/Deployment-podinfo (Git).yaml',
    );
  });

  it('escapes Markdown in names and messages', () => {
    assert.equal(md('a_b *c* [d](e)'), 'a\\_b \\*c\\* \\[d\\]\\(e\\)');
  });
});

describe('ClusterStore (the tree without the editor)', () => {
  function store(
    contextApps: () => ContextAppsResult | undefined,
    appResources: () => AppResourcesResult | undefined = () => undefined,
  ): { store: ClusterStore; fired: ClusterNode[] } {
    const fired: ClusterNode[] = [];
    const result = new ClusterStore(
      {
        contextApps: () => Promise.resolve(contextApps()),
        appResources: () => Promise.resolve(appResources()),
        log: { error: () => undefined },
      },
      (node) => fired.push(node),
    );
    return { store: result, fired };
  }

  /** What a tree shows for `node` once the loads that showing it started have ended. */
  async function shownAfterLoad(
    tree: ClusterStore,
    show: () => ClusterNode[],
  ): Promise<ClusterNode[]> {
    show();
    await tree.idle();
    return show();
  }

  it('shows "Connecting…" without waiting, then the error of an unreachable context and a Retry', async () => {
    const { store: tree, fired } = store(() => ({
      apps: [],
      error: { reason: 'unreachable', message: 'kind-staging is not reachable: is it running?' },
    }));
    const context = tree.contextNode(info);
    tree.item(context); // VS Code shows a row before it asks for its children.
    const first = tree.childrenOfContext(context);
    assert.deepEqual(
      first.map((child) => (child.type === 'message' ? [child.kind, child.message] : [])),
      [['info', 'Connecting to kind-staging…']],
    );
    assert.deepEqual(fired, []);
    await tree.idle();
    assert.deepEqual(fired, [context], 'the context is fired once its answer is in');
    const children = tree.childrenOfContext(context);
    assert.deepEqual(
      children.map((child) => (child.type === 'message' ? [child.kind, child.message] : [])),
      [
        ['error', 'kind-staging is not reachable: is it running?'],
        ['retry', 'Connect to kind-staging again.'],
      ],
    );
    assert.equal(
      contextItem(context, tree.connectionOf('kind-staging')).description,
      'not connected · current',
    );
  });

  it('asks the server once while a context is shown again and again before it answers', async () => {
    let asked = 0;
    const { store: tree, fired } = store(() => {
      asked += 1;
      return { apps: [app()] };
    });
    const context = tree.contextNode(info);
    tree.item(context);
    tree.childrenOfContext(context);
    tree.childrenOfContext(context);
    tree.childrenOfContext(context);
    await tree.idle();
    assert.equal(asked, 1);
    assert.deepEqual(fired, [context]);
  });

  it('keeps app and resource nodes by id across answers', async () => {
    let sync: AppSummary['sync'] = 'OutOfSync';
    const status = (): AppStatus => ({ ...app({ sync }), resources: [resource()] });
    const { store: tree, fired } = store(
      () => ({ apps: [app({ sync })] }),
      () => ({ app: status() }),
    );
    const context = tree.contextNode(info);
    const [first] = await shownAfterLoad(tree, () => tree.childrenOfContext(context));
    assert.equal(first?.type, 'app');
    tree.item(first);
    const reading = tree.childrenOfApp(first);
    assert.deepEqual(
      reading.map((child) => (child.type === 'message' ? child.message : child.type)),
      ['Reading the resources of podinfo…'],
    );
    await tree.idle();
    assert.ok(fired.includes(first), 'the app is fired once its resources are in');
    const [firstResource] = tree.childrenOfApp(first);
    sync = 'Synced';
    await tree.loadApp(app().id);
    const [again] = tree.childrenOfContext(context);
    assert.equal(again, first);
    assert.equal(again.summary.sync, 'Synced');
    const [resourceAgain] = tree.childrenOfApp(again);
    assert.equal(resourceAgain, firstResource);
    assert.equal(
      resourceAgain && resourceItem(resourceAgain as ResourceNode).label,
      'Deployment/podinfo',
    );
  });

  it('asks again for the resources of a context whose apps were marked stale, showing the last ones meanwhile', async () => {
    let asked = 0;
    const { store: tree } = store(
      () => ({ apps: [app()] }),
      () => {
        asked += 1;
        return { app: { ...app(), resources: [resource()] } };
      },
    );
    const [node] = await shownAfterLoad(tree, () => tree.childrenOfContext(tree.contextNode(info)));
    assert.equal(node?.type, 'app');
    await shownAfterLoad(tree, () => tree.childrenOfApp(node));
    await shownAfterLoad(tree, () => tree.childrenOfApp(node));
    assert.equal(asked, 1);
    tree.markAppsStale('another-context');
    await shownAfterLoad(tree, () => tree.childrenOfApp(node));
    assert.equal(asked, 1);
    tree.markAppsStale('kind-staging');
    const meanwhile = tree.childrenOfApp(node);
    assert.deepEqual(
      meanwhile.map((child) => child.type),
      ['resource'],
    );
    await tree.idle();
    assert.equal(asked, 2);
  });

  it('lists the apps of a loaded context and the resources read so far, for the pickers', async () => {
    const { store: tree } = store(
      () => ({ apps: [app()] }),
      () => ({ app: { ...app(), resources: [resource()] } }),
    );
    assert.deepEqual(tree.appsOf('kind-staging'), [], 'nothing before the context is loaded');
    const [node] = await shownAfterLoad(tree, () => tree.childrenOfContext(tree.contextNode(info)));
    assert.deepEqual(tree.appsOf('kind-staging'), [node]);
    assert.deepEqual(tree.resourcesOf(app().id), [], 'resources are not asked for by listing');
    await tree.loadApp(app().id);
    assert.deepEqual(
      tree.resourcesOf(app().id).map((child) => resourceItem(child).label),
      ['Deployment/podinfo'],
    );
    tree.disconnected('kind-staging');
    assert.deepEqual(tree.appsOf('kind-staging'), []);
  });

  it('offers to connect again after a disconnection', async () => {
    const { store: tree } = store(() => ({ apps: [app()] }));
    const context = tree.contextNode(info);
    await shownAfterLoad(tree, () => tree.childrenOfContext(context));
    tree.disconnected('kind-staging');
    const children = tree.childrenOfContext(context);
    assert.deepEqual(
      children.map((child) => (child.type === 'message' ? child.kind : child.type)),
      ['info', 'connect'],
    );
  });

  it('says the server is not running instead of listing nothing', async () => {
    const { store: tree } = store(() => undefined);
    const children = await shownAfterLoad(tree, () =>
      tree.childrenOfContext(tree.contextNode(info)),
    );
    assert.equal(children[0]?.type === 'message' && children[0].kind, 'error');
    assert.match((children[0] as { message: string }).message, /not running/);
  });
});
