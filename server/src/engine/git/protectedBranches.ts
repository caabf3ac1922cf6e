/**
 * Protected branch patterns, as GitHub's branch protection rules write them: `*` matches any run
 * of characters within one path segment (never `/`), `**` any run across segments (`/` too; a
 * `**` followed by `/` also matches no segment at all), `?` one character other than `/`,
 * `[abc]`, `[a-z]` and `[!abc]` one character of a set (never `/`). Anything else is literal and
 * case matters: `release/*` protects `release/1.2`, not `release/1.2/hotfix` (`release/**` does)
 * nor `release` itself.
 */

/** `main` and `master` are protected whatever the settings say. */
export const ALWAYS_PROTECTED: readonly string[] = ['main', 'master'];

/** The first of `patterns` (after main and master) that `branch` matches, if any. */
export function protectingPattern(
  branch: string,
  patterns: readonly string[] = [],
): string | undefined {
  return [...ALWAYS_PROTECTED, ...patterns].find((pattern) =>
    branchPatternMatches(pattern, branch),
  );
}

/** Whether `branch` matches the protected branch `pattern` (see the module comment). */
export function branchPatternMatches(pattern: string, branch: string): boolean {
  const trimmed = pattern.trim();
  return trimmed !== '' && patternRegExp(trimmed).test(branch);
}

function patternRegExp(pattern: string): RegExp {
  let source = '';
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index] ?? '';
    if (char === '*') {
      if (pattern[index + 1] === '*') {
        if (pattern[index + 2] === '/') {
          source += '(?:.*/)?';
          index += 3;
        } else {
          source += '.*';
          index += 2;
        }
        // A third star adds nothing.
        while (pattern[index] === '*') index++;
        continue;
      }
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const set = characterSet(pattern, index);
      if (set) {
        source += set.source;
        index = set.end;
        continue;
      }
      source += '\\[';
    } else {
      source += escapeChar(char);
    }
    index++;
  }
  return new RegExp(`^${source}$`, 'u');
}

/** `[...]` starting at `start`: its RegExp class and the index after `]`; unclosed: undefined. */
function characterSet(pattern: string, start: number): { source: string; end: number } | undefined {
  let index = start + 1;
  let negated = false;
  if (pattern[index] === '!' || pattern[index] === '^') {
    negated = true;
    index++;
  }
  let body = '';
  // A `]` right after the opening bracket is a member, as in fnmatch.
  let first = true;
  while (index < pattern.length) {
    const char = pattern[index] ?? '';
    if (char === ']' && !first) {
      if (body === '') return undefined;
      return { source: negated ? `[^/${body}]` : `(?!/)[${body}]`, end: index + 1 };
    }
    const next = pattern[index + 1];
    const last = pattern[index + 2];
    if (next === '-' && last !== undefined && last !== ']') {
      if (last < char) return undefined;
      body += `${escapeClassChar(char)}-${escapeClassChar(last)}`;
      index += 3;
    } else {
      body += escapeClassChar(char);
      index++;
    }
    first = false;
  }
  return undefined;
}

function escapeChar(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

function escapeClassChar(char: string): string {
  return /[\\\]^[-]/.test(char) ? `\\${char}` : char;
}
