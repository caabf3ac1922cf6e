/**
 * The one way the engine builds the arguments of a helm or kustomize process:
 * `[subcommand..., --flag=value..., '--', positional...]`. A value is always attached to its flag
 * with `=`, so no value (a release name, a URL, a path) can ever be read as a flag of its own, and
 * positionals come only after `--`, where cobra and pflag stop looking for flags.
 */
import { refused } from './types';

/** A flag and its value; `true` is written `--name=true`, never as a bare `--name`. */
export type ToolFlag = readonly [name: string, value: string | true];

export interface ToolArgs {
  /** Fixed words of the engine (`template`, `build`), never repo content. */
  readonly subcommand: readonly string[];
  readonly flags?: readonly ToolFlag[];
  /** Arguments read as operands: release name, chart, folder. Always after `--`. */
  readonly positional?: readonly string[];
}

const SUBCOMMAND = /^[a-z][a-z-]*$/;
const FLAG_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The argument list of `spec`. A subcommand or flag name that is not a plain lowercase word is a
 * programming error and throws; a NUL byte (which no process argument can hold) is a refusal.
 */
export function toolArgs(spec: ToolArgs): string[] {
  const args: string[] = [];
  for (const word of spec.subcommand) {
    if (!SUBCOMMAND.test(word)) throw new Error(`Not a tool subcommand: ${JSON.stringify(word)}`);
    args.push(word);
  }
  for (const [name, value] of spec.flags ?? []) {
    if (!FLAG_NAME.test(name)) throw new Error(`Not a tool flag name: ${JSON.stringify(name)}`);
    args.push(`--${name}=${value === true ? 'true' : value}`);
  }
  args.push('--', ...(spec.positional ?? []));
  if (args.some((arg) => arg.includes('\0'))) {
    throw refused(
      'A value passed to helm or kustomize holds a NUL character, so the tool was not run: remove the NUL character from the repo file that sets it.',
    );
  }
  return args;
}
