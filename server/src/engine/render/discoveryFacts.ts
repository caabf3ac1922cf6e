/**
 * What one file tells unit discovery: the Flux, Argo CD and source documents it defines (and the
 * ConfigMaps and Secrets they may read), whether it is a manifest, whether a kustomization is a
 * Component, and what a Chart.yaml declares. Read once per file and kept per file, so a change
 * of one file updates the units without reading the others again.
 */
import * as path from 'node:path';
import { KUSTOMIZATION_FILE_NAMES } from '../files/folderWalk';
import { readKustomization } from '../kustomize/kustomizationReader';
import { iterateDocuments } from '../parse/documentChunks';
import { NOT_A_RESOURCE, plainIdentity } from './sourceIdentities';
import { parseYamlDocs, resourceDocs, stringAt } from './yamlDocs';
import type { YamlMap } from './yamlDocs';

/** Larger files define no unit (generated bundles of CRDs can be a few megabytes). */
export const MAX_DISCOVERY_FILE_BYTES = 4 * 1024 * 1024;

/** A document that may define a unit or something a unit reads: only those are read further. */
export const INTERESTING =
  /kind:\s*["']?(Kustomization|HelmRelease|Application|ApplicationSet|ConfigMap|Secret|HelmRepository|GitRepository|OCIRepository|ArtifactGenerator)\b/;

/** A document that defines a unit, or something a unit reads. */
export interface Definition {
  readonly file: string;
  /** One-based line of the document. */
  readonly line: number;
  readonly value: YamlMap;
}

export interface DiscoveryFacts {
  readonly definitions: readonly Definition[];
  /** True when the file holds a Kubernetes resource (its folder is a folder of manifests). */
  readonly manifest: boolean;
  /** A kustomization file that is a kustomize Component, not rendered on its own. */
  readonly component?: boolean;
  /** What a Chart.yaml declares: its name, its type, the line of its document. */
  readonly chart?: { readonly name?: string; readonly type?: string; readonly line: number };
}

const NOTHING: DiscoveryFacts = { definitions: [], manifest: false };

/** The facts of `file` whose text is `text`. */
export function discoveryFacts(file: string, text: string): DiscoveryFacts {
  const name = path.basename(file);
  if (KUSTOMIZATION_FILE_NAMES.includes(name)) {
    return { ...resourceFacts(file, text), component: isComponent(text) };
  }
  if (name === 'Chart.yaml') {
    const doc = parseYamlDocs(text)[0];
    const declared = stringAt(doc?.value, 'name');
    const type = stringAt(doc?.value, 'type');
    return {
      ...NOTHING,
      chart: {
        ...(declared !== undefined ? { name: declared } : {}),
        ...(type !== undefined ? { type } : {}),
        line: doc?.line ?? 1,
      },
    };
  }
  return resourceFacts(file, text);
}

function resourceFacts(file: string, text: string): DiscoveryFacts {
  if (text.length > MAX_DISCOVERY_FILE_BYTES || !/^\s*kind:/m.test(text)) return NOTHING;
  if (!INTERESTING.test(text)) {
    return { definitions: [], manifest: /^\s*apiVersion:/m.test(text) };
  }
  // Only the documents that may define a unit or what one reads are parsed: in a large manifest
  // file most are not, and this runs on every file of the workspace before anything is checked.
  const definitions: Definition[] = [];
  let manifest = false;
  for (const chunk of iterateDocuments(text)) {
    if (!INTERESTING.test(chunk.text)) {
      manifest ||= /^\s*apiVersion:/m.test(chunk.text) && /^\s*kind:/m.test(chunk.text);
      continue;
    }
    const config = configIdentity(chunk.text);
    if (config) {
      definitions.push({ file, line: chunk.startLine + config.line, value: config.value });
      continue;
    }
    for (const doc of resourceDocs(chunk.text)) {
      definitions.push({ file, line: chunk.startLine + doc.line, value: doc.value });
    }
  }
  return { definitions, manifest: manifest || definitions.length > 0 };
}

/**
 * A ConfigMap or Secret as units look it up (by kind, namespace and name: they read its file
 * when they need its data), read from its lines without parsing it; undefined for any other
 * document, for one not written the plain way, and for a Secret that may be an Argo CD cluster
 * Secret (the cluster generator reads its labels and data). A third of a repository's documents
 * can be ConfigMaps, and this runs on every file before anything is rendered.
 */
function configIdentity(text: string): { line: number; value: YamlMap } | undefined {
  const identity = plainIdentity(text);
  if (identity === undefined || identity === NOT_A_RESOURCE || identity.apiVersion !== 'v1') {
    return undefined;
  }
  const { kind, name, namespace } = identity;
  if (kind !== 'ConfigMap' && (kind !== 'Secret' || /secret-type|\\/.test(text))) return undefined;
  const metadata = {
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
  return { line: identity.line, value: { apiVersion: 'v1', kind, metadata } };
}

/** True for a kustomize Component, which is not rendered on its own. */
function isComponent(kustomizationText: string): boolean {
  // The word can only be read from text that holds it, or spells it with an escape: without
  // either the file is not parsed a second time (this runs on every kustomization of the repo).
  if (!kustomizationText.includes('Component') && !kustomizationText.includes('\\')) {
    return false;
  }
  try {
    return readKustomization(kustomizationText).kinds.includes('Component');
  } catch {
    // Unreadable: a unit whose render says why.
    return false;
  }
}

/**
 * Facts read in one folder, given again for the same file of another folder with the same
 * repository-relative path and the same text (a snapshot of another commit): a branch's head
 * is indexed reading only the files the branch changed. The facts given are the file's own
 * (its path, a copy of its documents), as if read there.
 */
export class DiscoveryMemo {
  private readonly known = new Map<
    string,
    { readonly text: string; readonly facts: DiscoveryFacts }
  >();

  /** The facts of `file` (under `root`) whose text is `text`. */
  factsOf(root: string, file: string, text: string): DiscoveryFacts {
    const relative = path.relative(root, file);
    const known = this.known.get(relative);
    if (known?.text === text) {
      const { definitions, ...rest } = known.facts;
      return {
        ...rest,
        definitions: definitions.map(({ line, value }) => ({
          file,
          line,
          value: structuredClone(value),
        })),
      };
    }
    const facts = discoveryFacts(file, text);
    this.known.set(relative, { text, facts });
    return facts;
  }
}
