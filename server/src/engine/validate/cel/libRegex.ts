import { RE2JS } from '@bufbuild/re2';
import type { Environment } from '@marcbachmann/cel-js';
import { charge } from './celBudget';
import { celError } from './celErrors';

const compiled = new Map<string, RE2JS | string>();

function re2(pattern: string): RE2JS {
  let found = compiled.get(pattern);
  if (found === undefined) {
    try {
      found = RE2JS.compile(pattern);
    } catch (error) {
      found = error instanceof Error ? error.message : String(error);
    }
    if (compiled.size > 2_000) {
      compiled.clear();
    }
    compiled.set(pattern, found);
  }
  if (typeof found === 'string') {
    throw celError(`invalid regex: ${found}`);
  }
  return found;
}

/** CEL `matches`: RE2 syntax, a match anywhere in the string, in linear time. */
export function re2Matches(text: string, pattern: string): boolean {
  charge(1 + Math.ceil(text.length / 10));
  return re2(pattern).test(text);
}

/** JavaScript's RegExp for the extraction of `find`, once RE2 has said there is a match. */
function extractor(pattern: string, global: boolean): RegExp {
  try {
    return new RegExp(pattern, global ? 'gu' : 'u');
  } catch {
    throw celError(`the regex ${JSON.stringify(pattern)} cannot be evaluated offline`);
  }
}

/** The Kubernetes regex library: `find` and `findAll`. */
export function registerRegex(env: Environment): void {
  // cel-js has `string.matches` (replaced by RE2 in the compiled program), not the global form.
  env.registerFunction('matches(string, string): bool', re2Matches);
  env.registerFunction('string.find(string): string', (text: string, pattern: string) => {
    if (!re2Matches(text, pattern)) {
      return '';
    }
    return extractor(pattern, false).exec(text)?.[0] ?? '';
  });
  const findAll = (text: string, pattern: string, limit: bigint): string[] => {
    if (!re2Matches(text, pattern) || limit === 0n) {
      return [];
    }
    const found = [...text.matchAll(extractor(pattern, true))].map((match) => match[0]);
    return limit < 0n ? found : found.slice(0, Number(limit));
  };
  env.registerFunction('string.findAll(string): list<string>', (text: string, pattern: string) =>
    findAll(text, pattern, -1n),
  );
  env.registerFunction(
    'string.findAll(string, int): list<string>',
    (text: string, pattern: string, limit: bigint) => findAll(text, pattern, limit),
  );
}
