/**
 * Regular expressions that come from a repository (CRD `pattern`s, CEL rules) are hostile input:
 * a backtracking engine can spend hours on `^(a+)+$`. They are matched with RE2, in linear time
 * and with Go's syntax, as the API server matches them. Only the extraction of a match's text
 * (CEL `find`, `findAll`), which the RE2 port cannot do, uses JavaScript's RegExp, and then under
 * a time limit that stops it mid-backtrack.
 */
import { RE2JS } from '@bufbuild/re2';
import * as vm from 'node:vm';

const MAX_CACHED = 2_000;
const compiled = new Map<string, RE2JS | Error>();

/** The compiled RE2 of `pattern`, or the error that says why it does not compile. */
export function re2Of(pattern: string): RE2JS | Error {
  let found = compiled.get(pattern);
  if (found === undefined) {
    try {
      found = RE2JS.compile(pattern);
    } catch (error) {
      found = error instanceof Error ? error : new Error(String(error));
    }
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(pattern, found);
  }
  return found;
}

/** Whether `text` holds a match of `pattern` (Go's MatchString); undefined if it does not compile. */
export function re2Test(pattern: string, text: string): boolean | undefined {
  const re = re2Of(pattern);
  return re instanceof Error ? undefined : re.test(text);
}

export class RegexTimeoutError extends Error {
  constructor(readonly pattern: string) {
    super(`the regular expression ${JSON.stringify(pattern)} took too long and was stopped`);
    this.name = 'RegexTimeoutError';
  }
}

const sandbox = vm.createContext({ re: /(?:)/u, text: '' });
const exec = new vm.Script('Array.from(text.matchAll(re), (match) => match[0])');
const first = new vm.Script('re.exec(text)?.[0]');

function bounded<T>(script: vm.Script, re: RegExp, text: string, timeoutMs: number): T {
  sandbox.re = re;
  sandbox.text = text;
  try {
    return script.runInContext(sandbox, { timeout: timeoutMs }) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new RegexTimeoutError(re.source);
    }
    throw error;
  } finally {
    sandbox.text = '';
  }
}

/** The first match of `re` in `text`, stopped after `timeoutMs`. */
export function boundedFind(re: RegExp, text: string, timeoutMs = 100): string | undefined {
  return bounded<string | undefined>(first, re, text, timeoutMs);
}

/** Every match of the global `re` in `text`, stopped after `timeoutMs`. */
export function boundedFindAll(re: RegExp, text: string, timeoutMs = 100): string[] {
  // Copied out of the sandbox's realm, so it is an Array of this one.
  return [...bounded<string[]>(exec, re, text, timeoutMs)];
}
