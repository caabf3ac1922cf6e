import { isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import type { Node } from 'yaml';
import type { FieldPath } from '../../server/src/engine/parse/locate';
import type { SchemaRegistry } from '../../server/src/engine';
import type { OracleBase } from './bases';
import { candidatesOf } from './mutations';
import type { Candidate, Edit } from './mutations';
import { Random } from './random';

/** One manifest for both judges. */
export interface OracleCase {
  /** `<base>:<mutation>`, or `<base>:valid` for the base as it is. */
  readonly id: string;
  readonly base: string;
  readonly kind: string;
  readonly text: string;
  /** Zero-based lines of the mutated field: where our finding must be when the server rejects. */
  readonly focus: { readonly from: number; readonly to: number } | undefined;
}

export interface SampleOptions {
  readonly seed: number;
  /** How many cases, the valid bases included. */
  readonly count: number;
}

/** Share of the cases that add a field the base leaves out, rather than change one it has. */
const ABSENT_SHARE = 0.2;

/**
 * A seeded sample of cases: every valid base, then mutations spread evenly over the kinds (and
 * over the bases of a kind), without repeating a manifest.
 */
export function sampleCases(
  bases: readonly OracleBase[],
  registry: SchemaRegistry,
  options: SampleOptions,
): OracleCase[] {
  const random = new Random(options.seed);
  const seen = new Set<string>();
  const cases: OracleCase[] = [];
  const add = (oracleCase: OracleCase): void => {
    if (!seen.has(oracleCase.text)) {
      seen.add(oracleCase.text);
      cases.push(oracleCase);
    }
  };
  for (const base of bases) {
    add(render(base, { label: 'valid', edits: [], focus: [], tier: 'present' }));
  }
  const byKind = new Map<string, Array<{ base: OracleBase; candidates: Candidate[] }>>();
  for (const base of bases) {
    const schema = registry.lookup(base.apiVersion, base.kind);
    if (!schema) throw new Error(`no schema for ${base.apiVersion} ${base.kind} (${base.id})`);
    const entry = { base, candidates: random.shuffled(candidatesOf(base.object, schema)) };
    byKind.set(base.kind, [...(byKind.get(base.kind) ?? []), entry]);
  }
  const kinds = [...byKind.keys()].sort();
  const budget = Math.max(0, options.count - cases.length);
  kinds.forEach((kind, index) => {
    const quota = Math.floor(budget / kinds.length) + (index < budget % kinds.length ? 1 : 0);
    const entries = byKind.get(kind) ?? [];
    const queues = entries.map(({ base, candidates }) => ({
      base,
      present: candidates.filter((candidate) => candidate.tier === 'present'),
      absent: candidates.filter((candidate) => candidate.tier === 'absent'),
    }));
    let taken = 0;
    for (let round = 0; taken < quota; round++) {
      let progressed = false;
      for (const queue of queues) {
        if (taken >= quota) break;
        const preferAbsent = random.next() < ABSENT_SHARE;
        const first = preferAbsent ? queue.absent : queue.present;
        const second = preferAbsent ? queue.present : queue.absent;
        const candidate = first.shift() ?? second.shift();
        if (!candidate) continue;
        progressed = true;
        const before = cases.length;
        add(render(queue.base, candidate));
        if (cases.length > before) taken++;
      }
      if (!progressed) break;
    }
  });
  return cases;
}

function render(base: OracleBase, candidate: Candidate): OracleCase {
  const object = structuredClone(base.object);
  for (const edit of candidate.edits) {
    apply(object, edit);
  }
  const text = stringify(object, { version: '1.1', lineWidth: 0 });
  return {
    id: `${base.id}:${candidate.label}`,
    base: base.id,
    kind: base.kind,
    text,
    focus: candidate.edits.length === 0 ? undefined : linesOf(text, candidate.focus),
  };
}

function apply(root: Record<string, unknown>, edit: Edit): void {
  const parentPath = edit.path.slice(0, -1);
  const last = edit.path.at(-1);
  let parent: unknown = root;
  for (const [index, segment] of parentPath.entries()) {
    const container = parent as Record<string | number, unknown>;
    if (container[segment] === undefined || container[segment] === null) {
      container[segment] = typeof parentPath[index + 1] === 'number' ? [] : {};
    }
    parent = container[segment];
  }
  if (last === undefined || parent === null || typeof parent !== 'object') return;
  const container = parent as Record<string | number, unknown>;
  if (edit.op === 'set') {
    container[last] = structuredClone(edit.value);
  } else if (edit.op === 'append') {
    const list = container[last];
    if (Array.isArray(list)) list.push(structuredClone(edit.value));
  } else if (Array.isArray(container) && typeof last === 'number') {
    container.splice(last, 1);
  } else {
    delete container[last];
  }
}

/** The lines of the field at `path` in `text` (its key to the end of its value). */
function linesOf(text: string, path: FieldPath): { from: number; to: number } | undefined {
  const document = parseDocument(text, { version: '1.1' });
  let node = document.contents as Node | null;
  let span: [number, number] | undefined = node?.range ? [node.range[0], node.range[2]] : undefined;
  for (const segment of path) {
    if (typeof segment === 'number' && isSeq(node)) {
      const item = node.items[segment] as Node | undefined;
      if (!item?.range) break;
      span = [item.range[0], item.range[2]];
      node = item;
    } else if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
      const key = pair?.key as Node | undefined;
      if (!pair || !key?.range) break;
      const value = pair.value as Node | null;
      span = [key.range[0], value?.range?.[2] ?? key.range[2]];
      node = value;
    } else {
      break;
    }
  }
  if (!span) return undefined;
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length - 1;
  const to = lineOf(Math.max(span[0], span[1] - 1));
  return { from: lineOf(span[0]), to };
}
