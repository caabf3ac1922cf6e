// Which rows of the Clusters tree a finished load asks VS Code to render again. A fired row is
// rendered again with its rows, and a click that lands meanwhile runs nothing
// (microsoft/vscode#153982), so a live change that changes nothing on screen must fire nothing,
// and what is on screen must still end up as what the store knows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppStatus, ResourceStatus } from '../../server/src/protocol';
import type { AppNode, ClusterNode, ContextNode } from '../../client/src/clusterNodes';
import { ClusterStore } from '../../client/src/clusterStore';
import type { ItemSpec } from '../../client/src/statusTreeItems';
import { app, info, resource } from './support/statusFixtures';

const deployment = resource();
const service = resource({
  id: '/Service/podinfo/podinfo',
  apiVersion: 'v1',
  kind: 'Service',
  sync: 'Synced',
  changedPaths: [],
});

/**
 * What VS Code holds: the node objects it was given, the row of each, and the children of the
 * expanded ones. A fired node it does not hold (by object, as VS Code's extension host keeps
 * them) is ignored; a fired node it holds is asked for its row and, when expanded, its children.
 */
class Screen {
  private readonly rows = new Map<ClusterNode, ItemSpec>();
  private readonly children = new Map<ClusterNode, ClusterNode[]>();
  constructor(
    private readonly store: ClusterStore,
    readonly expanded: Set<string>,
    /** Nodes fired and not rendered yet: VS Code renders them after the event, not during it. */
    private readonly queue: ClusterNode[] = [],
  ) {}

  show(node: ClusterNode): void {
    this.rows.set(node, this.store.item(node));
    if (!this.expanded.has(node.id)) return;
    const children =
      node.type === 'context'
        ? this.store.childrenOfContext(node)
        : node.type === 'app'
          ? this.store.childrenOfApp(node)
          : [];
    this.children.set(node, children);
    children.forEach((child) => this.show(child));
  }

  /** Renders what was fired; returns the labels of the fired rows VS Code holds. */
  renderFired(): string[] {
    const held = this.queue.splice(0).filter((node) => this.rows.has(node));
    held.forEach((node) => this.show(node));
    return held.map((node) => this.rows.get(node)?.label ?? '');
  }

  /** The rows as a user reads them, depth first: "label · description". */
  text(root: ClusterNode): string[] {
    const row = this.rows.get(root);
    const own = row ? [`${row.label} · ${row.description ?? ''}`] : [];
    if (!this.expanded.has(root.id)) return own;
    return [...own, ...(this.children.get(root) ?? []).flatMap((child) => this.text(child))];
  }
}

interface Tree {
  store: ClusterStore;
  screen: Screen;
  context: ContextNode;
  app: AppNode;
  /** The server answers with these resources from now on (one answer per request, in order). */
  answer: (
    ...answers: Array<{ resources: ResourceStatus[]; summary?: Partial<AppStatus> }>
  ) => void;
}

/** A tree with the context (and its app, unless told) expanded, shown as VS Code shows it. */
async function shownTree(resources: ResourceStatus[], expandApp = true): Promise<Tree> {
  let answers: AppStatus[] = [{ ...app(), resources }];
  const fired: ClusterNode[] = [];
  const store = new ClusterStore(
    {
      contextApps: () => Promise.resolve({ apps: [app()] }),
      appResources: () =>
        Promise.resolve({ app: answers.length > 1 ? answers.shift() : answers[0] }),
      log: { error: () => undefined },
    },
    (node) => fired.push(node),
  );
  const context = store.contextNode(info);
  const screen = new Screen(store, new Set([context.id]), fired);
  screen.show(context);
  await store.idle();
  screen.renderFired();
  const [appNode] = store.childrenOfContext(context);
  assert.equal(appNode?.type, 'app');
  if (expandApp) {
    screen.expanded.add(appNode.id);
    screen.show(appNode);
    await store.idle();
    screen.renderFired();
  }
  return {
    store,
    screen,
    context,
    app: appNode,
    answer: (...next) => {
      answers = next.map(({ resources: shown, summary = {} }) => ({
        ...app(),
        ...summary,
        resources: shown,
      }));
    },
  };
}

/** The server says the app changed: returns the labels of the rows rendered again. */
async function statusChanged(tree: Tree): Promise<string[]> {
  await tree.store.statusChanged(info.name, [app().id]);
  return tree.screen.renderFired();
}

