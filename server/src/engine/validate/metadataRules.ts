import type { FieldPath } from '../parse/locate';
import {
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  labelValue,
  pathSegmentName,
  qualifiedName,
} from './names';
import type { NameCheck } from './names';
import { list, record, text } from './ruleContext';
import type { RuleContext } from './ruleContext';
import { hasSubstitution } from './substitution';

/** How the API server checks `metadata` of a kind (ValidateObjectMeta and its name function). */
interface MetaStyle {
  readonly name: NameCheck;
  /** Finalizers of built-in kinds must be standard ("kubernetes") or have a "/" in them. */
  readonly coreFinalizers: boolean;
}

const SUBDOMAIN: MetaStyle = { name: dns1123Subdomain, coreFinalizers: true };
const PATH_SEGMENT: MetaStyle = { name: pathSegmentName, coreFinalizers: true };

/** Built-in kinds whose names are not DNS subdomains. */
const NAME_STYLES: Readonly<Record<string, MetaStyle>> = {
  Namespace: { name: dns1123Label, coreFinalizers: true },
  Service: { name: dns1035Label, coreFinalizers: true },
  StatefulSet: { name: dns1123Label, coreFinalizers: true },
  CronJob: { name: cronJobName, coreFinalizers: true },
  // policy/v1 validates PodDisruptionBudget metadata with the generic rules only.
  PodDisruptionBudget: { name: pathSegmentName, coreFinalizers: false },
  Lease: { name: dns1123Subdomain, coreFinalizers: false },
};

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);
const ANNOTATIONS_LIMIT_BYTES = 256 * 1024;

/** A CronJob's jobs are named after it with 11 more characters: a DNS subdomain of 52 at most. */
function cronJobName(value: string): string | undefined {
  return value.length > 52
    ? 'be no more than 52 characters (its Jobs add 11 to it)'
    : dns1123Subdomain(value);
}

function styleOf(kind: string, apiVersion: string, flavor: string): MetaStyle {
  if (flavor === 'crd') return { name: dns1123Subdomain, coreFinalizers: false };
  if (apiVersion.startsWith('rbac.authorization.k8s.io/')) return PATH_SEGMENT;
  return NAME_STYLES[kind] ?? SUBDOMAIN;
}

/** The metadata rules of every resource: names, generateName, labels, annotations, finalizers. */
export function checkMetadata(
  object: Record<string, unknown>,
  kind: string,
  apiVersion: string,
  flavor: 'builtin' | 'crd',
  ctx: RuleContext,
  options: { readonly namespaceSetByKustomize?: boolean } = {},
): void {
  const metadata = record(object['metadata']);
  const name = text(metadata?.['name']);
  const generateName = text(metadata?.['generateName']);
  if (!name && !generateName) {
    ctx.report(['metadata'], 'name or generateName is required.', {
      code: 'missing-required',
      part: 'key',
    });
  }
  const style = styleOf(kind, apiVersion, flavor);
  // Kustomize's `namespace:` replaces the name of v1 Namespace objects.
  const renamed =
    options.namespaceSetByKustomize === true && kind === 'Namespace' && apiVersion === 'v1';
  if (!renamed) checkName(name, ['metadata', 'name'], style.name, `a ${kind} name`, ctx);
  if (generateName) {
    // The prefix may end with "-": the server appends random characters to it.
    const problem = hasSubstitution(generateName)
      ? undefined
      : style.name(generateName.replace(/-$/, '') || 'a');
    if (problem) {
      ctx.report(
        ['metadata', 'generateName'],
        `Invalid value "${generateName}": the prefix of a generated ${kind} name must ${problem}.`,
      );
    }
  }
  checkName(
    text(metadata?.['namespace']),
    ['metadata', 'namespace'],
    dns1123Label,
    'a namespace',
    ctx,
  );
  checkLabels(record(metadata?.['labels']), ['metadata', 'labels'], ctx);
  checkAnnotations(record(metadata?.['annotations']), ['metadata', 'annotations'], ctx);
  list(metadata?.['finalizers']).forEach((entry, index) => {
    const finalizer = text(entry);
    if (finalizer === undefined || hasSubstitution(finalizer)) return;
    const problem =
      qualifiedName(finalizer) ??
      (style.coreFinalizers && !finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)
        ? 'be fully qualified, with a domain prefix such as example.com/cleanup (only "kubernetes", "orphan" and "foregroundDeletion" may go without one)'
        : undefined);
    if (problem) {
      ctx.report(
        ['metadata', 'finalizers', index],
        `Invalid finalizer "${finalizer}": it must ${problem}.`,
      );
    }
  });
}

/** Annotation keys (qualified names) and their total size, at `path`. */
export function checkAnnotations(
  annotations: Record<string, unknown> | undefined,
  path: FieldPath,
  ctx: RuleContext,
): void {
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    bytes += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
    // Case does not matter in annotation keys: the server checks them in lower case.
    const problem = qualifiedName(key.toLowerCase());
    if (problem) {
      ctx.report([...path, key], `Invalid annotation key "${key}": it must ${problem}.`, {
        part: 'key',
      });
    }
  }
  if (bytes > ANNOTATIONS_LIMIT_BYTES) {
    ctx.report(
      path,
      `Too long: the annotations take ${bytes} bytes, more than the 262144 (256 KiB) allowed: move large data to a ConfigMap.`,
      { part: 'key' },
    );
  }
}

export function checkLabels(
  labels: Record<string, unknown> | undefined,
  path: FieldPath,
  ctx: RuleContext,
): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const keyProblem = qualifiedName(key);
    if (keyProblem) {
      ctx.report([...path, key], `Invalid label key "${key}": it must ${keyProblem}.`, {
        part: 'key',
      });
    }
    if (typeof value === 'string' && !hasSubstitution(value)) {
      const valueProblem = labelValue(value);
      if (valueProblem) {
        ctx.report([...path, key], `Invalid label value "${value}": it must ${valueProblem}.`);
      }
    }
  }
}

export function checkName(
  value: string | undefined,
  path: FieldPath,
  check: NameCheck,
  what: string,
  ctx: RuleContext,
): void {
  const problem = value === undefined || hasSubstitution(value) ? undefined : check(value);
  if (problem) {
    ctx.report(path, `Invalid value "${value}": ${what} must ${problem}.`);
  }
}
