import type { Node } from 'yaml';
import type { LineIndex } from '../parse/lineIndex';
import { locate } from '../parse/locate';
import type { FieldPath } from '../parse/locate';
import type { Finding, Range } from '../types';

/** What a server-side rule sees: the resource as data and a way to report on its source. */
export class RuleContext {
  readonly findings: Finding[] = [];

  constructor(
    private readonly root: Node | null,
    private readonly lines: LineIndex,
    private readonly fallback: Range,
  ) {}

  /** Reports on the field at `path` (its key, or its value with `part: 'value'`). */
  report(
    path: FieldPath,
    message: string,
    options: { code?: string; part?: 'key' | 'value'; severity?: 'error' | 'warning' } = {},
  ): void {
    this.findings.push({
      fieldPath: formatPath(path),
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
