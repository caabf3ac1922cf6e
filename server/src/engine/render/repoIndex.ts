/**
 * What a Flux or Argo CD resource references, answered from the repo (ConfigMaps, Secrets, chart
 * sources, artifact layouts), and small helpers shared by the unit definitions.
 */
import * as path from 'node:path';
import type { SourceOrigin } from '../git/remoteUrl';
import type { RenderUnit, SourceLocation } from './types';
import { isMapValue } from './yamlDocs';
import type { YamlMap } from './yamlDocs';

export interface RepoIndex {
  workspaceRoot: string;
  /** Whether a source URL (a GitRepository's, an Application's repoURL) is this repository. */
  originOf(url: string | undefined): SourceOrigin;
  /** File defining a ConfigMap or Secret, keyed `Kind/namespace/name` (namespace may be empty). */
  configFile(kind: string, namespace: string | undefined, name: string): string | undefined;
  /** A Flux source (`HelmRepository`, `GitRepository`, `OCIRepository`) defined in the repo. */
  source(kind: string, namespace: string | undefined, name: string): YamlMap | undefined;
  /** Where that source is defined, for messages about its fields. */
  sourceLocation(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): SourceLocation | undefined;
  /** Repo folder an ExternalArtifact path maps to through an ArtifactGenerator, if any. */
  artifactPath(artifact: string, subPath: string): string | undefined;
  /** True when the folder exists and holds a `Chart.yaml`. */
  isChart(dir: string): boolean;
  isKustomization(dir: string): boolean;
  exists(dir: string): boolean;
}

export function record(value: unknown): Record<string, string> | undefined {
  if (!isMapValue(value)) return undefined;
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return entries.length ? Object.fromEntries(entries) : undefined;
}

export function array(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** Flux `spec.valuesFrom` with the file of each ConfigMap or Secret found by `index`. */
export function relativeRoot(index: RepoIndex, reference: string): string {
  return path.resolve(index.workspaceRoot, reference.replace(/^\.\//, ''));
}

export function outsideRefusal(unit: RenderUnit, reference: string): RenderUnit {
  return {
    ...unit,
    unrenderable: {
      reason: 'refused',
      message: `The path "${reference}" points outside the workspace, so it was not rendered: use a path inside the repository.`,
      hint: 'workspaceRoot',
      ...(unit.definedIn ? { file: unit.definedIn.file, line: unit.definedIn.line } : {}),
    },
  };
}
