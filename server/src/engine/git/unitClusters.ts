/**
 * The cluster each app is deployed to, as far as the repository says: a Flux unit defined under
 * `clusters/<name>/` belongs to cluster `<name>`, and so does everything defined or rendered
 * inside the folder such a unit applies (a Flux Kustomization pointing at `./apps/staging` puts
 * the HelmReleases of that folder on the same cluster); an Argo CD Application names its cluster
 * in `spec.destination.name` (else `server`). A folder unit rendered by such an app inherits its
 * clusters. Pure: the caller reads the files.
 */
import * as path from 'node:path';
import { isInside } from '../files/pathInside';
import type { RenderUnit } from '../render/types';
import { resourceDocs, stringAt } from '../render/yamlDocs';

/** The folder of Flux clusters in the common layout (`clusters/staging/flux-system/...`). */
const CLUSTERS_FOLDER = 'clusters';

/** The cluster named by a repository-relative path under `clusters/<name>/`. */
export function clusterOfPath(relative: string): string | undefined {
  const [top, name, ...rest] = relative.split(/[\\/]/);
  return top === CLUSTERS_FOLDER && name && rest.length > 0 ? name : undefined;
}

/** The Argo CD destination of the Application document at `line` of `text`. */
export function argoDestination(text: string, line: number, name: string): string | undefined {
  const docs = resourceDocs(text);
  const wanted = name.replace(/ \[\d+\]$/, '');
  const doc =
    docs.find((candidate) => candidate.line === line) ??
    docs.find((candidate) => stringAt(candidate.value, 'metadata', 'name') === wanted);
  if (!doc) return undefined;
  return (
    stringAt(doc.value, 'spec', 'destination', 'name') ??
    stringAt(doc.value, 'spec', 'destination', 'server')
  );
}

/**
 * The clusters of each unit by id (sorted names; none when the repository names none).
 * `root` is the folder the units were indexed in; `read` gives a file's text.
 */
export function unitClusters(
  units: readonly RenderUnit[],
  root: string,
  read: (file: string) => string | undefined,
  /** The repository-relative paths each unit's render read, when known. */
  readsOf: (unit: RenderUnit) => ReadonlySet<string> | undefined = () => undefined,
): Map<string, string[]> {
  const clusters = new Map<string, Set<string>>(units.map((unit) => [unit.id, new Set()]));
  const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  for (const unit of units) {
    const own = clusters.get(unit.id) as Set<string>;
    const defined = unit.definedIn?.file;
    if (unit.kind === 'argocd-application' && defined && unit.definedIn) {
      const text = read(defined);
      const destination = text && argoDestination(text, unit.definedIn.line, unit.name);
      if (destination) own.add(destination);
      continue;
    }
    const named = clusterOfPath(defined ? relative(defined) : `${relative(unit.root)}/`);
    if (named) own.add(named);
  }
  // A Flux Kustomization applies its folder, and what its render read (a base elsewhere): what
  // is defined there, and a folder unit it renders files of, runs where it runs. A few
  // passes reach the apps of apps; a cycle stops when nothing new is learnt.
  const appliers = units.filter((unit) => unit.kind === 'flux-kustomization');
  for (let pass = 0; pass < 8; pass++) {
    let learnt = false;
    for (const applier of appliers) {
      const from = clusters.get(applier.id) as Set<string>;
      if (from.size === 0) continue;
      const reads = readsOf(applier);
      for (const unit of units) {
        if (unit === applier) continue;
        const place = unit.definedIn?.file ?? unit.root;
        if (!isInside(applier.root, place) && !readInside(reads, relative(place))) continue;
        const into = clusters.get(unit.id) as Set<string>;
        for (const name of from) {
          if (!into.has(name)) {
            into.add(name);
            learnt = true;
          }
        }
      }
    }
    if (!learnt) break;
  }
  // A folder unit (a kustomization, a chart) goes where the apps that render it go.
  for (const unit of units) {
    if (unit.definedIn) continue;
    const into = clusters.get(unit.id) as Set<string>;
    for (const app of units) {
      if (app.definedIn && path.resolve(app.root) === path.resolve(unit.root)) {
        for (const name of clusters.get(app.id) ?? []) into.add(name);
      }
    }
  }
  return new Map([...clusters].map(([id, names]) => [id, [...names].sort()]));
}

/** `place` (repository-relative) is a path read, or a folder holding one. */
function readInside(reads: ReadonlySet<string> | undefined, place: string): boolean {
  if (!reads) return false;
  if (reads.has(place)) return true;
  const prefix = place === '.' ? '' : `${place}/`;
  for (const file of reads) if (file.startsWith(prefix)) return true;
  return false;
}