/** What a new window would show now: every row rendered from the store afresh. */
function fresh(tree: Tree): string[] {
  const screen = new Screen(tree.store, tree.screen.expanded);
  screen.show(tree.context);
  return screen.text(tree.context);
}

describe('Clusters tree: which rows a load renders again', () => {
  it('renders nothing again when the answer shows the same as the screen', async () => {
    const tree = await shownTree([deployment, service]);
    assert.deepEqual(await statusChanged(tree), []);
    assert.deepEqual(await statusChanged(tree), [], 'nor on the next live change');
    assert.deepEqual(tree.screen.text(tree.context), fresh(tree));
  });

  it('renders only the row whose tooltip changed', async () => {
    const tree = await shownTree([deployment, service]);
    tree.answer({
      resources: [{ ...deployment, changedPaths: ['spec.replicas', 'spec.paused'] }, service],
    });
    assert.deepEqual(await statusChanged(tree), ['Deployment/podinfo']);
    assert.deepEqual(await statusChanged(tree), [], 'once shown, the same answer renders nothing');
  });

  it('renders the app when its row or its list of resources changed', async () => {
    const tree = await shownTree([deployment, service]);
    tree.answer({ resources: [deployment] });
    assert.deepEqual(await statusChanged(tree), ['podinfo'], 'a resource left the app');
    assert.deepEqual(tree.screen.text(tree.context), fresh(tree));
    const counts = { Synced: 0, OutOfSync: 1, Missing: 0, Extra: 0, Unknown: 0 };
    tree.answer({ resources: [deployment], summary: { counts } });
    assert.deepEqual(await statusChanged(tree), ['podinfo'], 'its counts changed');
    assert.deepEqual(tree.screen.text(tree.context), fresh(tree));
  });

  it('renders the context when an app changed its sync (the context counts apps out of sync)', async () => {
    const tree = await shownTree([deployment]);
    const synced = { ...deployment, sync: 'Synced' as const, changedPaths: [] };
    tree.answer({ resources: [synced], summary: { sync: 'Synced' } });
    assert.deepEqual(await statusChanged(tree), ['kind-staging']);
    assert.deepEqual(tree.screen.text(tree.context), fresh(tree));
    assert.match(fresh(tree).join('\n'), /Deployment\/podinfo · Synced/);
  });

  it('renders a collapsed app only when its own row changed', async () => {
    const tree = await shownTree([deployment, service], false);
    tree.answer({ resources: [deployment] });
    assert.deepEqual(await statusChanged(tree), [], 'its resources are not on screen');
    tree.answer({
      resources: [deployment],
      summary: { controller: { ready: 'False', message: 'Apply failed' } },
    });
    assert.deepEqual(await statusChanged(tree), ['podinfo']);
  });

  it('renders an expanded app whose resources are to be asked again, so that VS Code asks', async () => {
    const tree = await shownTree([deployment, service]);
    tree.store.markAppsStale(info.name);
    tree.store.fireChanged(tree.context);
    assert.deepEqual(tree.screen.renderFired(), ['podinfo']);
    await tree.store.idle();
    assert.deepEqual(tree.screen.renderFired(), [], 'the same answer again renders nothing');
    assert.deepEqual(tree.screen.text(tree.context), fresh(tree));
  });

  it('shows a resource that left and came back within one load with its new state', async () => {
    const tree = await shownTree([deployment, service]);
    const degraded = { ...deployment, health: { status: 'Degraded' as const, message: 'crash' } };
    // The second change comes while the first answer is on its way: one load asks twice.
    tree.answer({ resources: [service] }, { resources: [degraded, service] });
    await Promise.all([
      tree.store.statusChanged(info.name, [app().id]),
      tree.store.statusChanged(info.name, [app().id]),
    ]);
    tree.screen.renderFired();
    assert.deepEqual(tree.screen.text(tree.context), fresh(tree));
    assert.match(
      tree.screen.text(tree.context).join('\n'),
      /Deployment\/podinfo · OutOfSync · Degraded/,
    );
    tree.answer({ resources: [deployment, service] });
    await statusChanged(tree);
    assert.deepEqual(tree.screen.text(tree.context), fresh(tree), 'and follows it afterwards');
  });
});
