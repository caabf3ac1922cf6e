/**
 * Plain data of a branch's impact: what the head changes in the rendered output of each app
 * compared with the base, per cluster, with the findings the branch brings. The CLI prints it
 * (`gitops-workbench impact`); the editor's "Preview Branch Impact" view shows it as apps ->
 * resources with change badges -> a base <-> head diff of the masked texts.
 */
import type { ConfigHint } from '../configHint';
import type { RenderUnitKind } from '../render/types';
import type { ResolvedBase, ResolvedRef } from './branchRefs';

/** One rendered resource that differs between base and head. Every text is Secret-masked. */
export interface ImpactResource {
  /** `group/kind/namespace/name`, as sync status names a resource. */
  readonly id: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly change: 'added' | 'removed' | 'modified';
  /** Changed fields of a modified resource: `spec.replicas`. */
  readonly changedPaths: readonly string[];
  /** Unified diff base -> head (masked). */
  readonly diff: string;
  /** The resource as the base renders it (masked YAML, sorted keys); absent when added. */
  readonly baseText?: string;
  /** The resource as the head renders it (masked YAML, sorted keys); absent when removed. */
  readonly headText?: string;
}

/** A finding of the rendered output at the head that the base does not have. */
export interface ImpactFinding {
  readonly severity: 'error' | 'warning';
  /** `removed-api-version`, `deprecated-api-version`, a schema or reference check's code. */
  readonly code: string;
  readonly message: string;
  /** Repository-relative, `/`-separated: the source the finding is reported on. */
  readonly file: string;
  /** One-based. */
  readonly line: number;
}

/** One app (render unit) the branch changes. */
export interface AppImpact {
  /** The unit's name as the render engine calls it. */
  readonly app: string;
  readonly kind: RenderUnitKind;
  /** Repository-relative folder rendered (`/`-separated, `.` for the root). */
  readonly path: string;
  /** Repository-relative file that defines the app (a Flux or Argo CD resource), if any. */
  readonly definedIn?: string;
  /** The clusters it is deployed to, as the repository names them; empty when it names none. */
  readonly clusters: readonly string[];
  /** `added`/`removed`: the app itself came or went with the branch. */
  readonly status: 'added' | 'removed' | 'changed';
  readonly resources: readonly ImpactResource[];
  /** Findings at the head absent at the base (errors, and deprecated or removed APIs). */
  readonly findings: readonly ImpactFinding[];
  /** Why a side did not render (one sentence per side, naming the side). */
  readonly error?: string;
  /** The knob the error's fix is about. */
  readonly hint?: ConfigHint;
  /** The error came or went with the branch, or the branch changed what the unit reads. */
  readonly errorChanged: boolean;
}

export interface BranchImpact {
  readonly base: ResolvedBase;
  readonly head: ResolvedRef;
  /** Files that differ between base and head, repository-relative. */
  readonly changedFiles: readonly string[];
  /** Apps whose output, findings or render errors the branch changes; by cluster, then app. */
  readonly apps: readonly AppImpact[];
  /** How much was rendered: each unit at the base, and at the head only those it may change. */
  readonly renders: { readonly units: number; readonly base: number; readonly head: number };
  /**
   * Set when a render could not run at all (helm or kustomize missing): the comparison is not
   * to be trusted, and this says what to do.
   */
  readonly unusable?: { readonly message: string; readonly hint?: ConfigHint };
}

/** The name shown for an app that names no cluster. */
export const NO_CLUSTER = 'cluster not named in the repo';
