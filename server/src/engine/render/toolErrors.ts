/** Turns the stderr of a failed helm or kustomize run into one sentence with file and line. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { secretValuesOfInputs } from '../secrets/inputSecrets';
import { SCRUBBED, scrubSecretValues } from '../secrets/secretScrubber';
import type { RenderError } from './types';

export interface ErrorPaths {
  /** The temporary mirror root and the workspace root it stands for. */
  tempRoot: string;
  workspaceRoot: string;
  /** For helm: the chart folder in the workspace (errors name files as `<chart>/templates/x`). */
  chartRoot?: string;
  /** For kustomize: the folder built, in the workspace (errors name files relative to it). */
  baseDir?: string;
}

/** helm's refusal of values that break a chart's values.schema.json. */
const SCHEMA_REFUSAL = /values don't meet the specifications of the schema/;

/**
 * A host the tool could not reach, as Go's resolver and dialer and git say it. helm and kustomize
 * put it on a line before their last error (or inside a long one): it is looked for in all of
 * stderr. Only the host is taken, never the URL around it, which may hold credentials.
 */
const UNREACHABLE: readonly RegExp[] = [
  /dial tcp: lookup ([\w.-]+)[^\n]*?: (no such host|server misbehaving|i\/o timeout)/,
  /dial tcp ([\w.-]+|\[[\w:]+\]):\d+: (?:connect: )?(connection refused|i\/o timeout|network is unreachable|no route to host)/,
  /Could not resolve host: ([\w.-]+)()/,
];

/** The host stderr says the tool could not reach, and why; undefined when it says none. */
function unreachableHost(stderr: string): { host: string; why: string } | undefined {
  // The end of stderr holds the failure; a bounded text keeps each search linear and short.
  const tail = stderr.slice(-64 * 1024);
  for (const pattern of UNREACHABLE) {
    const found = pattern.exec(tail);
    if (found?.[1]) return { host: found[1], why: found[2] || 'could not resolve host' };
  }
  return undefined;
}

/**
 * helm's failure to read a values file: "cannot load values.yaml: ... line 3" (the chart's own)
 * or "failed to parse values/prod.yaml: ... line 3" (one it was given); the file, when it is one.
 */
function valuesFileOf(detail: string, paths: ErrorPaths): string | undefined {
  const own = /cannot load (values\.ya?ml)\b/.exec(detail);
  if (own?.[1] && paths.chartRoot) return path.join(paths.chartRoot, own[1]);
  const given = /failed to parse ((?:[\w.-]+\/)*[\w.-]+\.ya?ml):/.exec(detail);
  if (!given?.[1]) return undefined;
  const candidate = path.resolve(paths.workspaceRoot, given[1]);
  return existsSync(candidate) ? candidate : undefined;
}

function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(WARNING|walk\.go|\s*at )/i.test(line));
  const at = lines.findIndex((line) => line.startsWith('Error:'));
  const error = (at >= 0 ? lines[at] : lines[lines.length - 1]) ?? '';
  // helm lists what the values schema refuses under the error line: the first items say what.
  const listed =
    at >= 0 && error.endsWith(':') ? lines.slice(at + 1, at + 4).filter(isListLine) : [];
  return [error, ...listed].join(' ').replace(/^Error:\s*/, '');
}

/** `chart:` or `- at '/x': ...` under helm's schema error. */
function isListLine(line: string): boolean {
  return line.startsWith('- ') || /^[\w.-]+:$/.test(line);
}

/**
 * `detail` without the Secret values of the inputs, and, when the inputs hold any, without the
 * values go-yaml quotes between backticks (`cannot unmarshal !!str \`hunter2\` into int`): a
 * Secret the tool failed to read may not be known as one here.
 */
function withoutSecrets(detail: string, inputs: ReadonlyMap<string, Buffer> | undefined): string {
  const values = inputs ? secretValuesOfInputs(inputs) : new Set<string>();
  if (values.size === 0) {
    return detail;
  }
  return scrubSecretValues(detail, values).replace(/`[^`\n]*`/g, `\`${SCRUBBED}\``);
}

/**
 * A failure of `label` as a RenderError whose message names workspace paths, never temp ones,
 * and no Secret value of the tool's `inputs` (kustomize and go-yaml quote input in some errors).
 * `progress` is what a preparing run (`helm dependency update`) printed on stdout: helm says
 * there which chart repository it could not reach.
 */
export function toolFailure(
  label: string,
  stderr: string,
  code: number | null,
  paths: ErrorPaths,
  inputs?: ReadonlyMap<string, Buffer>,
  progress = '',
): RenderError {
  let detail = withoutSecrets(lastErrorLine(stderr), inputs);
  const tempPrefix = paths.tempRoot.endsWith(path.sep) ? paths.tempRoot : paths.tempRoot + path.sep;
  detail = detail.split(tempPrefix).join('').split(paths.tempRoot).join('.');
  if (detail.length > 400) detail = `${detail.slice(0, 400)}…`;
  let file: string | undefined;
  let line: number | undefined;
  // helm: "template: podinfo/templates/x.yaml:12:3: ..." or "parse error at (podinfo/templates/x.yaml:5)"
  // or "YAML parse error on podinfo/templates/x.yaml: ... line 12"
  const helmAt = /([\w.-]+\/(?:templates|charts)\/[^\s:()]+):(\d+)/.exec(detail);
  const helmOn = /(?:error on|in) ([\w.-]+\/(?:templates|charts)\/[^\s:()]+)/.exec(detail);
  const chartFile = helmAt?.[1] ?? helmOn?.[1];
  if (paths.chartRoot && chartFile) {
    file = path.join(paths.chartRoot, ...chartFile.split('/').slice(1));
    if (helmAt?.[2]) line = Number(helmAt[2]);
  }
  file ??= valuesFileOf(detail, paths);
  if (!file) {
    // kustomize: "... in File: deployment.yaml", "... '/tmp/x/apps/y.yaml' ...", "path: apps/y.yaml"
    const named = /(?:File: |file |')((?:[\w.-]+\/)*[\w.-]+\.ya?ml)/.exec(detail);
    const name = named?.[1];
    if (name) {
      const candidates = [paths.baseDir, paths.workspaceRoot]
        .filter((dir): dir is string => dir !== undefined)
        .map((dir) => path.resolve(dir, name));
      file = candidates.find((candidate) => existsSync(candidate)) ?? candidates[0];
    }
  }
  const yamlLine = /\bline (\d+)/.exec(detail);
  if (line === undefined && yamlLine?.[1]) line = Number(yamlLine[1]);
  const where = file
    ? ` (${path.relative(paths.workspaceRoot, file)}${line ? `:${line}` : ''})`
    : '';
  const exit = code === null ? 'was stopped' : `exited with code ${code}`;
  const unreachable = unreachableHost(stderr) ?? unreachableHost(progress);
  if (unreachable) {
    // Not a mistake of the input: the fix is the network (or turning network rendering off).
    return {
      reason: 'failed',
      message: `${label} ${exit}${where}: it could not reach ${unreachable.host} (${unreachable.why}). Check this machine's network, DNS and proxy, then render again; or turn network rendering off.`,
      hint: 'allowNetwork',
      ...(file ? { file } : {}),
      ...(line ? { line } : {}),
    };
  }
  return {
    reason: 'failed',
    ...(SCHEMA_REFUSAL.test(stderr) ? { cause: 'valuesSchema' as const } : {}),
    message: `${label} ${exit}${where}: ${detail || 'no error message'}. Fix the input to render it again.`,
    ...(file ? { file } : {}),
    ...(line ? { line } : {}),
  };
}
