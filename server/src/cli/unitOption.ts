/**
 * `render <file> --unit <name>`: which of the units a file belongs to is rendered (a chart's
 * defaults, or a HelmRelease or Argo CD Application that deploys the chart with its values), and
 * the note that lists them when the user named none.
 */
import { escapeControls } from '../controlChars';
import type { Workspace, WorkspaceUnit } from '../engine/workspace';
import { UsageError } from './usage';

/**
 * The unit `wanted` names among `entries` (the units of `target`, the default first): by its
 * place (`clusters/staging/podinfo.yaml:3`, or the chart folder for its defaults), its
 * `namespace/name`, its name, its label or its id. Without `wanted`, the first.
 */
export function chosenUnit(
  workspace: Workspace,
  entries: readonly WorkspaceUnit[],
  target: string,
  wanted: string | undefined,
): WorkspaceUnit {
  const [first] = entries;
  if (!first) throw new Error(`${target} has no unit to choose from`);
  if (wanted === undefined) return first;
  const matching = entries.filter((entry) => namesOf(workspace, entry).includes(wanted));
  const [only, ...more] = matching;
  if (only && more.length === 0) return only;
  const listed = entries
    .map((entry) => {
      const { label, where } = workspace.describe(entry);
      return `${where} (${label})`;
    })
    .join(', ');
  throw new UsageError(
    only
      ? `--unit ${wanted} names ${matching.length} units of ${target}: name one by its place instead: ${listed}.`
      : `--unit ${wanted} names none of the units of ${target}: name one of ${listed}.`,
  );
}

/**
 * The lines written on stderr when `target` belongs to several units and none was named: which
 * one was rendered and how to render another. Empty when there is one.
 */
export function otherUnitsNote(
  workspace: Workspace,
  entries: readonly WorkspaceUnit[],
  target: string,
  rendered: WorkspaceUnit,
): string {
  if (entries.length < 2) return '';
  // One row per unit: a name of the repository can neither start a line nor act on the terminal.
  const rows = entries.map((entry) => {
    const { where, label } = workspace.describe(entry);
    return { where: escapeControls(where), label: escapeControls(label) };
  });
  const width = Math.max(...rows.map(({ where }) => where.length));
  const chosen = escapeControls(workspace.describe(rendered).label);
  return [
    `gitops-workbench: ${escapeControls(target)} belongs to ${entries.length} units; rendered ${chosen}. Render another with --unit PLACE:`,
    ...rows.map(({ where, label }) => `  ${where.padEnd(width)}  ${label}`),
    '',
  ].join('\n');
}

function namesOf(workspace: Workspace, entry: WorkspaceUnit): string[] {
  const { unit } = entry;
  const { label, where } = workspace.describe(entry);
  return [
    where,
    label,
    unit.id,
    unit.name,
    ...(unit.namespace ? [`${unit.namespace}/${unit.name}`] : []),
  ];
}
