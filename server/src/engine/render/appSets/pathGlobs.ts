/**
 * The two path patterns of Argo CD's git generator, matched by our own code against the walked
 * file list (never by a shell): `directories` use Go's `path.Match` (`*` stops at `/`), `files`
 * use the pathspec of `git ls-files -- <pattern>` (Argo CD's default: `*` and `**` cross `/`, and
 * a pattern without wildcards names a file or every file below a folder).
 */

const WILDCARD = /[*?[\\]/;

/**
 * One piece of a pattern between stars: literal characters, `?` and classes. Matched leftmost
 * after each star, as Go's `path.Match` does: time linear in the pattern times the name, so a
 * repository's pattern cannot stall discovery (a regular expression of many stars could).
 */
type Atom =
  | { readonly type: 'char'; readonly char: string }
  | { readonly type: 'any' }
  | {
      readonly type: 'class';
      readonly negate: boolean;
      readonly ranges: readonly [string, string][];
    };

interface Glob {
  /** Atoms between stars; `chunks[0]` comes before the first star. */
  readonly chunks: readonly (readonly Atom[])[];
  readonly starCrossesSlash: boolean;
}

/** The pattern's chunks; undefined when it is malformed (an unclosed `[`, a trailing `\\`). */
function compile(pattern: string, starCrossesSlash: boolean): Glob | undefined {
  const chunks: Atom[][] = [[]];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    const chunk = chunks[chunks.length - 1] as Atom[];
    if (char === '*') {
      if (chunk.length > 0 || chunks.length === 1) chunks.push([]);
      continue;
    }
    if (char === '?') {
      chunk.push({ type: 'any' });
    } else if (char === '\\') {
      const next = chars[++i];
      if (next === undefined) return undefined;
      chunk.push({ type: 'char', char: next });
    } else if (char === '[') {
      let j = i + 1;
      let negate = false;
      if (chars[j] === '^' || (starCrossesSlash && chars[j] === '!')) {
        negate = true;
        j++;
      }
      const ranges: [string, string][] = [];
      let first = true;
      for (;;) {
        let low = chars[j];
        if (low === undefined) return undefined;
        if (low === ']' && !first) break;
        first = false;
        if (low === '\\') low = chars[++j];
        if (low === undefined) return undefined;
        let high: string | undefined = low;
        if (chars[j + 1] === '-' && chars[j + 2] !== undefined && chars[j + 2] !== ']') {
          high = chars[j + 2];
          j += 2;
          if (high === '\\') high = chars[++j];
          if (high === undefined) return undefined;
        }
        ranges.push([low, high]);
        j++;
      }
      chunk.push({ type: 'class', negate, ranges });
      i = j;
    } else {
      chunk.push({ type: 'char', char });
    }
  }
  return { chunks, starCrossesSlash };
}

/** Whether `atoms` match `name` from `at`: the index after them, or -1. */
function matchAtoms(
  atoms: readonly Atom[],
  name: readonly string[],
  at: number,
  glob: Glob,
): number {
  let i = at;
  for (const atom of atoms) {
    const char = name[i];
    if (char === undefined) return -1;
    if (atom.type === 'char') {
      if (char !== atom.char) return -1;
    } else if (atom.type === 'any') {
      if (!glob.starCrossesSlash && char === '/') return -1;
    } else {
      const inside = atom.ranges.some(([low, high]) => low <= char && char <= high);
      if (inside === atom.negate) return -1;
    }
    i++;
  }
  return i;
}

function matches(glob: Glob, text: string): boolean {
  const name = [...text];
  const [head = [], ...rest] = glob.chunks;
  let at = matchAtoms(head, name, 0, glob);
  if (at < 0) return false;
  if (rest.length === 0) return at === name.length;
  for (let c = 0; c < rest.length; c++) {
    const chunk = rest[c] as Atom[];
    const last = c === rest.length - 1;
    let found = -1;
    // The star before this chunk takes what it must (never a '/' for Go's path.Match).
    for (let start = at; start <= name.length; start++) {
      if (start > at && !glob.starCrossesSlash && name[start - 1] === '/') break;
      const end = matchAtoms(chunk, name, start, glob);
      if (end >= 0 && (!last || end === name.length || chunk.length === 0)) {
        found = end;
        break;
      }
    }
    if (found < 0) return false;
    if (last && chunk.length === 0) {
      // A trailing star takes the rest (not across '/' for path.Match).
      return glob.starCrossesSlash || !name.slice(found).includes('/');
    }
    at = found;
  }
  return at === name.length;
}

/** Go's `path.Match(pattern, name)`: undefined for a malformed pattern (Argo CD skips it). */
export function goPathMatch(pattern: string, name: string): boolean | undefined {
  const glob = compile(pattern, false);
  return glob ? matches(glob, name) : undefined;
}

/**
 * Whether `git ls-files -- <pattern>` lists `file` (both repository-relative, `/`-separated): a
 * pattern with wildcards matches the whole path, `*` crossing `/`; one without names the file
 * itself or a folder holding it.
 */
export function gitPathspecMatch(pattern: string, file: string): boolean {
  const spec = pattern.replace(/^\.\//, '');
  if (spec === '' || spec === '.') return true;
  if (!WILDCARD.test(spec)) {
    const folder = spec.replace(/\/+$/, '');
    return file === folder || file.startsWith(`${folder}/`);
  }
  const glob = compile(spec, true);
  return glob ? matches(glob, file) : false;
}

/** True when a pattern climbs out of the repository (`..`) or is absolute. */
export function leavesRepository(pattern: string): boolean {
  return (
    pattern.startsWith('/') ||
    /^[a-zA-Z]:/.test(pattern) ||
    pattern.split(/[/\\]/).some((part) => part === '..')
  );
}
