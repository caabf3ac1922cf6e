/**
 * What the rest of a repository says about one file before it is applied: kustomize patches,
 * transformers and Flux patches change documents on their way to the cluster, so some
 * findings of the file alone would be wrong about what is applied.
 */
export interface FileContext {
  /**
   * A kustomize patch (strategic merge): only the fields it changes, patch directives
   * (`$patch`, `$setElementOrder/...`, `$retainKeys`) allowed, nothing required.
   */
  readonly partial?: boolean;
  /** A resource of a kustomization that sets `namespace:`, which renames v1 Namespace objects. */
  readonly namespaceSetByKustomize?: boolean;
  /**
   * Kinds ("group/Kind": "" for the core group, "*" for any) that a Flux Kustomization of the repository
   * patches (`spec.patches`): their required fields may come from the patch.
   */
  readonly patchedKinds?: readonly string[];
  /** The repository keeps Secrets SOPS-encrypted: a Secret with plain values is a leak. */
  readonly encryptedSecrets?: boolean;
  /** A data file (a generator's input, chart values): never a manifest, whatever it holds. */
  readonly data?: boolean;
}

/** A short key of a context, for caches of per-document results. */
export function contextKey(context: FileContext | undefined): string {
  if (!context) {
    return '';
  }
  return [
    context.partial ? 'p' : '',
    context.namespaceSetByKustomize ? 'n' : '',
    context.encryptedSecrets ? 'e' : '',
    context.data ? 'd' : '',
    (context.patchedKinds ?? []).join(','),
  ].join('|');
}

/** "kustomize.toolkit.fluxcd.io/v1" + "Kustomization" -> "kustomize.toolkit.fluxcd.io/Kustomization". */
export function groupKind(apiVersion: string, kind: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return `${slash === -1 ? '' : apiVersion.slice(0, slash)}/${kind}`;
}
