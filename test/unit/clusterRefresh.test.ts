// Which rows of the Clusters tree a finished load asks VS Code to render again. A fired row is
// rendered again with its rows, and a click that lands meanwhile runs nothing
// (microsoft/vscode#153982), so a live change that changes nothing on screen must fire nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppStatus, ResourceStatus } from '../../server/src/protocol';
import type { AppNode, ClusterNode, ContextNode } from '../../client/src/clusterNodes';
import { ClusterStore } from '../../client/src/clusterStore';
import { app, info, resource } from './support/statusFixtures';

const deployment = resource();
const service = resource({
  id: '/Service/podinfo/podinfo',
  apiVersion: 'v1',
  kind: 'Service',
  sync: 'Synced',
  changedPaths: [],
});

interface Tree {
  store: ClusterStore;
  context: ContextNode;
  app: AppNode;
  /** Labels of the rows fired since the last render, in order. */
  fired: () => string[];
  /** What VS Code does: shows each row, and the children of the expanded rows. */
  render: () => void;
  /** The server answers with these resources from now on. */
  answer: (resources: ResourceStatus[], summary?: Partial<AppStatus>) => void;
}

/** A tree with the context and its app expanded, shown as VS Code shows it. */
async function shownTree(resources: ResourceStatus[], expandApp = true): Promise<Tree> {
  let status: AppStatus = { ...app(), resources };
  const fired: ClusterNode[] = [];
  const store = new ClusterStore(
    {
      contextApps: () => Promise.resolve({ apps: [app()] }),
      appResources: () => Promise.resolve({ app: status }),
      log: { error: () => undefined },
    },
    (node) => fired.push(node),
  );
  const context = store.contextNode(info);
  const expanded = new Set([context.id]);
  const render = (node: ClusterNode): void => {
    store.item(node);
    if (!expanded.has(node.id)) return;
    const children =
      node.type === 'context'
        ? store.childrenOfContext(node)
        : node.type === 'app'
          ? store.childrenOfApp(node)
          : [];
    children.forEach(render);
  };
  render(context);
  await store.idle();
  render(context);
  const [appNode] = store.childrenOfContext(context);
  assert.equal(appNode?.type, 'app');
  if (expandApp) expanded.add(appNode.id);
  render(context);
  await store.idle();
  render(context);
  fired.length = 0;
  return {
    store,
    context,
    app: appNode,
    fired: () => fired.map((node) => store.item(node).label),
    render: () => {
      fired.length = 0;
      render(context);
    },
    answer: (next, summary = {}) => {
      status = { ...app(), ...summary, resources: next };
    },
  };
}

/** What the view does with a `statusChanged` naming the app. */
async function statusChanged(tree: Tree): Promise<string[]> {
  await tree.store.loadApp(app().id);
  if (!tree.store.fireContextIfChanged(info.name)) tree.store.fireChanged(tree.app);
  return tree.fired();
}

describe('Clusters tree: which rows a load renders again', () => {
  it('renders nothing again when the answer shows the same as the screen', async () => {
    const tree = await shownTree([deployment, service]);
    assert.deepEqual(await statusChanged(tree), []);
    assert.deepEqual(await statusChanged(tree), [], 'nor on the next live change');
  });

  it('renders only the row whose tooltip changed', async () => {
    const tree = await shownTree([deployment, service]);
    tree.answer([{ ...deployment, changedPaths: ['spec.replicas', 'spec.paused'] }, service]);
    assert.deepEqual(await statusChanged(tree), ['Deployment/podinfo']);
    tree.render();
    assert.deepEqual(await statusChanged(tree), [], 'once shown, the same answer renders nothing');
  });

  it('renders the app when its row or its list of resources changed', async () => {
    const tree = await shownTree([deployment, service]);
    tree.answer([deployment]);
    assert.deepEqual(await statusChanged(tree), ['podinfo'], 'a resource left the app');
    tree.render();
    tree.answer([deployment], {
      counts: { Synced: 0, OutOfSync: 1, Missing: 0, Extra: 0, Unknown: 0 },
    });
    assert.deepEqual(await statusChanged(tree), ['podinfo'], 'its counts changed');
  });

  it('renders the context when an app changed its sync (the context counts apps out of sync)', async () => {
    const tree = await shownTree([deployment]);
    tree.answer([{ ...deployment, sync: 'Synced', changedPaths: [] }], { sync: 'Synced' });
    assert.deepEqual(await statusChanged(tree), ['kind-staging']);
  });

  it('renders a collapsed app only when its own row changed', async () => {
    const tree = await shownTree([deployment, service], false);
    tree.answer([deployment]);
    assert.deepEqual(await statusChanged(tree), [], 'its resources are not on screen');
    tree.answer([deployment], { controller: { ready: 'False', message: 'Apply failed' } });
    assert.deepEqual(await statusChanged(tree), ['podinfo']);
  });

  it('renders an expanded app whose resources are to be asked again, so that VS Code asks', async () => {
    const tree = await shownTree([deployment, service]);
    tree.store.markAppsStale(info.name);
    tree.store.fireChanged(tree.context);
    assert.deepEqual(tree.fired(), ['podinfo']);
  });
});
