import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver';
import { escapeControls } from './controlChars';
import { editorText } from './editorHints';
import type { Finding, Fix, RelatedPlace, Severity } from './engine';

/** Every diagnostic of ours carries this source, so users can tell who reports it. */
export const DIAGNOSTIC_SOURCE = 'gitops-workbench';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries for the code action handler: the fixes of its finding. */
export interface DiagnosticData {
  readonly fixes: readonly Fix[];
}

export function findingToDiagnostic(finding: Finding): Diagnostic {
  const data: DiagnosticData | undefined = finding.fixes?.length
    ? { fixes: finding.fixes }
    : undefined;
  return {
    range: finding.range,
    severity: SEVERITIES[finding.severity],
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    // Shown as text, but bidi controls would still reorder it and newlines add fake lines.
    // The engine's sentence, with the setting its fix is about.
    message: escapeControls(editorText(finding.message, finding.hint)),
    ...(data ? { data } : {}),
    ...(finding.related?.length ? { relatedInformation: finding.related.map(relatedOf) } : {}),
  };
}

/** A related place of a finding (the template line that uses a value) as the editor links it. */
function relatedOf(place: RelatedPlace): DiagnosticRelatedInformation {
  return {
    location: { uri: pathToFileURL(place.file).href, range: place.range },
    message: escapeControls(place.message),
  };
}
