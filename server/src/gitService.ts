/**
 * The language server's side of history, rollback and pull requests: finds the unit and
 * repository a request is about, renders through the same engine, and calls the git and forge
 * engine. Tokens arrive in requests and are passed on, never logged.
 */
import * as path from 'node:path';
import {
  GitError,
  branchState,
  checkRollback,
  commitToNewBranch,
  pushBranch,
  remoteUrl,
  rollback,
} from './engine';
import type { HistoryTarget, RenderedImpact, SchemaRegistry, Workspace } from './engine';
import { currentBranch } from './engine/git/repoState';
import { workspaceBranchImpact } from './engine/workspace/workspaceBranchImpact';
import { commitOf, listBranches, pullRequestBase } from './engine/git/branchRefs';
import { escapedImpact } from './branchImpactText';
import { editorText } from './editorHints';
import { pullRequestImpactBody } from './impactMarkdown';
import { forgeOf } from './engine/forge/forgeRepo';
import type { ForgeHosts } from './engine/forge/forgeRepo';
import { createPullRequest } from './engine/forge/pullRequest';
import { pullRequestBody } from './engine/forge/prBody';
import { failure, fileOf } from './gitTexts';
import type {
  BranchImpactParams,
  BranchImpactResult,
  BranchListParams,
  BranchListResult,
  BranchStateResult,
  CreatePullRequestParams,
  CreatePullRequestResult,
  GitFailure,
  HistoryParams,
  HistoryResult,
  RenderedImpactParams,
  RenderedImpactResult,
  RollbackParams,
  RollbackResultMessage,
} from './protocol';
import type { StatusService } from './statusService';

export interface GitSettings {
  readonly gitPath?: string;
  readonly forgeHosts: ForgeHosts;
}

export interface GitEnvironment {
  trusted(): boolean;
  workspaceFolders(): readonly string[];
  settings(): Promise<GitSettings>;
  /** Units, renders (never with unsaved buffers: git compares commits), history and impact. */
  readonly workspace: Workspace;
  status: StatusService;
  /** The schemas the branch impact validates its renders with (its findings); none: no findings. */
  registry(): Promise<SchemaRegistry | undefined>;
  log(message: string): void;
}

const UNTRUSTED_IMPACT: GitFailure = {
  reason: 'untrusted',
  message:
    'This workspace is not trusted, so its branch is not rendered (that runs helm and kustomize): trust the workspace to preview its impact.',
};

const UNTRUSTED: GitFailure = {
  reason: 'untrusted',
  message:
    'This workspace is not trusted, so git is not run: trust the workspace to use history, rollback and pull requests.',
};

export class GitService {
  constructor(private readonly environment: GitEnvironment) {}

  async history(params: HistoryParams, signal: AbortSignal): Promise<HistoryResult> {
    return this.guard<HistoryResult>({ commits: [] }, async () => {
      const settings = await this.environment.settings();
      const answer = await this.environment.workspace.history(
        await this.historyTarget(params, signal),
        {
          limit: params.limit ?? 200,
          ...(settings.gitPath ? { gitPath: settings.gitPath } : {}),
          signal,
        },
      );
      return { repoRoot: answer.repoRoot, title: answer.title, commits: [...answer.commits] };
    });
  }

  async renderedImpact(
    params: RenderedImpactParams,
    signal: AbortSignal,
  ): Promise<RenderedImpactResult> {
    return this.guard<RenderedImpactResult>({ impacts: [] }, async () => {
      const settings = await this.environment.settings();
      const impacts = await this.environment.workspace.impact(params.repoRoot, params.sha, {
        direction: params.direction ?? 'commit',
        ...(params.mainline ? { mainline: params.mainline } : {}),
        ...(settings.gitPath ? { gitPath: settings.gitPath } : {}),
        signal,
      });
      return { impacts };
    });
  }

  /** What the branch changes in the rendered output, per app: "Preview Branch Impact". */
  async branchImpact(params: BranchImpactParams, signal: AbortSignal): Promise<BranchImpactResult> {
    if (!this.environment.trusted()) return { error: UNTRUSTED_IMPACT };
    return this.guard<BranchImpactResult>({}, async () => {
      const settings = await this.environment.settings();
      const repoRoot = this.repositoryOf(params.uri);
      const git = { ...(settings.gitPath ? { gitPath: settings.gitPath } : {}), signal };
      // The head is named as the user knows it: the checked-out branch, not "HEAD".
      const head = params.head ?? (await currentBranch(repoRoot, git));
      const registry = await this.environment.registry();
      const impact = await workspaceBranchImpact(this.environment.workspace, repoRoot, {
        signal,
        ...(params.base !== undefined ? { base: params.base } : {}),
        ...(params.base !== undefined && params.mergeBase ? { mergeBase: true } : {}),
        ...(head !== undefined ? { head } : {}),
        ...(registry ? { registry } : {}),
        ...(settings.gitPath ? { gitPath: settings.gitPath } : {}),
      });
      return { impact: escapedImpact(impact) };
    });
  }

