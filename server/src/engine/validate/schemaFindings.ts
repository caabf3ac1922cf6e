import { isMap } from 'yaml';
import type { ManifestDocument, ScalarField } from '../parse/manifestDocuments';
import type { LineIndex } from '../parse/lineIndex';
import { compareMinorVersions, findDeprecation } from '../schemas/deprecations';
import type { ApiDeprecation } from '../schemas/deprecations';
import type { KindSchema } from '../schemas/schema';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { Finding } from '../types';
import { isSecretKind } from '../secrets/secretKinds';
import { blocksCelRules, celRuleFindings, kindHasCelRules } from './cel/celFindings';
import { validateAgainstSchema } from './schemaWalker';
import { serverRuleFindings } from './serverRules';
import { closest } from './suggest';

/** Groups whose "kinds" configure tools rather than describe cluster objects. */
const TOOL_CONFIG_GROUPS = ['kustomize.config.k8s.io/', 'config.kubernetes.io/', 'kpt.dev/'];

/**
 * Schema validation of one resource document: deprecated and removed API versions for the
 * target Kubernetes version, unknown kinds, then the resource against its kind's schema.
 */
export function schemaFindings(
  document: ManifestDocument,
  registry: SchemaRegistry,
  lines: LineIndex,
): Finding[] {
  const apiVersionField = document.identity?.apiVersion;
  const kindField = document.identity?.kind;
  const apiVersion = apiVersionField?.value;
  const kind = kindField?.value;
  if (
    !apiVersionField ||
    !kindField ||
    typeof apiVersion !== 'string' ||
    typeof kind !== 'string' ||
    !isMap(document.ast.contents) ||
    isToolConfig(apiVersion, kind)
  ) {
    return [];
  }
  const target = minorOf(registry.kubernetesVersion);
  const deprecation = findDeprecation(apiVersion, kind);
  if (deprecation && target) {
    const finding = deprecationFinding(deprecation, apiVersionField, kind, target);
    if (finding.severity === 'error') {
      return [finding];
    }
    const schema = registry.lookup(apiVersion, kind);
    const rest = schema
      ? validateAgainstSchema(
          document.ast.contents,
          schema,
          registry.objectMeta(),
          lines,
          kindField.keyRange,
          isSecretKind(kind),
        )
      : [];
    return [finding, ...rest];
  }
  const schema = registry.lookup(apiVersion, kind);
  if (!schema) {
    return [unknownKindFinding(registry, apiVersion, kind, kindField)];
  }
  const structural = validateAgainstSchema(
    document.ast.contents,
    schema,
    registry.objectMeta(),
    lines,
    kindField.keyRange,
    isSecretKind(kind),
  );
  const rules = ruleFindings(document, apiVersion, kind, schema.flavor, lines, kindField);
  return [...structural, ...rules, ...celFindings(document, schema, lines, kindField, structural)];
}

/**
 * The CRD's CEL rules, unless the resource has errors that stop the API server before it
 * evaluates them (wrong types, missing required fields, unknown fields, values too long).
 */
function celFindings(
  document: ManifestDocument,
  schema: KindSchema,
  lines: LineIndex,
  kindField: ScalarField,
  structural: readonly Finding[],
): Finding[] {
  if (!kindHasCelRules(schema) || blocksCelRules(structural)) {
    return [];
  }
  let resource: unknown;
  try {
    resource = document.ast.toJS({ maxAliasCount: 100 });
  } catch {
    return [];
  }
  return celRuleFindings(document.ast.contents, resource, schema, lines, kindField.keyRange);
}

/** Server-side rules run on the resource as data; a document that cannot become data has none. */
function ruleFindings(
  document: ManifestDocument,
  apiVersion: string,
  kind: string,
  flavor: 'builtin' | 'crd',
  lines: LineIndex,
  kindField: ScalarField,
): Finding[] {
  let resource: unknown;
  try {
    resource = document.ast.toJS({ maxAliasCount: 100 });
  } catch {
    return [];
  }
  return serverRuleFindings(
    document.ast.contents,
    resource,
    kind,
    apiVersion,
    flavor,
    lines,
    kindField.keyRange,
  );
}

function deprecationFinding(
  entry: ApiDeprecation,
  field: ScalarField,
  kind: string,
  target: string,
): Finding {
  const removed =
    entry.removedIn !== undefined && compareMinorVersions(target, entry.removedIn) >= 0;
  const instead = entry.replacement ? ` Use ${entry.replacement}` : '';
  const note = entry.note ? ` (${entry.note})` : '';
  const message = removed
    ? `${entry.apiVersion} ${kind} was removed in Kubernetes ${entry.removedIn}, so a ${target} cluster rejects it.${instead}${instead ? note + '.' : note}`
    : `${entry.apiVersion} ${kind} is deprecated since Kubernetes ${entry.deprecatedIn}${entry.removedIn ? ` and removed in ${entry.removedIn}` : ''}.${instead}${instead ? note + '.' : note}`;
  const fixes =
    entry.replacement && entry.mechanical
      ? [
          {
            title: `Change apiVersion to ${entry.replacement}`,
            range: field.valueRange,
            newText: entry.replacement,
          },
        ]
      : undefined;
  return {
    range: field.valueRange,
    severity: removed ? 'error' : 'warning',
    code: removed ? 'removed-api-version' : 'deprecated-api-version',
    message: message.replace(/\.\.$/, '.'),
    ...(fixes ? { fixes } : {}),
  };
}

function unknownKindFinding(
  registry: SchemaRegistry,
  apiVersion: string,
  kind: string,
  kindField: ScalarField,
): Finding {
  if (registry.knowsGroupVersion(apiVersion)) {
    const suggestion = closest(kind, registry.kindsOf(apiVersion));
    return {
      range: kindField.valueRange,
      severity: 'error',
      code: 'unknown-kind',
      message:
        `There is no kind "${kind}" in ${apiVersion}` +
        (suggestion ? `: did you mean "${suggestion}"?` : '.') +
        ` Known kinds: ${registry.kindsOf(apiVersion).slice(0, 12).join(', ')}.`,
      ...(suggestion
        ? {
            fixes: [
              {
                title: `Change kind to ${suggestion}`,
                range: kindField.valueRange,
                newText: suggestion,
              },
            ],
          }
        : {}),
    };
  }
  return {
    range: kindField.valueRange,
    severity: 'info',
    code: 'no-schema',
    message: `No schema is known for ${kind} (${apiVersion}), so it was not validated. Looked in: ${registry.describeSources()}. Add its CustomResourceDefinition to the workspace to validate it.`,
  };
}

function isToolConfig(apiVersion: string, kind: string): boolean {
  return (
    TOOL_CONFIG_GROUPS.some((group) => apiVersion.startsWith(group)) ||
    (apiVersion === 'v1' && kind === 'Config')
  );
}

function minorOf(version: string | undefined): string | undefined {
  const match = version ? /^(\d+\.\d+)/.exec(version) : null;
  return match?.[1];
}
