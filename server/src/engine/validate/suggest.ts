import type { Fix, Range } from '../types';

/** The closest of `candidates` to `word` when it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(1, Math.floor(word.length / 3));
  for (const candidate of candidates) {
    const distance =
      candidate.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance with transpositions counted as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] ?? [];
      const above = d[i - 1] ?? [];
      let value = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (d[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row[j] = value;
    }
  }
  return d[a.length]?.[b.length] ?? Math.max(a.length, b.length);
}

/** The quick fix of a misspelt key: `range` (the key as written) becomes `suggestion`. */
export function renameKeyFix(key: string, suggestion: string, range: Range): Fix {
  return { title: `Rename "${key}" to "${suggestion}"`, range, newText: suggestion };
}

/**
 * The rename fix of `key` on `line` of `text` (0-based), when that line writes the key plainly
 * (`key:`, `- key:`, quoted or not); a templated or computed key gets no fix.
 */
export function renameKeyOnLine(
  text: string,
  line: number,
  key: string,
  suggestion: string,
): Fix | undefined {
  const written = text.split(/\r?\n/)[line];
  if (written === undefined) return undefined;
  const match = /^(\s*(?:-\s+)?)(["']?)([^"':]+)\2\s*:(?:\s|$)/.exec(written);
  if (!match || match[3] !== key) return undefined;
  const start = (match[1] ?? '').length;
  const end = start + key.length + 2 * (match[2] ?? '').length;
  return renameKeyFix(key, suggestion, {
    start: { line, character: start },
    end: { line, character: end },
  });
}