  /** The branches a branch impact can be compared with: "Preview Branch Impact Against...". */
  async branchList(params: BranchListParams, signal: AbortSignal): Promise<BranchListResult> {
    return this.guard<BranchListResult>({ branches: [] }, async () => {
      const settings = await this.environment.settings();
      const repoRoot = this.repositoryOf(params.uri);
      const git = { ...(settings.gitPath ? { gitPath: settings.gitPath } : {}), signal };
      return { branches: await listBranches(repoRoot, git) };
    });
  }

  /** The repository of a file or folder, by default of the first workspace folder. */
  private repositoryOf(uri: string | undefined): string {
    const target = (uri ? fileOf(uri) : undefined) ?? this.environment.workspaceFolders()[0];
    if (!target) {
      throw new GitError(
        'notARepository',
        'Open a folder of a git repository to preview what its branch changes.',
      );
    }
    return this.environment.workspace.rootOf(target);
  }

  async branchState(repoRoot: string, signal: AbortSignal): Promise<BranchStateResult> {
    return this.guard<BranchStateResult>({ dirty: false, ahead: 0 }, async () => {
      const settings = await this.environment.settings();
      const options = { ...(settings.gitPath ? { gitPath: settings.gitPath } : {}), signal };
      const state = await branchState(repoRoot, options);
      const base = await pullRequestBase(repoRoot, state, options);
      const url = await remoteUrl(repoRoot, 'origin', options);
      return {
        ...(state.branch ? { branch: state.branch } : {}),
        ...(state.upstream ? { upstream: state.upstream } : {}),
        ...(base ? { base } : {}),
        dirty: state.dirty,
        ahead: state.ahead,
        ...(url ? { forge: forgeOf(url, settings.forgeHosts) } : {}),
      };
    });
  }

  async rollback(params: RollbackParams, signal: AbortSignal): Promise<RollbackResultMessage> {
    return this.guard<RollbackResultMessage>({}, async () => {
      const settings = await this.environment.settings();
      const options = {
        sha: params.sha,
        ...(params.mainline ? { mainline: params.mainline } : {}),
        ...(params.direct ? { direct: true } : {}),
        protectedBranches: params.protectedBranches ?? [],
        ...(params.allowProtected ? { allowProtected: true } : {}),
        push: true,
        ...(settings.gitPath ? { gitPath: settings.gitPath } : {}),
        signal,
      };
      // Refusals (dirty worktree, protected branch, merge without parent...) before rendering.
      await checkRollback(params.repoRoot, options);
      const impact = await this.renderedImpact(
        {
          repoRoot: params.repoRoot,
          sha: params.sha,
          direction: 'revert',
          ...(params.mainline ? { mainline: params.mainline } : {}),
        },
        signal,
      );
      if (impact.error) return { error: impact.error };
      const result = await rollback(params.repoRoot, options);
      const body = pullRequestBody({
        summary: `Reverts ${params.sha.slice(0, 12)} to roll back what it changed.`,
        impacts: impact.impacts,
        clusters: await this.clustersOf(params.repoRoot, impact.impacts, signal),
      });
      this.environment.log(
        `Rollback: ${result.commit.slice(0, 12)} on ${result.branch}${result.pushed ? ', pushed' : ''}.`,
      );
      return { result, body };
    });
  }

