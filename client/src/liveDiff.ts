import * as vscode from 'vscode';
import { editorFailureText } from '../../server/src/protocol';
import type { Comparison, StatusChangedParams } from '../../server/src/protocol';
import type { ResourceNode } from './clusterNodes';
import type { Ctx } from './ctx';
import { DIFF_LANGUAGE, diffDocumentPath, diffTitle } from './diffNames';

export const DIFF_SCHEME = 'gitops-workbench-diff';
const SERVER_DOWN =
  'The GitOps Workbench language server is not running: restart it, then show the diff again.';
const REQUEST_FAILED = 'The request to the language server failed: see the GitOps Workbench log.';

type Side = 'live' | 'desired';
/** How long after a diff's document closes it is forgotten, unless it opened again. */
const CLOSE_SETTLE_MS = 1000;

interface DiffEntry {
  readonly context: string;
  readonly appId: string;
  readonly resourceId: string;
  readonly kind: string;
  readonly name: string;
  live: string;
  desired: string;
  comparison: Comparison;
  /** Counts the requests for the texts: only the latest one's answer is kept. */
  asked: number;
}

/** A request whose answer came after a later one's was sent: that one will show. */
const SUPERSEDED = Symbol('superseded');

/**
 * Read-only live and desired texts of one resource (normalized, Secret values masked by the
 * server) for VS Code's diff editor: live on the left, Git on the right. Open diffs follow the
 * server's `statusChanged` for their app.
 */
export class LiveDiff implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly entries = new Map<string, DiffEntry>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, this),
      ctx.onDidChangeStatus((params) => void this.statusChanged(params)),
      vscode.workspace.onDidCloseTextDocument((document) => this.closed(document.uri)),
      this.changed,
    );
  }

  /**
   * Forgets a diff once neither side is open. Checked a moment later: VS Code closes and opens a
   * document again when its language is set (see inDiffLanguage).
   */
  private closed(uri: vscode.Uri): void {
    if (uri.scheme !== DIFF_SCHEME) return;
    const query = new URLSearchParams(uri.query);
    const key = keyOf({ appId: query.get('app') ?? '', resourceId: query.get('resource') ?? '' });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const entry = this.entries.get(key);
      if (!entry) return;
      const open = new Set(
        vscode.workspace.textDocuments.map((document) => document.uri.toString()),
      );
      const sides = [uriOf(entry, 'live'), uriOf(entry, 'desired')];
      if (!sides.some((side) => open.has(side.toString()))) this.entries.delete(key);
    }, CLOSE_SETTLE_MS);
    this.timers.add(timer);
  }

  /** Opens the diff of a resource of the Clusters tree; an error becomes a message. */
  async show(node: ResourceNode): Promise<void> {
    const resource = node.resource;
    const entry: DiffEntry = {
      context: node.contextName,
      appId: node.appId,
      resourceId: resource.id,
      kind: resource.kind,
      name: resource.name,
      live: '',
      desired: '',
      comparison: resource.comparison,
      asked: 0,
    };
    const error = await this.fetch(entry);
    if (typeof error === 'string') {
      void vscode.window.showErrorMessage(error);
      return;
    }
    this.entries.set(keyOf(entry), entry);
    const live = uriOf(entry, 'live');
    const desired = uriOf(entry, 'desired');
    this.changed.fire(live);
    this.changed.fire(desired);
    try {
      await Promise.all([live, desired].map(inDiffLanguage));
      await vscode.commands.executeCommand(
        'vscode.diff',
        live,
        desired,
        diffTitle(entry, entry.comparison),
        { preview: true },
      );
    } catch (error) {
      // No document opened, so none will close: nothing would forget the entry.
      if (this.entries.get(keyOf(entry)) === entry) this.entries.delete(keyOf(entry));
      throw error;
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const side: Side = query.get('side') === 'desired' ? 'desired' : 'live';
    const appId = query.get('app') ?? '';
    const resourceId = query.get('resource') ?? '';
    let entry = this.entries.get(`${appId}\n${resourceId}`);
    if (!entry) {
      // A diff editor restored after a reload: ask the server again.
      entry = {
        context: query.get('context') ?? '',
        appId,
        resourceId,
        kind: query.get('kind') ?? '',
        name: query.get('name') ?? '',
        live: '',
        desired: '',
        comparison: 'none',
        asked: 0,
      };
      const error = await this.fetch(entry);
      if (typeof error === 'string') {
        return `# ${error}\n`;
      }
      this.entries.set(keyOf(entry), entry);
    }
    return textOf(entry, side);
  }

  /** Asks the server for the texts; returns a sentence when it could not. */
  private async fetch(entry: DiffEntry): Promise<string | typeof SUPERSEDED | undefined> {
    const turn = (entry.asked += 1);
    try {
      const result = await this.ctx.resourceDiff(entry.appId, entry.resourceId);
      if (entry.asked !== turn) return SUPERSEDED;
      if (!result) return SERVER_DOWN;
      if (result.error || !result.diff) {
        return result.error
          ? editorFailureText(result.error)
          : 'The server returned no diff for this resource: refresh.';
      }
      entry.live = result.diff.live;
      entry.desired = result.diff.desired;
      entry.comparison = result.diff.comparison;
      return undefined;
    } catch (error) {
      this.ctx.log.error(
        `Reading the diff of ${entry.kind}/${entry.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return REQUEST_FAILED;
    }
  }

  /**
   * Every diff shown and not closed follows the change, also one still opening: a diff whose
   * documents were not open yet when a change came used to be dropped and then never followed
   * the cluster again (its documents opened a moment later).
   */
  private async statusChanged(params: StatusChangedParams): Promise<void> {
    const affected = [...this.entries.values()].filter(
      (entry) =>
        entry.context === params.context &&
        (params.appIds.length === 0 || params.appIds.includes(entry.appId)),
    );
    await Promise.all(
      affected.map(async (entry) => {
        const live = uriOf(entry, 'live');
        const desired = uriOf(entry, 'desired');
        const error = await this.fetch(entry);
        if (error === SUPERSEDED) return;
        if (error) {
          this.ctx.log.warn(
            `The open diff of ${entry.kind}/${entry.name} was not updated: ${error}`,
          );
          return;
        }
        this.changed.fire(live);
        this.changed.fire(desired);
      }),
    );
  }

  dispose(): void {
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    for (const disposable of this.disposables.splice(0).reverse()) {
      disposable.dispose();
    }
  }
}

/** Sets the side's language before the diff editor reads its settings. */
async function inDiffLanguage(uri: vscode.Uri): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.languageId !== DIFF_LANGUAGE) {
    await vscode.languages.setTextDocumentLanguage(document, DIFF_LANGUAGE);
  }
}

function keyOf(entry: Pick<DiffEntry, 'appId' | 'resourceId'>): string {
  return `${entry.appId}\n${entry.resourceId}`;
}

/** `gitops-workbench-diff:/<context>/<Kind>-<name> (live).yaml?app=…&resource=…`. */
function uriOf(entry: DiffEntry, side: Side): vscode.Uri {
  const query = new URLSearchParams({
    context: entry.context,
    app: entry.appId,
    resource: entry.resourceId,
    kind: entry.kind,
    name: entry.name,
    side,
  });
  return vscode.Uri.from({
    scheme: DIFF_SCHEME,
    path: diffDocumentPath(entry.context, entry, side),
    query: query.toString(),
  });
}

function textOf(entry: DiffEntry, side: Side): string {
  if (side === 'live') {
    return entry.live || '# Missing: this resource is not in the cluster.\n';
  }
  return entry.desired || '# Extra: this resource is in the cluster but not in Git.\n';
}
