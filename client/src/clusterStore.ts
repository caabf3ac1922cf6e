/**
 * What the Clusters tree knows of each context and app: the last answers of the server, kept
 * per context and per app, and the nodes built from them, stable by id and updated in place.
 * Free of editor APIs: the view asks it for children and is told which node changed.
 */
import type { AppSummary, ContextInfo } from '../../server/src/protocol';
import { editorFailureText } from '../../server/src/protocol';
import { appNodeId, contextNodeId, messageNodeId, resourceNodeId } from './clusterNodes';
import type { AppNode, ClusterNode, ContextNode, ResourceNode } from './clusterNodes';
import { sendRequest } from './statusRequests';
import type { StatusRequests } from './statusRequests';
import {
  appChildren,
  contextChildren,
  isApp,
  isResource,
  messageRow,
  settledRow,
} from './clusterChildren';
import type { AppAnswer, TreeRows } from './clusterChildren';
import { ShownRows } from './shownRows';
import type { RowNow } from './shownRows';
import { contextDescription, nodeItem } from './statusTreeItems';
import type { ContextConnection, ItemSpec } from './statusTreeItems';

interface ContextState {
  connection: ContextConnection;
  /** App ids in the order the server listed them. */
  appIds: string[];
  pending?: Promise<void>;
  /** A change arrived while a request was under way: ask again when it ends. */
  dirty: boolean;
  /** Counts disconnections: an answer to a request sent before one is dropped. */
  generation: number;
  /** The next request asks the server to read the workspace again (the user refreshed). */
  refresh: boolean;
}

interface AppState {
  loaded?: AppAnswer;
  /** Asked again when next shown. */
  stale: boolean;
  pending?: Promise<void>;
  dirty: boolean;
}

export class ClusterStore {
  private readonly nodes = new Map<string, ClusterNode>();
  private readonly parents = new Map<string, ClusterNode>();
  private readonly contexts = new Map<string, ContextState>();
  private readonly apps = new Map<string, AppState>();
  /** Loads started by showing a node, by node id; what it changed is fired when it ends. */
  private readonly loads = new Map<string, Promise<void>>();
  private readonly shown = new ShownRows();
  private readonly rows: TreeRows = {
    node: (id) => this.nodes.get(id),
    message: (parent, kind, contextName, message, appId) => {
      const id = messageNodeId(parent.id, kind);
      const node = messageRow(this.nodes.get(id), id, kind, contextName, message, appId);
      this.nodes.set(id, node);
      this.parents.set(id, parent);
      return node;
    },
  };

  constructor(
    private readonly requests: StatusRequests,
    /** Called with a node whose row or children changed on screen: VS Code renders it again. */
    private readonly fire: (node: ClusterNode) => void,
  ) {}

  node(id: string): ClusterNode | undefined {
    return this.nodes.get(id);
  }

  parentOf(node: ClusterNode): ClusterNode | undefined {
    return this.parents.get(node.id);
  }

  /** The row of a node as it is shown now (remembered: see fireChanged). */
  item(node: ClusterNode): ItemSpec {
    return this.shown.item(
      node.id,
      nodeItem(node, (context) => this.connectionOf(context)),
    );
  }

  connectionOf(context: string): ContextConnection {
    return this.contexts.get(context)?.connection ?? { state: 'idle' };
  }

  /** Contexts that were asked for their apps (answered or failed), for a refresh. */
  connectedContexts(): string[] {
    return [...this.contexts]
      .filter(([, state]) => ['loaded', 'failed', 'loading'].includes(state.connection.state))
      .map(([context]) => context);
  }

  /** The apps a loaded context holds, as known now (for pickers and the status bar). */
  appsOf(context: string): AppNode[] {
    if (this.connectionOf(context).state !== 'loaded') return [];
    const ids = this.contexts.get(context)?.appIds ?? [];
    return ids.map((id) => this.nodes.get(appNodeId(id))).filter(isApp);
  }

  /** The resources of an app read so far, without asking the server. */
  resourcesOf(appId: string): ResourceNode[] {
    const ids = this.apps.get(appId)?.loaded?.resourceIds ?? [];
    return ids.map((id) => this.nodes.get(resourceNodeId(appId, id))).filter(isResource);
  }

  /** The next time an app's children are shown (of one context, or all), they are asked again. */
  markAppsStale(context?: string): void {
    const ids = context === undefined ? [...this.apps.keys()] : this.contexts.get(context)?.appIds;
    for (const id of ids ?? []) {
      const state = this.apps.get(id);
      if (state) state.stale = true;
    }
  }

