import type { Node } from 'yaml';
import type { LineIndex } from '../parse/lineIndex';
import { locate } from '../parse/locate';
import type { FieldPath } from '../parse/locate';
import type { Finding, Range } from '../types';
import { hasSubstitution } from './substitution';

/** What a server-side rule sees: the resource as data and a way to report on its source. */
export class RuleContext {
  readonly findings: Finding[] = [];

  constructor(
    private readonly root: Node | null,
    private readonly lines: LineIndex,
    private readonly fallback: Range,
    /**
     * The document is a whole object, not a strategic-merge patch: rules between fields
     * (a selector matching the template's labels, minimum below maximum) apply only then.
     */
    readonly whole = true,
    /** Kustomize's `namespace:` applies: it sets namespaces, ServiceAccount subjects' too. */
    readonly namespaceSetByKustomize = false,
  ) {}

  /** Reports on the field at `path` (its key, or its value with `part: 'value'`). */
  report(
    path: FieldPath,
    message: string,
    options: { code?: string; part?: 'key' | 'value'; severity?: 'error' | 'warning' } = {},
  ): void {
    this.findings.push({
      fieldPath: formatPath(path),
      ...(options.part === 'key' ? { fieldPart: 'key' as const } : {}),
      range: locate(this.root, path, this.lines, options.part ?? 'value') ?? this.fallback,
      severity: options.severity ?? 'error',
      code: options.code ?? 'invalid-value',
      message: `${formatPath(path)}: ${message}`,
    });
  }
}

/** `spec.template.spec.containers[0].image`, as the API server writes field paths. */
export function formatPath(path: FieldPath): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A string the rules can judge: not a Flux `${var}` placeholder, filled in later. */
export function plain(value: unknown): string | undefined {
  return typeof value === 'string' && !hasSubstitution(value) ? value : undefined;
}

/** A whole number, or undefined for anything else (wrong types are the schema's findings). */
export function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/**
 * A whole number as an int32 field holds it: the API server wraps numbers beyond 32 bits
 * around (2147483648 becomes -2147483648) before it validates.
 */
export function int32(value: unknown): number | undefined {
  const number = int(value);
  return number === undefined ? undefined : Number(BigInt.asIntN(32, BigInt(number)));
}

/** The value at `path` under `root`, through objects and lists. */
export function at(root: unknown, path: FieldPath): unknown {
  let value = root;
  for (const segment of path) {
    value = typeof segment === 'number' ? list(value)[segment] : record(value)?.[segment];
  }
  return value;
}
