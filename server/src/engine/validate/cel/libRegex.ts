import type { RE2JS } from '@bufbuild/re2';
import type { Environment } from '@marcbachmann/cel-js';
import { charge } from './celBudget';
import { celError } from './celErrors';
import { RegexTimeoutError, boundedFind, boundedFindAll, re2Of } from '../repoRegex';

function re2(pattern: string): RE2JS {
  const found = re2Of(pattern);
  if (found instanceof Error) {
    throw celError(`invalid regex: ${found.message}`);
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

/** Runs an extraction; one that runs out of time is a CEL error, as a cost overrun is. */
function extract<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RegexTimeoutError) throw celError(`${error.message} (find/findAll)`);
    throw error;
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
    return extract(() => boundedFind(extractor(pattern, false), text)) ?? '';
  });
  const findAll = (text: string, pattern: string, limit: bigint): string[] => {
    if (!re2Matches(text, pattern) || limit === 0n) {
      return [];
    }
    const found = extract(() => boundedFindAll(extractor(pattern, true), text));
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
