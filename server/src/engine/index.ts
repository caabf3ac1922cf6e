/** The engine's public surface: the language server, the CLI and the tests import from here. */
export type { Finding, FileFinding, Position, Range, RelatedPlace, Severity } from './types';
export { CONFIG_HINTS, withKnobName } from './configHint';
export type { ConfigHint } from './configHint';
export { validateManifestText, validateManifestTextAsync } from './validate/validateManifests';
export type { ValidationResult, ValidateOptions } from './validate/validateManifests';
export type { FileContext } from './validate/fileContext';
export { checkFiles, checkPaths, hasErrors } from './check/checkFiles';
export { collectYamlFiles } from './files/yamlFiles';
export type { CheckReport, CheckOptions } from './check/checkFiles';
export { PathNotFoundError } from './files/yamlFiles';
export { gitRootOf, repositoryRootOf } from './files/repositoryRoot';
export { readKubeContexts, kubeconfigFiles } from './cluster/kubeconfigContexts';
export type { KubeContext, KubeContexts, KubeconfigSource } from './cluster/kubeconfigContexts';
export { mergeKubeconfigs, readKubeconfigs } from './cluster/kubeconfigMerge';
export type {
  KubeconfigDocument,
  KubeconfigEntry,
  KubeconfigProblem,
  MergedKubeconfig,
} from './cluster/kubeconfigMerge';
export { ChunkCache } from './validate/validateManifests';
export { SchemaCatalog } from './schemas/schemaCatalog';
export { SchemaRegistry, WorkspaceCrds, kindKey } from './schemas/schemaRegistry';
export { SchemaBundleError } from './schemas/bundles';
export { crdsInText } from './schemas/workspaceCrdFiles';
export type { CrdVersionSchema } from './schemas/crdSchemas';
export type { Fix } from './types';
export { hoverAt } from './assist/hover';
export type { HoverInfo } from './assist/hover';
export { completeAt } from './assist/completion';
export type { CompletionEntry } from './assist/completion';
export { PatchFileIndex, isKustomizationFile, patchFilesOf } from './kustomize/patchFiles';
export {
  KustomizationReadError,
  kustomizationFieldOf,
  readKustomization,
} from './kustomize/kustomizationReader';
export type {
  Kustomization,
  KustomizationGenerator,
  KustomizationPatch,
  KustomizationReadErrorReason,
} from './kustomize/kustomizationReader';
export { isRemoteFile, isRemoteReference, remoteReferenceKind } from './kustomize/remoteReference';
export type { RemoteKind } from './kustomize/remoteReference';
export { ClusterError } from './cluster/clusterErrors';
export type { ClusterErrorReason } from './cluster/clusterErrors';
export { connectKubeApi } from './cluster/kubeApi';
export type { KubeApi, KubeApiOptions } from './cluster/kubeApi';
export { readClusterSchemas } from './cluster/clusterSchemas';
export type { ClusterSchemas } from './cluster/clusterSchemas';
export type { KubernetesBundle, CrdBundle } from './schemas/bundles';
export { crossResourceChecks } from './crossref';
export type { CrossResourceFinding, CrossResourceOptions } from './crossref';
export { maskSecrets, SecretMasks } from './secrets/secretMasker';
export { definitionAt } from './assist/definition';
export type { DefinitionTarget, DefinitionContext } from './assist/definition';
export { valuesDefinitionAt, valuesReferencesAt } from './helm/valuesNavigation';
export type { ValuesLocation, ValuesNavigationContext } from './helm/valuesNavigation';
export {
  valuesCompletionAt,
  valuesCompletionIn,
  valuesHoverAt,
  valuesHoverIn,
} from './helm/valuesAssist';
// live layer
export { ApiDiscovery, splitApiVersion } from './cluster/discovery';
export { LiveCache, objectKeyOf, objectKeyString } from './cluster/liveCache';
export type { LiveCacheOptions } from './cluster/liveCache';
export { serverSideDryRun } from './cluster/dryRun';
export type { DryRunOptions } from './cluster/dryRun';
export { LineSplitter, WatchStreamParser, parseWatchLine } from './cluster/watchStream';
export type {
  ApiResource,
  Disposable,
  KindState,
  KubeRequest,
  LiveChange,
  ObjectKey,
  WatchEvent,
} from './cluster/liveTypes';
// sync status
export { StatusSession, FIELD_MANAGER } from './status/statusSession';
export type { StatusSessionOptions } from './status/statusSession';
export type { StatusTarget } from './status/desiredState';
export type {
  AppKind,
  AppMatch,
  AppStatus,
  AppSummary,
  Comparison,
  ControllerStatus,
  Health,
  HealthState,
  ResourceDiffText,
  ResourceStatus,
  SyncState,
} from './status/types';
export type { IgnoreDifference } from './diff/normalize';
export { renderUnit } from './render';
// the workspace model
export { Workspace, WorkspaceRenderer, describeUnit, unitOwning, unitsHolding } from './workspace';
export type {
  FileEvent,
  HistoryAnswer,
  HistoryTarget,
  RenderFunction,
  RenderSettings,
  UnitDescription,
  WorkspaceChange,
  WorkspaceOptions,
  WorkspaceUnit,
} from './workspace';
export type { RenderUnit, RenderResult } from './render';
// git
export {
  DEFAULT_GIT_TIMEOUT_MS,
  NETWORK_GIT_TIMEOUT_MS,
  MAX_CONCURRENT_GIT,
  assertSafeRef,
  runGit,
} from './git/gitRunner';
export type { GitRunOptions } from './git/gitRunner';
export { historyOf, parseLog, unitSourcePaths } from './git/history';
export type { HistoryOptions } from './git/history';
export { compareRendered, renderedImpact, renderedResourceId } from './git/impact';
export type { RenderedImpactOptions } from './git/impact';
export { checkRollback, commitToNewBranch, pushBranch, rollback } from './git/rollback';
export { inverseDiff, revertImpact } from './git/revertImpact';
export { ALWAYS_PROTECTED, branchPatternMatches, protectingPattern } from './git/protectedBranches';
export { branchState, parseStatus, remoteUrl } from './git/repoState';
export type { BranchState, GitCallOptions } from './git/repoState';
export { snapshotCommit, snapshotHead } from './git/headSnapshot';
export { GitError } from './git/types';
export type {
  CommitInfo,
  GitErrorReason,
  RenderedChange,
  RenderedImpact,
  RollbackOptions,
  RollbackResult,
} from './git/types';
// forge
export { forgeOf, compareUrl } from './forge/forgeRepo';
export type { ForgeHostSetting, ForgeHosts } from './forge/forgeRepo';
export { createPullRequest } from './forge/pullRequest';
export type { ForgeRequestOptions } from './forge/forgeHttp';
export { ForgeError } from './forge/forgeErrors';
export type { ForgeErrorReason } from './forge/forgeErrors';
export { pullRequestBody } from './forge/prBody';
export type { PullRequestBodyInput } from './forge/prBody';
