/**
 * Checks the names and addresses a unit hands to helm before anything runs: a value helm would
 * reject, or one shaped to be read as a flag or a path, is a refusal naming the repo field it
 * came from, its value (control characters escaped) and what to write instead.
 */
import * as path from 'node:path';
import { fieldLineInDocument } from '../parse/documentField';
import {
  escaped,
  isAllowedChartUrl,
  isAllowedValuesUrl,
  isValidChartName,
  isValidChartVersion,
  isValidNamespace,
  isValidReleaseName,
  quoted,
} from './helmNames';
import type { SourceReader } from './sourceReader';
import type { HelmInputName, HelmInputs, InputField, RenderUnit } from './types';
import { notRendered, refused } from './types';

/** One input helm must not be given, and the sentence parts that say why and what to do. */
export interface HelmInputProblem {
  input: HelmInputName;
  value: string;
  /** "is not a valid Helm release name". */
  problem: string;
  /** "use at most 53 ...". */
  fix: string;
}

const NOUNS: Readonly<Record<HelmInputName, string>> = {
  releaseName: 'release name',
  namespace: 'namespace',
  chart: 'chart name',
  version: 'chart version',
  repoUrl: 'chart repository URL',
};

/** Whether a URL-looking values file names a remote file (`https://...`) rather than a path. */
export function isRemoteValuesFile(file: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(file);
}

/**
 * The first input of `helm` that helm must not be given, in the order helm reads them; remote
 * inputs are checked only with network rendering on (off, the chart is refused as remote first).
 */
export function helmInputProblem(
  helm: HelmInputs,
  allowNetwork: boolean,
): HelmInputProblem | undefined {
  if (!isValidReleaseName(helm.releaseName)) {
    return {
      input: 'releaseName',
      value: helm.releaseName,
      problem: 'is not a valid Helm release name',
      fix: "use at most 53 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    };
  }
  if (helm.namespace !== undefined && !isValidNamespace(helm.namespace)) {
    return {
      input: 'namespace',
      value: helm.namespace,
      problem: 'is not a valid Kubernetes namespace',
      fix: "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
    };
  }
  const remote = helm.remote;
  if (!remote || !allowNetwork) return undefined;
  const oci = remote.repoUrl.startsWith('oci://');
  if (!isAllowedChartUrl(remote.repoUrl)) {
    return {
      input: 'repoUrl',
      value: remote.repoUrl,
      problem: 'is not an https, http or oci address',
      fix: "use the chart repository's https:// or oci:// address",
    };
  }
  if ((remote.chart !== '' || !oci) && !isValidChartName(remote.chart, oci)) {
    return {
      input: 'chart',
      value: remote.chart,
      problem: 'is not a chart name',
      fix: "use the chart's name as its repository lists it (letters, digits, '.', '_' and '-')",
    };
  }
  if (remote.version !== undefined && !isValidChartVersion(remote.version)) {
    return {
      input: 'version',
      value: remote.version,
      problem: 'is not a version or version range',
      fix: 'use a version such as 1.2.3 or a range such as >=1.2.0 <2.0.0',
    };
  }
  return undefined;
}

function fieldName(field: InputField): string {
  return (
    field.label ??
    field.path
      .map((segment, index) =>
        typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
      )
      .join('')
  );
}

/** Where `field` is, as `label in file:line` with a workspace-relative file. */
async function whereIs(
  field: InputField,
  workspaceRoot: string,
  reader: SourceReader,
): Promise<{ text: string; file: string; line: number }> {
  // A unit made from a cluster resource names a label, not a file: nothing to read then.
  const absolute = path.isAbsolute(field.file);
  const text = absolute ? await reader.readText(field.file).catch(() => undefined) : undefined;
  const line =
    (text === undefined ? undefined : fieldLineInDocument(text, field.line, field.path)) ??
    field.line;
  const relative = path.relative(workspaceRoot, field.file).split(path.sep).join('/');
  const shown = absolute && relative && !relative.startsWith('..') ? relative : field.file;
  const written = field.written === undefined ? '' : ` ${quoted(field.written)} shortened`;
  return { text: `${fieldName(field)}${written} in ${shown}:${line}`, file: field.file, line };
}

/**
 * Refuses the unit when an input helm would get is invalid or remote while network rendering
 * is off; the message names the input, its value, the field and file:line it came from.
 */
export async function checkHelmInputs(
  unit: RenderUnit,
  helm: HelmInputs,
  workspaceRoot: string,
  reader: SourceReader,
  allowNetwork: boolean,
): Promise<void> {
  const problem = helmInputProblem(helm, allowNetwork);
  if (problem) {
    const field = helm.fields?.[problem.input];
    const where = field ? await whereIs(field, workspaceRoot, reader) : undefined;
    const from = where
      ? ` (${where.text})`
      : unit.definedIn
        ? ` (in ${path.relative(workspaceRoot, unit.definedIn.file).split(path.sep).join('/')}:${unit.definedIn.line})`
        : '';
    throw refused(
      `The ${NOUNS[problem.input]} ${quoted(problem.value)}${from} ${problem.problem}, so helm was not run: ${problem.fix}.`,
      where?.file ?? unit.definedIn?.file,
      where?.line ?? unit.definedIn?.line,
    );
  }
  const remote = helm.remote;
  if (remote && !allowNetwork) {
    // Not a mistake of the repository: an information that says what was not rendered.
    const name = remote.chart || ociChartName(remote.repoUrl);
    throw notRendered(
      `chart ${escaped(name)} comes from ${escaped(remote.repoUrl)} and network rendering is off: turn it on to render it.`,
      unit.definedIn?.file,
      unit.definedIn?.line,
      'allowNetwork',
    );
  }
  const declaredIn = unit.definedIn?.file ?? unit.root;
  for (const file of helm.valueFiles) {
    if (!isRemoteValuesFile(file)) continue;
    if (!allowNetwork) {
      throw notRendered(
        `its values file ${escaped(file)} is remote and network rendering is off: use a values file in the workspace, or turn on network rendering.`,
        declaredIn,
        undefined,
        'allowNetwork',
      );
    }
    if (!isAllowedValuesUrl(file)) {
      throw refused(
        `The values file ${quoted(file)} is not an https or http address, so helm was not run: use a values file in the workspace or an https:// address.`,
        declaredIn,
      );
    }
  }
}

/** An OCI chart reference names the chart in its last path segment (`oci://host/charts/web:1`). */
function ociChartName(repoUrl: string): string {
  return (
    repoUrl
      .replace(/[:@][^/:@]*$/, '')
      .split('/')
      .pop() || repoUrl
  );
}
