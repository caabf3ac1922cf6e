/** Plain data of the render engine: what can be rendered, how, and what came out. */
import type { ConfigHint } from '../configHint';
import type { FieldPath } from '../parse/locate';

export type RenderUnitKind =
  'kustomize' | 'helm' | 'flux-kustomization' | 'flux-helmrelease' | 'argocd-application' | 'plain';

/** Where a unit is declared: a Flux or Argo CD resource, one-based line of its document. */
export interface SourceLocation {
  file: string;
  line: number;
}

/** A values source of a Flux HelmRelease (`spec.valuesFrom`) found in the repo. */
export interface ValuesReference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** The key holding the values (default `values.yaml`). */
  valuesKey: string;
  targetPath?: string;
  optional: boolean;
  /** The file that defines the ConfigMap or Secret; absent when the repo does not hold it. */
  file?: string;
}

/** Flux `spec.postBuild` of a Kustomization. */
export interface FluxPostBuild {
  substitute?: Record<string, string>;
  /** ConfigMaps and Secrets whose keys are variables; `file` set when the repo defines them. */
  substituteFrom?: {
    kind: 'ConfigMap' | 'Secret';
    name: string;
    optional: boolean;
    file?: string;
  }[];
}

/** A chart that is not in the workspace: rendered only with network rendering on. */
export interface RemoteChart {
  /** `https://...` chart repository or `oci://...` registry. */
  repoUrl: string;
  chart: string;
  version?: string;
}

/** The helm inputs a repo field can set, checked before helm runs. */
export type HelmInputName = 'releaseName' | 'namespace' | 'chart' | 'version' | 'repoUrl';

/** The field of a repo file a helm input was read from, so a message can point at it. */
export interface InputField {
  file: string;
  /** One-based line of the YAML document holding the field. */
  line: number;
  /** The field inside that document, e.g. `['spec', 'releaseName']`. */
  path: readonly (string | number)[];
  /** How the input was made when it is not the field as written (`spec.targetNamespace-metadata.name`). */
  label?: string;
  /** The value as written, when the input was made from it (a Flux release name over 53 characters is shortened). */
  written?: string;
}

/** Everything `helm template` needs besides the chart folder. */
export interface HelmInputs {
  releaseName: string;
  namespace?: string;
  /** Values files, absolute paths inside the workspace, in order. */
  valueFiles: string[];
  /** Inline values merged after the value files (Argo CD `values`/`valuesObject`, Flux `values`). */
  values?: Record<string, unknown>;
  /** Flux `valuesFrom`, merged before `values`. */
  valuesFrom?: ValuesReference[];
  /** `--set` / `--set-string` parameters, applied last. */
  parameters?: { name: string; value: string; forceString?: boolean }[];
  /** Set when the chart is not in the workspace. */
  remote?: RemoteChart;
  /** Flux `spec.postRenderers` (kustomize), applied to helm's output in order. */
  postRenderers?: PostRenderer[];
  /** Where the release name, namespace and remote chart were read, for refusals. */
  fields?: Partial<Record<HelmInputName, InputField>>;
}

/** One Flux post-renderer: inline kustomize patches and image overrides. */
export interface PostRenderer {
  patches: unknown[];
  images: unknown[];
}

