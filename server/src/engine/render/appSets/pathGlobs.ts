/**
 * The two path patterns of Argo CD's git generator, matched by our own code against the walked
 * file list (never by a shell): `directories` use Go's `path.Match` (`*` stops at `/`), `files`
 * use the pathspec of `git ls-files -- <pattern>` (Argo CD's default: `*` and `**` cross `/`, and
 * a pattern without wildcards names a file or every file below a folder).
 */

const WILDCARD = /[*?[\\]/;

/** A regular expression for a glob; undefined when the pattern is malformed (an unclosed `[`). */
function globRegExp(pattern: string, starCrossesSlash: boolean): RegExp | undefined {
  const any = starCrossesSlash ? '[\\s\\S]' : '[^/]';
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*') {
      out += `${any}*`;
      while (pattern[i + 1] === '*') i++;
    } else if (char === '?') {
      out += any;
    } else if (char === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return undefined;
      out += escapeRegExp(next);
      i++;
    } else if (char === '[') {
      const close = classEnd(pattern, i);
      if (close < 0) return undefined;
      let body = pattern.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('^') || (starCrossesSlash && body.startsWith('!'))) {
        negate = true;
        body = body.slice(1);
      }
      if (body === '') return undefined;
      const escaped = body.replace(/\\(.)/g, '$1').replace(/[\]\\^]/g, '\\$&');
      out += negate ? `(?![${escaped}])${any}` : `[${escaped}]`;
      i = close;
    } else {
      out += escapeRegExp(char);
    }
  }
  try {
    return new RegExp(`^${out}$`, 'u');
  } catch {
    return undefined;
  }
}

/** The index of the `]` closing the class opened at `open`, or -1. */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^' || pattern[i] === '!') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Go's `path.Match(pattern, name)`: undefined for a malformed pattern (Argo CD skips it). */
export function goPathMatch(pattern: string, name: string): boolean | undefined {
  return globRegExp(pattern, false)?.test(name);
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
  return globRegExp(spec, true)?.test(file) === true;
}

/** True when a pattern climbs out of the repository (`..`) or is absolute. */
export function leavesRepository(pattern: string): boolean {
  return (
    pattern.startsWith('/') ||
    /^[a-zA-Z]:/.test(pattern) ||
    pattern.split(/[/\\]/).some((part) => part === '..')
  );
}
