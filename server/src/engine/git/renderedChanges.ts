/**
 * Two renders of one unit compared resource by resource: which resources were added, removed or
 * modified, with a unified diff and both sides' texts, Secret values masked alike on both sides
 * (an unchanged value has the same mask, a changed one another). The rollback's impact and a
 * branch's impact both compare here.
 */
import { parse } from '../parse/boundedYaml';
import { apiGroup } from '../parse/apiVersion';
import { diffResources } from '../diff/resourceDiff';
import { unifiedDiff } from '../diff/unifiedDiff';
import type { RenderedResource } from '../render/types';
import type { RenderedChange } from './types';

/** A change with the masked YAML of each side (sorted keys), for a side-by-side diff. */
export interface RenderedSides extends RenderedChange {
  readonly apiVersion: string;
  /** Absent when the resource was added. */
  readonly beforeText?: string;
  /** Absent when the resource was removed. */
  readonly afterText?: string;
}

/** The group/kind/namespace/name id of a rendered resource, as sync status names it. */
export function renderedResourceId(resource: RenderedResource): string {
  return `${apiGroup(resource.apiVersion)}/${resource.kind}/${resource.namespace ?? ''}/${resource.name}`;
}

/** A rendered document as data, read as the Go tools read it (YAML 1.1: `!!binary` decoded). */
function asObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text, { version: '1.1', uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    return {};
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The changes between two renders of one unit with both texts, Secret values masked. */
export function compareRenderedSides(
  before: readonly RenderedResource[],
  after: readonly RenderedResource[],
  labels: { before: string; after: string },
  secretValues: readonly string[] = [],
): RenderedSides[] {
  const options = { secretValues };
  const left = new Map(before.map((resource) => [renderedResourceId(resource), resource]));
  const right = new Map(after.map((resource) => [renderedResourceId(resource), resource]));
  const changes: RenderedSides[] = [];
  for (const id of new Set([...right.keys(), ...left.keys()])) {
    const old = left.get(id);
    const current = right.get(id);
    const resource = (current ?? old) as RenderedResource;
    const label = (side: string): string => `${side}:${resource.kind}/${resource.name}`;
    const diffLabels = { leftLabel: label(labels.before), rightLabel: label(labels.after) };
    let change: RenderedChange['change'];
    let changedPaths: string[] = [];
    let diff: string;
    let texts: { beforeText?: string; afterText?: string };
    if (old && current) {
      const compared = diffResources(asObject(old.text), asObject(current.text), options);
      if (compared.changedPaths.length === 0) continue;
      change = 'modified';
      changedPaths = compared.changedPaths;
      diff = unifiedDiff(compared.left, compared.right, diffLabels);
      texts = { beforeText: compared.left, afterText: compared.right };
    } else {
      const object = asObject(resource.text);
      const masked = diffResources(object, object, options).right;
      change = current ? 'added' : 'removed';
      diff = current ? unifiedDiff('', masked, diffLabels) : unifiedDiff(masked, '', diffLabels);
      texts = current ? { afterText: masked } : { beforeText: masked };
    }
    changes.push({
      id,
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      name: resource.name,
      ...(resource.namespace ? { namespace: resource.namespace } : {}),
      change,
      changedPaths,
      diff,
      ...texts,
    });
  }
  return changes;
}