/** Options applied on top of a kustomization, as Flux and Argo CD do. */
export interface KustomizeInputs {
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  images?: unknown[];
  patches?: unknown[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  components?: string[];
  /**
   * Where the options come from and so how they apply: `flux` edits the unit's own
   * kustomization (as kustomize-controller's generator does) instead of wrapping it.
   */
  applyAs?: 'flux';
  /** Flux `spec.commonMetadata`, merged into each resource's metadata after the build. */
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** Flux `spec.postBuild` variable substitution, applied to the output. */
  postBuild?: FluxPostBuild;
  /** Render a folder without kustomization.yaml as Flux does: all YAML files, recursively. */
  generateIfMissing?: 'flux' | 'argocd' | 'argocd-recurse';
  /**
   * Flux deploys this workspace (it defines Flux Kustomizations): Flux builds without kustomize's
   * load restrictor, so a file outside a kustomization's folder is no mistake there.
   */
  fluxWorkspace?: boolean;
}

export interface RenderUnit {
  kind: RenderUnitKind;
  /** Stable identity within a workspace: kind, defining file and line, or root folder. */
  id: string;
  name: string;
  /** Absolute folder rendered: kustomization folder, chart folder or plain folder. */
  root: string;
  /** What renders `root`; for Flux and Argo CD units the tool their resource implies. */
  renderer: 'kustomize' | 'helm' | 'plain';
  definedIn?: SourceLocation;
  namespace?: string;
  helm?: HelmInputs;
  kustomize?: KustomizeInputs;
  /** Set when the unit cannot be rendered from the workspace alone; render returns this refusal. */
  unrenderable?: RenderError;
  /**
   * Set on the units of an Argo CD ApplicationSet: the set's name, and the name of the
   * Application the unit renders (absent on the unit saying why the set was not expanded).
   */
  applicationSet?: { name: string; application?: string };
}

/**
 * Why a render did not happen. `notRendered`: what the unit renders is not in the workspace (a
 * chart repository, an OCI artifact, another Git repository) and cannot be fetched now, or it
 * needs a tool feature never turned on for repository content (kustomize --enable-helm): the
 * tool cannot know, so it is an information, not a mistake of the repository. `missingDependencies`: a chart's dependencies are not in its
 * `charts/` folder: a warning that names the fix.
 */
export type RenderErrorReason =
  | 'binaryMissing'
  | 'timeout'
  | 'memory'
  | 'refused'
  | 'failed'
  | 'cancelled'
  | 'notRendered'
  | 'missingDependencies'
  /** A mistake of GitOps Workbench itself, not of the repository or the machine. */
  | 'internal';

export interface RenderError {
  reason: RenderErrorReason;
  /** One sentence that says what happened and what to do, naming no setting or flag. */
  message: string;
  file?: string;
  line?: number;
  /** The field of the document at `line` the failure is about: the finding goes on its line. */
  field?: FieldPath;
  /** The knob the fix is about (network rendering, the memory limit, a binary's path). */
  hint?: ConfigHint;
  /** `valuesSchema`: helm refused the values because the chart's values.schema.json does. */
  cause?: 'valuesSchema';
}

/** Where a values key a Helm template reads is set. */
export interface ValueOrigin {
  /** Dotted key as the template reads it (`image.tag`), or a key set under one it reads whole. */
  key: string;
  file: string;
  line?: number;
}

/** Where a rendered resource comes from. */
export interface ResourceOrigin {
  file: string;
  line?: number;
  /** The patch file, values file or template that changed or produced it, when traceable. */
  via?: string;
  /** Earlier patch files that changed it too, the later first (`via` is the last one). */
  alsoVia?: readonly string[];
  /** Helm: the values keys its template reads (and those set under them), where each is set last. */
  values?: ValueOrigin[];
}

export interface RenderedResource {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** The YAML of this resource as rendered. */
  text: string;
  /**
   * `text` as plain data, when the fast parser read it (every value then reads the same in YAML
   * 1.1, as kubectl reads it, and 1.2): the render's one parse, so the status does not parse the
   * text again. Shared by every reader of the render: copy it before changing it.
   */
  object?: Readonly<Record<string, unknown>>;
  origin?: ResourceOrigin;
}

export type RenderResult =
  | {
      ok: true;
      yaml: string;
      resources: RenderedResource[];
      fromCache: boolean;
      ms: number;
      /** Secret values substituted into non-Secret resources (see `RenderOutput`). */
      secretValues?: readonly string[];
    }
  | { ok: false; error: RenderError };

export interface RenderBinaries {
  helm?: string;
  kustomize?: string;
  /** The project's tool cache (`<cache>/tools/<tool>-<version>-<hash>/<tool>`). */
  cacheDir?: string;
  /** Memory limit of each helm or kustomize process tree in MB (default 1024). */
  memoryLimitMB?: number;
}

/** Thrown inside the render engine; `renderUnit` turns it into `{ ok: false, error }`. */
export class RenderFailure extends Error {
  constructor(readonly error: RenderError) {
    super(error.message);
    this.name = 'RenderFailure';
  }
}

/** The unit was not rendered for a reason that is not a mistake of the repository. */
export function notRendered(
  message: string,
  file?: string,
  line?: number,
  hint?: ConfigHint,
): RenderFailure {
  return new RenderFailure({
    reason: 'notRendered',
    message,
    ...(file ? { file } : {}),
    ...(line ? { line } : {}),
    ...(hint ? { hint } : {}),
  });
}

export function refused(
  message: string,
  file?: string,
  line?: number,
  hint?: ConfigHint,
): RenderFailure {
  return new RenderFailure({
    reason: 'refused',
    message,
    ...(file ? { file } : {}),
    ...(line ? { line } : {}),
    ...(hint ? { hint } : {}),
  });
}