  contextNode(info: ContextInfo): ContextNode {
    const id = contextNodeId(info.name);
    const existing = this.nodes.get(id);
    if (existing?.type === 'context') {
      existing.info = info;
      return existing;
    }
    const node: ContextNode = { type: 'context', id, info };
    this.nodes.set(id, node);
    return node;
  }

  /**
   * The children of a context as known now, never waiting: VS Code 1.100 registers the children
   * of two overlapping requests for one node twice ("Element with id … is already registered")
   * and then loses them, so nothing here awaits the server. A context not asked yet is asked in
   * the background and shows "Connecting…" until the answer is fired.
   */
  childrenOfContext(node: ContextNode): ClusterNode[] {
    const state = this.contextState(node.info.name);
    if (state.connection.state === 'idle' || state.connection.state === 'loading') {
      this.background(state.pending ?? this.loadContext(node.info.name), node);
    }
    return this.shown.childrenOf(node.id, contextChildren(node, state, this.rows));
  }

  /**
   * The children of an app as known now, never waiting (see childrenOfContext): an app not read
   * yet shows "Reading…", a stale one its last resources, until the answer is fired.
   */
  childrenOfApp(node: AppNode): ClusterNode[] {
    const appId = node.summary.id;
    const state = this.apps.get(appId);
    if (!state?.loaded || state.stale) {
      this.background(state?.pending ?? this.loadApp(appId), node);
    }
    return this.shown.childrenOf(
      node.id,
      appChildren(node, this.apps.get(appId)?.loaded, this.rows),
    );
  }

  /** Resolves once no request started by showing a node is under way (for tests). */
  async idle(): Promise<void> {
    while (this.loads.size > 0) {
      await Promise.all(this.loads.values());
    }
  }

  /** Forgets what a context answered and shows it as idle: it connects when shown. */
  reset(context: string): void {
    this.contextState(context).connection = { state: 'idle' };
  }

  /** Forgets a context's apps; the context then offers to connect again. */
  disconnected(context: string): void {
    const state = this.contextState(context);
    for (const appId of state.appIds) {
      this.forgetApp(appId);
    }
    state.appIds = [];
    state.generation += 1;
    state.connection = { state: 'disconnected' };
  }

  /** Asks for a context's apps (once at a time; again if asked meanwhile). */
  async loadContext(context: string, refresh = false): Promise<void> {
    const state = this.contextState(context);
    state.refresh ||= refresh;
    if (state.pending) {
      state.dirty = true;
      return state.pending;
    }
    const generation = state.generation;
    state.pending = (async () => {
      do {
        state.dirty = false;
        if (state.connection.state !== 'loaded') {
          state.connection = { state: 'loading' };
        }
        const again = state.refresh;
        state.refresh = false;
        const result = await sendRequest(this.requests.log, `Connecting to ${context}`, () =>
          this.requests.contextApps(context, again),
        );
        if (state.generation !== generation) {
          return;
        }
        if (typeof result === 'string') {
          state.connection = { state: 'failed', message: result };
        } else if (result.error) {
          state.connection = { state: 'failed', message: editorFailureText(result.error) };
        } else {
          this.setApps(context, state, result.apps);
          state.connection = { state: 'loaded', apps: result.apps };
        }
      } while (state.dirty);
    })().finally(() => (state.pending = undefined));
    return state.pending;
  }

  /** Asks for one app's status and resources (once at a time; again if asked meanwhile). */
  async loadApp(appId: string): Promise<void> {
    const state = this.appState(appId);
    if (state.pending) {
      state.dirty = true;
      return state.pending;
    }
    state.pending = (async () => {
      do {
        state.dirty = false;
        state.stale = false;
        const result = await sendRequest(this.requests.log, 'Reading the status of an app', () =>
          this.requests.appResources(appId),
        );
        const node = this.nodes.get(appNodeId(appId));
        if (node?.type !== 'app' || this.apps.get(appId) !== state) {
          return;
        }
        if (typeof result === 'string') {
          state.loaded = { resourceIds: [], error: result };
        } else if (result.error || !result.app) {
          const message = result.error
            ? editorFailureText(result.error)
            : 'The server no longer knows this app: refresh.';
          state.loaded = { resourceIds: [], error: message };
        } else {
          const { resources, ...summary } = result.app;
          node.summary = summary;
          for (const resource of resources) {
            const id = resourceNodeId(appId, resource.id);
            const existing = this.nodes.get(id);
            if (existing?.type === 'resource') {
              existing.resource = resource;
            } else {
              const contextName = node.contextName;
              this.nodes.set(id, { type: 'resource', id, contextName, appId, resource });
            }
            this.parents.set(id, node);
          }
          const ids = resources.map((resource) => resource.id);
          for (const gone of (state.loaded?.resourceIds ?? []).filter((id) => !ids.includes(id))) {
            this.forget(resourceNodeId(appId, gone));
          }
          state.loaded = { resourceIds: ids, error: summary.error };
        }
      } while (state.dirty);
    })().finally(() => (state.pending = undefined));
    return state.pending;
  }

