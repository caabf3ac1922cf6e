/** Plain data of sync status: GitOps apps found live, their resources, and how each compares. */
import type { ResourceOrigin } from '../render/types';

/** Our comparison of one resource: Git (desired) against the cluster (live). */
export type SyncState = 'Synced' | 'OutOfSync' | 'Missing' | 'Extra' | 'Unknown';

export type HealthState =
  'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

export interface Health {
  readonly status: HealthState;
  /** Why, in a sentence: "2 of 3 replicas available". */
  readonly message?: string;
}

/**
 * How desired was compared with live: a server-side apply dry-run (faithful); no request
 * because the applying manager's managed fields and values show the apply changes nothing
 * (`noOpApply`: exact, the dry-run's own answer); a local prediction when dry-run is forbidden
 * (an approximation, labelled as such); or no comparison (Missing and Extra resources, or an
 * error).
 */
export type Comparison = 'serverSideDryRun' | 'noOpApply' | 'predictedLive' | 'none';

export interface ResourceStatus {
  /** `group/kind/namespace/name` with '' for the core group and cluster scope: stable and unique. */
  readonly id: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly sync: SyncState;
  readonly health: Health;
  /** Changed fields when OutOfSync: `spec.replicas`, `data.PODINFO_UI_MESSAGE`. */
  readonly changedPaths: readonly string[];
  readonly comparison: Comparison;
  /** Why the status is what it is, for a tooltip; names no Secret value. */
  readonly reason?: string;
  /** The source file (and line) the desired object comes from, when it is in Git. */
  readonly origin?: ResourceOrigin;
  /** OutOfSync: the file and line of Git that set its first changed field (a patch, the base). */
  readonly changedAt?: { readonly file: string; readonly line: number };
}

export type AppKind = 'FluxKustomization' | 'FluxHelmRelease' | 'ArgoApplication' | 'Folder';

/** What the GitOps controller itself reports, beside our own computation. */
export interface ControllerStatus {
  /** Flux Ready condition or Argo CD health: 'True' / 'False' / 'Unknown' / 'Healthy'... */
  readonly ready?: string;
  readonly reason?: string;
  readonly message?: string;
  /** Flux lastAppliedRevision / Argo CD status.sync.revision, e.g. `main@sha1:0123abc...`. */
  readonly revision?: string;
  /** Argo CD status.sync.status: 'Synced' / 'OutOfSync'. */
  readonly syncStatus?: string;
  readonly suspended?: boolean;
}

/** Where an app's desired state comes from in this workspace. */
export interface AppMatch {
  /** Render unit id (see render/types RenderUnit.id) whose output is the desired state. */
  readonly unitId: string;
  /** Absolute folder rendered. */
  readonly root: string;
  /** How the app was matched: its defining file is in the workspace, its repo URL and path, or the targets setting. */
  readonly how: 'definition' | 'repository' | 'setting';
}

export interface AppSummary {
  /** `context/kind/namespace/name`: stable across refreshes. */
  readonly id: string;
  readonly context: string;
  readonly kind: AppKind;
  readonly name: string;
  readonly namespace?: string;
  /** Repository URL, path and branch the controller deploys from, when it says. */
  readonly source?: { readonly url?: string; readonly path?: string; readonly ref?: string };
  readonly controller?: ControllerStatus;
  /** Undefined when no folder of the workspace holds this app's desired state. */
  readonly match?: AppMatch;
  /** Our computed status of the whole app: OutOfSync if any resource is not Synced. */
  readonly sync: 'Synced' | 'OutOfSync' | 'Unknown';
  readonly counts: Readonly<Record<SyncState, number>>;
  /** The branch in the workspace has commits the cluster has not applied yet. */
  readonly gitAhead?: boolean;
  /** The desired state compared: working tree (with unsaved edits) or HEAD. */
  readonly desiredFrom: 'workingTree' | 'HEAD';
  /** Set when the comparison fell back to predicted live for some resources. */
  readonly comparison: Comparison;
  /** A sentence when the app's status could not be computed (render failed, forbidden...). */
  readonly error?: string;
  /**
   * Present while the app is compared for the first time: resources compared of those rendered
   * (`total` 0: still rendering). `sync` and `counts` then describe the resources done so far.
   */
  readonly comparing?: { readonly done: number; readonly total: number };
}

export interface AppStatus extends AppSummary {
  readonly resources: readonly ResourceStatus[];
}

/** Live-versus-desired texts of one resource for a diff editor, Secret values masked. */
export interface ResourceDiffText {
  readonly id: string;
  /** Normalized live object as YAML; '' when Missing. */
  readonly live: string;
  /** Normalized desired object (dry-run result or predicted) as YAML; '' when Extra. */
  readonly desired: string;
  readonly comparison: Comparison;
  readonly changedPaths: readonly string[];
}
