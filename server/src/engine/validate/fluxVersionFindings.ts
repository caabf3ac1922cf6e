import type { LineIndex } from '../parse/lineIndex';
import { BUNDLED_FLUX_VERSION, type FluxApiDeprecation } from '../schemas/fluxDeprecations';
import { compareMinorVersions } from '../schemas/deprecations';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { Finding } from '../types';
import type { ResourceNode } from './resourceNodes';
import { validateAgainstSchema } from './schemaWalker';

/** Findings that differ between API versions for reasons other than the document's mistakes. */
const VERSION_DEPENDENT = new Set(['invalid-enum', 'schema-constraint']);

/**
 * An older Flux API version: reported as deprecated or removed for the Flux version of the
 * bundled CRDs, then validated against the version that replaces it. Fields the replacement
 * dropped are named in the finding instead of being reported as unknown, and checks whose rules
 * changed between versions (enums, patterns) are left out. Whether the cluster's Flux still
 * serves the old version is not known here, so even a removed version is a warning.
 */
export function fluxDeprecationFindings(
  resource: ResourceNode,
  entry: FluxApiDeprecation,
  registry: SchemaRegistry,
  lines: LineIndex,
  walkOptions: { encrypted?: boolean; partial?: boolean },
): Finding[] {
  const apiVersionField = resource.identity.apiVersion;
  const kindField = resource.identity.kind;
  const kind = kindField?.value;
  if (!apiVersionField || !kindField || typeof kind !== 'string') {
    return [];
  }
  const schema = registry.lookup(entry.replacement, kind);
  const structural = schema
    ? validateAgainstSchema(
        resource.root,
        schema,
        registry.objectMeta(),
        lines,
        kindField.keyRange,
        walkOptions,
      )
    : [];
  const usedRemoved = new Set<string>();
  const rest = structural.filter((finding) => {
    if (VERSION_DEPENDENT.has(finding.code)) {
      return false;
    }
    const removed = finding.code === 'unknown-field' ? removedField(entry, finding) : undefined;
    if (removed) {
      usedRemoved.add(removed);
      return false;
    }
    return true;
  });
  const removedNow = compareMinorVersions(BUNDLED_FLUX_VERSION, entry.removedIn) >= 0;
  const changes = [...usedRemoved].map(
    (field) => `${field} becomes ${entry.removedFields[field] ?? 'nothing'}`,
  );
  const migration =
    changes.length > 0
      ? ` Use ${entry.replacement}, where ${changes.join('; ')}.`
      : ` Use ${entry.replacement}: changing apiVersion is all the migration needs.`;
  const message = removedNow
    ? `${entry.apiVersion} ${kind} was removed in Flux ${entry.removedIn} (deprecated since ${entry.deprecatedIn}): a cluster running Flux ${entry.removedIn} or later (the bundled CRDs are Flux ${BUNDLED_FLUX_VERSION}) rejects it.${migration}`
    : `${entry.apiVersion} ${kind} is deprecated since Flux ${entry.deprecatedIn} and removed in ${entry.removedIn}.${migration}`;
  const finding: Finding = {
    range: apiVersionField.valueRange,
    fieldPath: 'apiVersion',
    severity: 'warning',
    code: removedNow ? 'flux-api-removed' : 'flux-api-deprecated',
    message,
    ...(usedRemoved.size === 0
      ? {
          fixes: [
            {
              title: `Change apiVersion to ${entry.replacement}`,
              range: apiVersionField.valueRange,
              newText: entry.replacement,
            },
          ],
        }
      : {}),
  };
  if (!schema) {
    return [finding, noSchemaFinding(entry, kind, kindField.valueRange, registry)];
  }
  return [finding, ...rest];
}

/** The removed field an unknown-field finding is about, matched by path with list indexes. */
function removedField(entry: FluxApiDeprecation, finding: Finding): string | undefined {
  const path = finding.fieldPath?.replace(/\[\d+\]/g, '[]');
  return path && Object.hasOwn(entry.removedFields, path) ? path : undefined;
}

function noSchemaFinding(
  entry: FluxApiDeprecation,
  kind: string,
  range: Finding['range'],
  registry: SchemaRegistry,
): Finding {
  return {
    range,
    severity: 'info',
    code: 'no-schema',
    message: `No schema is known for ${kind} (${entry.apiVersion} or ${entry.replacement}), so it was not validated. Looked in: ${registry.describeSources()}. Add its CustomResourceDefinition to the workspace to validate it.`,
  };
}
