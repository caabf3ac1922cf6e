/**
 * The repository as Flux and Argo CD units see it: ConfigMaps and Secrets by name, Flux sources,
 * ArtifactGenerator layouts, which folders are charts or kustomizations, and whether a source
 * URL is this repository. Built from the discovery facts of the workspace's files.
 */
import * as path from 'node:path';
import { sourceOrigin } from '../git/remoteUrl';
import type { SourceOrigin } from '../git/remoteUrl';
import { apiGroup } from '../parse/apiVersion';
import type { Definition } from './discoveryFacts';
import type { RepoIndex } from './repoIndex';
import type { SourceLocation } from './types';
import { stringAt, valueAt } from './yamlDocs';
import type { YamlMap } from './yamlDocs';

/** What the index needs to know of a folder. */
export interface IndexedFolder {
  readonly chart: boolean;
  readonly kustomization?: string;
}

export class WorkspaceIndex implements RepoIndex {
  readonly configs = new Map<string, string>();
  readonly sources = new Map<string, Definition>();
  readonly generators: YamlMap[] = [];

  constructor(
    readonly workspaceRoot: string,
    private readonly dirs: ReadonlyMap<string, IndexedFolder>,
    private readonly remotes: readonly string[],
  ) {}

  originOf(url: string | undefined): SourceOrigin {
    return sourceOrigin(url, this.remotes);
  }

  add({ value: resource, file, line }: Definition): void {
    const kind = String(resource.kind);
    const name = stringAt(resource, 'metadata', 'name') ?? '';
    const namespace = stringAt(resource, 'metadata', 'namespace') ?? '';
    if ((kind === 'ConfigMap' || kind === 'Secret') && resource.apiVersion === 'v1') {
      this.configs.set(`${kind}/${namespace}/${name}`, file);
    } else if (
      ['HelmRepository', 'GitRepository', 'OCIRepository'].includes(kind) &&
      apiGroup(String(resource.apiVersion)) === 'source.toolkit.fluxcd.io'
    ) {
      this.sources.set(`${kind}/${namespace}/${name}`, { file, line, value: resource });
    } else if (kind === 'ArtifactGenerator') {
      this.generators.push(resource);
    }
  }

  configFile(kind: string, namespace: string | undefined, name: string): string | undefined {
    return (
      this.configs.get(`${kind}/${namespace ?? ''}/${name}`) ?? this.configs.get(`${kind}//${name}`)
    );
  }

  source(kind: string, namespace: string | undefined, name: string): YamlMap | undefined {
    return this.sourceDefinition(kind, namespace, name)?.value;
  }

  sourceLocation(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): SourceLocation | undefined {
    const definition = this.sourceDefinition(kind, namespace, name);
    return definition ? { file: definition.file, line: definition.line } : undefined;
  }

  private sourceDefinition(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Definition | undefined {
    return (
      this.sources.get(`${kind}/${namespace ?? ''}/${name}`) ?? this.sources.get(`${kind}//${name}`)
    );
  }

  /** `@artifact/<to>` paths mapped back to `@source/<from>/**` copies of an ArtifactGenerator. */
  artifactPath(artifact: string, subPath: string): string | undefined {
    const wanted = subPath.replace(/^\.?\//, '').replace(/\/$/, '');
    for (const generator of this.generators) {
      for (const entry of Array.isArray(valueAt(generator, 'spec', 'artifacts'))
        ? (valueAt(generator, 'spec', 'artifacts') as unknown[])
        : []) {
        if (stringAt(entry, 'name') !== artifact) continue;
        const copies = valueAt(entry, 'copy');
        for (const copy of Array.isArray(copies) ? (copies as unknown[]) : []) {
          const from = /^@[^/]+\/(.*?)\/?\*\*$/.exec(stringAt(copy, 'from') ?? '')?.[1];
          const to = /^@artifact\/?(.*?)\/?$/.exec(stringAt(copy, 'to') ?? '')?.[1];
          if (from === undefined || to === undefined) continue;
          if (wanted === to || wanted.startsWith(`${to}/`) || to === '') {
            const rest = to === '' ? wanted : wanted.slice(to.length).replace(/^\//, '');
            return path.resolve(this.workspaceRoot, from, rest);
          }
        }
      }
    }
    return undefined;
  }

  isChart(dir: string): boolean {
    return this.dirs.get(dir)?.chart === true;
  }

  isKustomization(dir: string): boolean {
    return this.dirs.get(dir)?.kustomization !== undefined;
  }

  exists(dir: string): boolean {
    return this.dirs.has(dir);
  }
}
