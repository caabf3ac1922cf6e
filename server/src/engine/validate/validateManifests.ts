import { isBinary, isKnownNonManifest, isTemplated } from '../parse/fileKinds';
import { parseManifestText } from '../parse/manifestDocuments';
import type { ManifestDocument } from '../parse/manifestDocuments';
import type { Finding } from '../types';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import { resourceIdentityFindings } from './resourceIdentity';
import { schemaFindings } from './schemaFindings';
import { yamlSyntaxFindings } from './yamlSyntax';

export interface ValidationResult {
  readonly findings: readonly Finding[];
  /** Documents that declare both apiVersion and kind. */
  readonly resources: number;
  /** Why the text was not validated, when it was skipped as a whole. */
  readonly skipped?: 'notManifest' | 'templated';
}

export interface ValidateOptions {
  /** The file's path, used to recognise files that are never manifests. */
  readonly path?: string;
  /** Schemas to validate resources against; without them only syntax and identity are checked. */
  readonly schemas?: SchemaRegistry;
}

/**
 * Validates the text of a YAML file: syntax, then resource checks on each document. Files that
 * hold no Kubernetes resource are left alone, so values and CI files get no findings of ours.
 */
export function validateManifestText(
  text: string,
  options: ValidateOptions = {},
): ValidationResult {
  if (options.path && isKnownNonManifest(options.path)) {
    return { findings: [], resources: 0, skipped: 'notManifest' };
  }
  if (isBinary(text)) {
    return {
      findings: [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: 'warning',
          code: 'not-text',
          message: 'This file contains NUL bytes, so it is not YAML text: it was not validated.',
        },
      ],
      resources: 0,
    };
  }
  if (isTemplated(text)) {
    return { findings: [], resources: 0, skipped: 'templated' };
  }
  const parsed = parseManifestText(text);
  if (!parsed.documents.some(looksLikeResource)) {
    return { findings: [], resources: 0, skipped: 'notManifest' };
  }
  const findings: Finding[] = [];
  let resources = 0;
  for (const document of parsed.documents) {
    const syntax = yamlSyntaxFindings(document);
    findings.push(...syntax, ...resourceIdentityFindings(document));
    if (options.schemas && !syntax.some((finding) => finding.severity === 'error')) {
      findings.push(...schemaFindings(document, options.schemas, parsed.lines));
    }
    if (document.identity?.apiVersion && document.identity.kind) {
      resources++;
    }
  }
  return { findings, resources };
}

function looksLikeResource(document: ManifestDocument): boolean {
  return Boolean(document.identity?.apiVersion ?? document.identity?.kind);
}
