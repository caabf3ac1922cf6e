import { escapeControls } from '../controlChars';
import type { CheckReport } from '../engine/check/checkFiles';
import { cliText } from './flagHints';

/** The JSON shape of `check --format json`: one-based lines and columns. */
export interface JsonReport {
  readonly files: number;
  readonly resources: number;
  /** The units rendered and the resources they rendered (absent when nothing was rendered). */
  readonly rendered?: { readonly units: number; readonly resources: number };
  readonly findings: ReadonlyArray<{
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly endLine: number;
    readonly endColumn: number;
    readonly severity: string;
    readonly code: string;
    readonly message: string;
  }>;
}

export function toJsonReport(report: CheckReport): JsonReport {
  return {
    files: report.files,
    resources: report.resources,
    ...(report.rendered ? { rendered: report.rendered } : {}),
    findings: report.findings.map((finding) => ({
      file: finding.file,
      line: finding.range.start.line + 1,
      column: finding.range.start.character + 1,
      endLine: finding.range.end.line + 1,
      endColumn: finding.range.end.character + 1,
      severity: finding.severity,
      code: finding.code,
      message: cliText(finding.message, finding.hint),
    })),
  };
}

/**
 * Compiler-style lines (`file:line:column: severity [code] message`) and a summary. A file name
 * or message with a newline or an escape sequence stays on its line, escaped.
 */
export function formatTextReport(report: CheckReport): string {
  const lines = report.findings.map(
    (finding) =>
      `${escapeControls(finding.file)}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: ` +
      `${finding.severity} [${escapeControls(finding.code)}] ${escapeControls(cliText(finding.message, finding.hint))}`,
  );
  const errors = report.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = report.findings.filter((finding) => finding.severity === 'warning').length;
  const rendered = report.rendered
    ? ` and ${plural(report.rendered.resources, 'resource')} rendered by ${plural(report.rendered.units, 'unit')}`
    : '';
  lines.push(
    `Checked ${plural(report.files, 'file')}, ${plural(report.resources, 'resource')}${rendered}: ` +
      `${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`,
  );
  return lines.join('\n') + '\n';
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