  async createPullRequest(
    params: CreatePullRequestParams,
    signal: AbortSignal,
  ): Promise<CreatePullRequestResult> {
    return this.guard<CreatePullRequestResult>({}, async () => {
      const settings = await this.environment.settings();
      const git = { ...(settings.gitPath ? { gitPath: settings.gitPath } : {}), signal };
      // First: without origin nothing is committed or pushed (git would only say "'origin' does
      // not appear to be a git repository" at the push).
      const url = await remoteUrl(params.repoRoot, 'origin', git);
      if (!url) {
        return {
          error: {
            reason: 'noRemote',
            message: 'This repository has no remote "origin": add one to open a pull request.',
          },
        };
      }
      if (params.newBranch) {
        await commitToNewBranch(params.repoRoot, {
          branch: params.newBranch,
          message: params.commitMessage ?? params.title,
          ...git,
        });
      }
      const state = await branchState(params.repoRoot, git);
      const head = params.head ?? state.branch;
      if (!head) {
        return {
          error: {
            reason: 'noBranch',
            message:
              'HEAD is detached: check out a branch (or create one) to open a pull request from it.',
          },
        };
      }
      const base = params.base ?? (await pullRequestBase(params.repoRoot, state, git)) ?? 'main';
      if (head === base) {
        return {
          error: {
            reason: 'sameBranch',
            message: `You are on ${base}, the branch a pull request would target: commit to a new branch (or create one), then try again.`,
          },
        };
      }
      await pushBranch(params.repoRoot, { branch: head, ...git });
      const body = params.body ?? (await this.impactBody(params.repoRoot, head, base, signal));
      try {
        const pullRequest = await createPullRequest(
          {
            repo: forgeOf(url, settings.forgeHosts),
            head,
            base,
            title: params.title,
            body,
            ...(params.token ? { token: params.token } : {}),
          },
          { signal },
        );
        this.environment.log(
          `Pull request ${pullRequest.existed ? 'found' : 'opened'}: ${pullRequest.url}`,
        );
        return { pullRequest };
      } catch (error) {
        // The branch is on origin: the user can still open the pull request by hand.
        return { error: this.failed(error), pushed: { head, base, body } };
      }
    });
  }

  private async guard<T extends { error?: GitFailure }>(
    empty: T,
    work: () => Promise<T>,
  ): Promise<T> {
    if (!this.environment.trusted()) return { ...empty, error: UNTRUSTED };
    try {
      return await work();
    } catch (error) {
      return { ...empty, error: this.failed(error) };
    }
  }

  /** The failure to answer with; an internal one is logged whole (its sentence says to look). */
  private failed(error: unknown): GitFailure {
    const found = failure(error);
    if (found.reason === 'internal') {
      this.environment.log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    return found;
  }

  /** What a history request is about: a connected app's unit, else the file, else the folder. */
  private async historyTarget(params: HistoryParams, signal: AbortSignal): Promise<HistoryTarget> {
    if (params.appId) {
      const found = await this.environment.status.unitOf(params.appId, signal);
      if (found) return { unit: found.unit, root: found.workspaceRoot };
    }
    const file = params.uri ? fileOf(params.uri) : undefined;
    const folder = this.environment.workspaceFolders()[0];
    if (!file && !folder) {
      throw new GitError('notARepository', 'Open a folder of a git repository to see its history.');
    }
    return { path: file ?? (folder as string) };
  }

  /**
   * The pull-request body of a branch: the report `gitops-workbench impact --format markdown`
   * prints for the head against its merge base with `origin/<base>` (or `<base>`).
   */
  private async impactBody(
    repoRoot: string,
    head: string,
    base: string,
    signal: AbortSignal,
  ): Promise<string> {
    const settings = await this.environment.settings();
    const git = { ...(settings.gitPath ? { gitPath: settings.gitPath } : {}), signal };
    const fallback = (reason: string): string => {
      this.environment.log(`The pull-request body has no rendered changes: ${reason}`);
      return `Changes of ${head} against ${base}. (GitOps Workbench could not render what they change.)`;
    };
    try {
      const remoteBase = await commitOf(repoRoot, `origin/${base}`, 'base', git).then(
        () => `origin/${base}`,
        (error: unknown) => {
          if (error instanceof GitError && error.reason === 'badRef') return base;
          throw error;
        },
      );
      const registry = await this.environment.registry();
      const impact = await workspaceBranchImpact(this.environment.workspace, repoRoot, {
        base: remoteBase,
        mergeBase: true,
        head,
        ...(registry ? { registry } : {}),
        ...git,
      });
      if (impact.unusable) {
        return fallback(editorText(impact.unusable.message, impact.unusable.hint));
      }
      return pullRequestImpactBody(impact, { head, base }, editorText);
    } catch (error) {
      // One line: the sentence of the failure, never a stack.
      return fallback(
        (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '',
      );
    }
  }

  /** The connected apps whose unit a change touches: "what it changes in which cluster". */
  private async clustersOf(
    repoRoot: string,
    impacts: readonly RenderedImpact[],
    signal: AbortSignal,
  ): Promise<Array<{ context: string; apps: string[] }>> {
    const names = new Set(
      impacts.filter((impact) => impact.changes.length > 0).map((impact) => impact.unit),
    );
    const byContext = new Map<string, string[]>();
    for (const app of await this.environment.status.connectedApps(signal)) {
      const relative = app.match
        ? path.relative(repoRoot, app.match.root).split(path.sep).join('/')
        : undefined;
      if (names.has(app.name) || (relative !== undefined && names.has(relative))) {
        byContext.set(app.context, [...(byContext.get(app.context) ?? []), app.name]);
      }
    }
    return [...byContext].map(([context, apps]) => ({ context, apps }));
  }
}
