export interface UnifiedDiffOptions {
  leftLabel: string;
  rightLabel: string;
  /** Unchanged lines shown around each change (3, as `diff -u`). */
  context?: number;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/**
 * A unified diff of two texts by lines, as `diff -u` prints it: `--- left`, `+++ right`, then
 * `@@ -l,c +l,c @@` hunks. Identical texts give the empty string. Lines are compared with a
 * Myers O(ND) diff after the common head and tail are set aside, so large files with few changes
 * are cheap (time and memory grow with the square of the number of changed lines; past 2,000
 * edits the differing middle is shown as removed, then added).
 */
export function unifiedDiff(
  leftText: string,
  rightText: string,
  options: UnifiedDiffOptions,
): string {
  const context = options.context ?? 3;
  const ops = diffLines(splitLines(leftText), splitLines(rightText));
  const hunks = hunkRanges(ops, context);
  if (hunks.length === 0) {
    return '';
  }
  const out = [`--- ${options.leftLabel}`, `+++ ${options.rightLabel}`];
  let opIndex = 0;
  let leftLine = 1;
  let rightLine = 1;
  for (const [start, end] of hunks) {
    for (; opIndex < start; opIndex++) {
      leftLine += ops[opIndex]?.kind === '+' ? 0 : 1;
      rightLine += ops[opIndex]?.kind === '-' ? 0 : 1;
    }
    const slice = ops.slice(start, end);
    const leftCount = slice.filter((op) => op.kind !== '+').length;
    const rightCount = slice.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${range(leftLine, leftCount)} +${range(rightLine, rightCount)} @@`);
    for (const op of slice) {
      out.push(op.kind + op.line);
    }
  }
  return out.join('\n') + '\n';
}

function range(start: number, count: number): string {
  if (count === 1) {
    return String(start);
  }
  // An empty range names the line before it, as GNU diff does.
  return `${count === 0 ? start - 1 : start},${count}`;
}

function splitLines(text: string): string[] {
  if (text === '') {
    return [];
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

/** [start, end) op ranges of the hunks, neighbouring changes merged when their contexts touch. */
function hunkRanges(ops: Op[], context: number): Array<[number, number]> {
  const hunks: Array<[number, number]> = [];
  for (let i = 0; i < ops.length; i++) {
    if (ops[i]?.kind === ' ') {
      continue;
    }
    const start = Math.max(0, i - context);
    let last = i;
    while (i + 1 < ops.length) {
      let next = i + 1;
      while (next < ops.length && ops[next]?.kind === ' ') {
        next++;
      }
      if (next < ops.length && next - last - 1 <= 2 * context) {
        last = next;
        i = next;
      } else {
        break;
      }
    }
    const previous = hunks[hunks.length - 1];
    const end = Math.min(ops.length, last + context + 1);
    if (previous !== undefined && start <= previous[1]) {
      previous[1] = end;
    } else {
      hunks.push([start, end]);
    }
    i = last;
  }
  return hunks;
}

function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) {
    head++;
  }
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const same = (line: string): Op => ({ kind: ' ', line });
  return [
    ...a.slice(0, head).map(same),
    ...myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map(same),
  ];
}

/** Beyond this many edits the frontiers kept for backtracking would take too much memory. */
const MAX_EDITS = 2000;

/** Myers' greedy O(ND) shortest edit script, with the frontier of each step kept to backtrack. */
function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  outer: for (let d = 0; d <= Math.min(max, MAX_EDITS); d++) {
    // The frontier before step d, for k in [-d-1, d+1], stored at index k + d + 1.
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))
          ? (v[offset + k + 1] ?? 0)
          : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break outer;
      }
    }
  }
  if (!found) {
    // Texts this different: a correct but not minimal script, rather than quadratic memory.
    return [
      ...a.map((line): Op => ({ kind: '-', line })),
      ...b.map((line): Op => ({ kind: '+', line })),
    ];
  }
  const reversed: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d] ?? new Int32Array(0);
    const at = (k: number): number => frontier[k + d + 1] ?? 0;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      reversed.push({ kind: ' ', line: a[x - 1] ?? '' });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === previousX) {
        reversed.push({ kind: '+', line: b[y - 1] ?? '' });
      } else {
        reversed.push({ kind: '-', line: a[x - 1] ?? '' });
      }
    }
    x = previousX;
    y = previousY;
  }
  return reversed.reverse();
}
