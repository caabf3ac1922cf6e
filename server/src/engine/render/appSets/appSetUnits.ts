/**
 * The render units of an Argo CD ApplicationSet: each Application it generates becomes units
 * exactly as a hand-written Application would (argoUnits), named for the set it came from, with
 * its fields pointing into the set's `spec.template`; what stopped the expansion is a unit of the
 * set itself whose refusal says why (an information when it is not the repository's mistake).
 */
import { argoApplicationUnits } from '../argoUnits';
import type { RepoIndex } from '../repoIndex';
import type { InputField, RenderUnit } from '../types';
import type { ClusterSecret, RepoFiles } from './appSetTypes';
import { expandApplicationSet } from './expandAppSet';
import type { AppSetNote } from './expandAppSet';

/** What an ApplicationSet's generators read besides the set itself. */
export interface AppSetSources {
  readonly repo: RepoFiles;
  readonly clusters: readonly ClusterSecret[];
}

/** The units of the ApplicationSet `resource` defined at `file`:`line`. */
export function applicationSetUnits(
  resource: Record<string, unknown>,
  file: string,
  line: number,
  index: RepoIndex,
  sources: AppSetSources,
): RenderUnit[] {
  const setName = nameOf(resource) ?? '(unnamed)';
  const { applications, notes } = expandApplicationSet(resource, {
    repoCheck: (url) => repoCheck(url, index),
    repo: sources.repo,
    clusters: sources.clusters,
  });
  const units: RenderUnit[] = [];
  for (const application of applications) {
    for (const unit of argoApplicationUnits(application.resource, file, line, index)) {
      units.push(generatedUnit(unit, application.name, setName, file, line));
    }
  }
  notes.forEach((note, position) =>
    units.push(noteUnit(note, position, setName, file, line, index)),
  );
  return units;
}

/** Undefined when `url` is this repository; else why the git generator does not read it. */
function repoCheck(url: string | undefined, index: RepoIndex): string | undefined {
  const origin = index.originOf(url);
  if (origin === 'workspace') return undefined;
  if (origin === 'elsewhere') {
    return `its git generator reads ${url ?? ''}, another repository than this workspace: open that repository to see the Applications it generates`;
  }
  return `its git generator reads ${url || 'a repository it does not name'}, which cannot be matched to this workspace (it has no git remote with that URL): add that remote, or open that repository, to see the Applications it generates`;
}

function generatedUnit(
  unit: RenderUnit,
  application: string,
  setName: string,
  file: string,
  line: number,
): RenderUnit {
  const position = /:(\d+)$/.exec(unit.id)?.[1] ?? '0';
  const out: RenderUnit = {
    ...unit,
    id: `argocd-applicationset:${file}:${line}:${application}:${position}`,
    name: `${unit.name} (ApplicationSet ${setName})`,
    applicationSet: { name: setName, application },
  };
  if (unit.helm?.fields) {
    const fields: NonNullable<typeof unit.helm.fields> = {};
    for (const [key, field] of Object.entries(unit.helm.fields) as [
      keyof typeof fields,
      InputField,
    ][]) {
      fields[key] = { ...field, path: ['spec', 'template', ...field.path] };
    }
    out.helm = { ...unit.helm, fields };
  }
  return out;
}

function noteUnit(
  note: AppSetNote,
  position: number,
  setName: string,
  file: string,
  line: number,
  index: RepoIndex,
): RenderUnit {
  return {
    kind: 'argocd-application',
    id: `argocd-applicationset:${file}:${line}:note:${position}`,
    name: `${setName} (ApplicationSet)`,
    root: index.workspaceRoot,
    // Never run (it carries its refusal); not 'plain', whose failures a check leaves out.
    renderer: 'kustomize',
    definedIn: { file, line },
    applicationSet: { name: setName },
    unrenderable: {
      reason: note.reason === 'invalid' ? 'failed' : 'notRendered',
      message: `${sentence(note.message)}`,
      file,
      line,
    },
  };
}

function sentence(text: string): string {
  return text.endsWith('.') ? text : `${text}.`;
}

function nameOf(resource: Record<string, unknown>): string | undefined {
  const metadata = resource.metadata;
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const name = (metadata as Record<string, unknown>).name;
  return typeof name === 'string' ? name : undefined;
}