  /**
   * Fires what a finished load changed on screen, below and at `node`: the node when its row or
   * its list of children changed, else each shown row under it that changed; nothing when
   * nothing did (see ShownRows: a fired row loses a click that lands meanwhile).
   */
  fireChanged(node: ContextNode | AppNode): void {
    for (const id of this.shown.changed(node.id, (id) => this.rowNow(id))) {
      const changed = this.nodes.get(id);
      if (changed) this.fire(changed);
    }
  }

  /**
   * The server says these apps of a context changed, or its list did (no ids): asks again for
   * what is known, then fires what changed on screen.
   */
  async statusChanged(context: string, appIds: readonly string[]): Promise<void> {
    const state = this.connectionOf(context).state;
    if (state !== 'loaded' && state !== 'loading') return;
    if (appIds.length === 0) {
      // Expanded apps are asked again as well (the server may have started over).
      this.markAppsStale(context);
      await this.loadContext(context);
      const node = this.nodes.get(contextNodeId(context));
      if (node?.type === 'context') this.fireChanged(node);
      return;
    }
    const known = appIds.map((id) => this.nodes.get(appNodeId(id))).filter(isApp);
    await Promise.all(known.map((node) => this.loadApp(node.summary.id)));
    if (!this.fireContextIfChanged(context)) known.forEach((node) => this.fireChanged(node));
  }

  /** Fires the context node when its counts changed; true when it did (its apps come along). */
  fireContextIfChanged(context: string): boolean {
    const node = this.nodes.get(contextNodeId(context));
    const state = this.contexts.get(context);
    if (node?.type !== 'context' || state?.connection.state !== 'loaded') return false;
    const before = contextDescription(node.info, state.connection);
    const apps = state.appIds
      .map((id) => this.nodes.get(appNodeId(id)))
      .filter(isApp)
      .map((app) => app.summary);
    state.connection = { state: 'loaded', apps };
    if (contextDescription(node.info, state.connection) === before) return false;
    this.fire(node);
    return true;
  }

  private setApps(context: string, state: ContextState, apps: readonly AppSummary[]): void {
    const parent = this.nodes.get(contextNodeId(context));
    const ids = apps.map((app) => app.id);
    for (const gone of state.appIds.filter((id) => !ids.includes(id))) {
      this.forgetApp(gone);
    }
    state.appIds = ids;
    for (const summary of apps) {
      const id = appNodeId(summary.id);
      const existing = this.nodes.get(id);
      if (existing?.type === 'app') {
        existing.summary = summary;
      } else {
        this.nodes.set(id, { type: 'app', id, contextName: context, summary });
      }
      if (parent) this.parents.set(id, parent);
    }
  }

  /**
   * Runs a load started by showing `node` (once at a time: loads join a pending one), then fires
   * its context when the app's counts changed, else what changed at and under the node.
   */
  private background(load: Promise<void>, node: ContextNode | AppNode): void {
    if (this.loads.has(node.id)) return;
    this.loads.set(node.id, load);
    void load.then(() => {
      this.loads.delete(node.id);
      if (this.nodes.get(node.id) !== node) return;
      if (node.type === 'app' && this.fireContextIfChanged(node.contextName)) return;
      this.fireChanged(node);
    });
  }

  private contextState(context: string): ContextState {
    const state = this.contexts.get(context) ?? {
      connection: { state: 'idle' },
      appIds: [],
      dirty: false,
      generation: 0,
      refresh: false,
    };
    this.contexts.set(context, state);
    return state;
  }

  private appState(appId: string): AppState {
    const state = this.apps.get(appId) ?? { dirty: false, stale: false };
    this.apps.set(appId, state);
    return state;
  }

  private forgetApp(appId: string): void {
    for (const id of this.apps.get(appId)?.loaded?.resourceIds ?? []) {
      this.forget(resourceNodeId(appId, id));
    }
    this.apps.delete(appId);
    this.forget(appNodeId(appId));
  }

  private forget(id: string): void {
    this.shown.forget(id, this.parents.get(id)?.id);
    this.nodes.delete(id);
    this.parents.delete(id);
  }

  private rowNow(id: string): RowNow | undefined {
    const node = this.nodes.get(id);
    if (!node) return undefined;
    const item = nodeItem(node, (context) => this.connectionOf(context));
    const context = node.type === 'context' ? this.contexts.get(node.info.name) : undefined;
    const app = node.type === 'app' ? this.apps.get(node.summary.id) : undefined;
    return settledRow(node, item, context ?? app, this.rows);
  }
}
