/**
 * Plain data of ApplicationSet expansion: the parameters a generator yields, what a generator may
 * read (this repository's folders and files, the repository's cluster Secrets), and the typed
 * problem that stops an expansion.
 */

/** One parameter set: flat string keys (fasttemplate) or nested values (`goTemplate: true`). */
export type Params = Record<string, unknown>;

/**
 * Why an ApplicationSet was not expanded. `unsupported`: it uses what is not expanded offline (a
 * generator that asks a forge or a cluster, a template function outside the supported subset):
 * an information, never a guess. `skipped`: it reads another repository. `invalid`: Argo CD
 * itself would refuse it (a missing key under `missingkey=error`, a matrix conflict).
 */
export type AppSetProblemReason = 'unsupported' | 'skipped' | 'invalid';

export class AppSetProblem extends Error {
  constructor(
    readonly reason: AppSetProblemReason,
    message: string,
  ) {
    super(message);
    this.name = 'AppSetProblem';
  }
}

/** The files of this repository a git generator reads: repository-relative, `/`-separated. */
export interface RepoFiles {
  /** Every folder (not the root; hidden folders left out, as Argo CD lists them). */
  directories(): readonly string[];
  /** Every file. */
  files(): readonly string[];
  /** A file's text, or undefined when it cannot be read (too large, gone). */
  read(file: string): string | undefined;
}

/** A cluster Secret of the repository (`argocd.argoproj.io/secret-type: cluster`), decoded. */
export interface ClusterSecret {
  /** `data.name` / `stringData.name`. */
  readonly name: string;
  readonly server: string;
  readonly project?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** What every generator of one ApplicationSet shares. */
export interface GeneratorContext {
  readonly appSetName: string;
  readonly goTemplate: boolean;
  readonly goTemplateOptions: readonly string[];
  /** Whether a git generator's repoURL is this repository; a sentence saying why not otherwise. */
  readonly repoCheck: (repoUrl: string | undefined) => string | undefined;
  readonly repo: RepoFiles;
  readonly clusters: readonly ClusterSecret[];
  /** Parameter sets allowed per generator before the expansion stops. */
  readonly limit: number;
  /** Records what the expansion could not know (an information), without stopping it. */
  readonly note?: (message: string) => void;
}

/** Generators that ask a forge, a plugin or the cluster: named, never expanded. */
export const UNSUPPORTED_GENERATORS: readonly string[] = [
  'scmProvider',
  'pullRequest',
  'plugin',
  'clusterDecisionResource',
];

/** The generators expanded offline. */
export const SUPPORTED_GENERATORS: readonly string[] = [
  'list',
  'git',
  'clusters',
  'matrix',
  'merge',
];
