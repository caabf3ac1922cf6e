import type { ScalarField } from '../parse/manifestDocuments';
import type { LineIndex } from '../parse/lineIndex';
import { locate } from '../parse/locate';
import { compareMinorVersions, findDeprecation } from '../schemas/deprecations';
import type { ApiDeprecation } from '../schemas/deprecations';
import { findFluxDeprecation } from '../schemas/fluxDeprecations';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { Finding } from '../types';
import { groupKind } from '../parse/apiVersion';
import type { FileContext } from './fileContext';
import { fluxDeprecationFindings } from './fluxVersionFindings';
import { isEncryptedValue, resourceData } from './resourceNodes';
import type { ResourceNode } from './resourceNodes';
import type { KindSchema } from '../schemas/schema';
import { isSecretKind } from '../secrets/secretKinds';
import { blocksCelRules, celRuleFindings, kindHasCelRules } from './cel/celFindings';
import { validateAgainstSchema } from './schemaWalker';
import { serverRuleFindings } from './serverRules';
import { closest } from './suggest';

/** Groups whose "kinds" configure tools rather than describe cluster objects. */
const TOOL_CONFIG_GROUPS = ['kustomize.config.k8s.io/', 'config.kubernetes.io/', 'kpt.dev/'];

/**
 * Schema validation of one resource: deprecated and removed API versions (Kubernetes for the
 * target version, Flux for the bundled Flux CRDs), unknown kinds, then the resource against its
 * kind's schema and the server's own rules, as the rest of the repository says it is applied.
 */
export function schemaFindings(
  resource: ResourceNode,
  registry: SchemaRegistry,
  lines: LineIndex,
  context: FileContext = {},
): Finding[] {
  const findings = resourceFindings(resource, registry, lines, context);
  const { apiVersion, kind } = resource.identity;
  // A Flux Kustomization patches this kind on its way in: required fields may come from it.
  return typeof apiVersion?.value === 'string' &&
    typeof kind?.value === 'string' &&
    isPatchedKind(context, apiVersion.value, kind.value)
    ? findings.filter((finding) => finding.code !== 'missing-required')
    : findings;
}

function isPatchedKind(context: FileContext, apiVersion: string, kind: string): boolean {
  const kinds = context.patchedKinds ?? [];
  return kinds.includes(groupKind(apiVersion, kind)) || kinds.includes(`*/${kind}`);
}

function resourceFindings(
  resource: ResourceNode,
  registry: SchemaRegistry,
  lines: LineIndex,
  context: FileContext,
): Finding[] {
  const apiVersionField = resource.identity.apiVersion;
  const kindField = resource.identity.kind;
  const apiVersion = apiVersionField?.value;
  const kind = kindField?.value;
  if (
    !apiVersionField ||
    !kindField ||
    typeof apiVersion !== 'string' ||
    typeof kind !== 'string' ||
    isToolConfig(apiVersion, kind) ||
    isEncryptedValue(apiVersion) ||
    isEncryptedValue(kind)
  ) {
    return [];
  }
  const walkOptions = {
    ...(resource.encrypted ? { encrypted: true } : {}),
    ...(context.partial ? { partial: true } : {}),
    ...(isSecretKind(kind) ? { secret: true } : {}),
  };
  const walk = (schema: KindSchema): Finding[] =>
    validateAgainstSchema(
      resource.root,
      schema,
      registry.objectMeta(),
      lines,
      kindField.keyRange,
      walkOptions,
    );
  const target = minorOf(registry.kubernetesVersion);
  const deprecation = findDeprecation(apiVersion, kind);
  if (deprecation && target) {
    const finding = deprecationFinding(deprecation, apiVersionField, kind, target);
    if (finding.severity === 'error') {
      return [finding];
    }
    const schema = registry.lookup(apiVersion, kind);
    return [finding, ...(schema ? walk(schema) : [])];
  }
  const schema = registry.lookup(apiVersion, kind);
  const flux = schema ? undefined : findFluxDeprecation(apiVersion, kind);
  if (flux) {
    return fluxDeprecationFindings(resource, flux, registry, lines, walkOptions);
  }
  if (!schema) {
    return [unknownKindFinding(registry, apiVersion, kind, kindField)];
  }
  const structural = openEventKinds(walk(schema), apiVersion, kind, schema);
  const rules = serverRuleFindings(
    resource.root,
    resourceData(resource),
    kind,
    apiVersion,
    schema.flavor,
    lines,
    kindField.keyRange,
    {
      ...(context.partial ? { partial: true } : {}),
      ...(context.namespaceSetByKustomize ? { namespaceSetByKustomize: true } : {}),
    },
  );
  return [
    ...crdDeprecation(schema, apiVersion, kind, apiVersionField),
    ...structural,
    ...scaleReplicas(resource, schema, lines),
    ...rules,
    ...celFindings(resource, schema, lines, kindField, structural),
  ];
}

/**
 * The kinds a Flux Alert listens to and a Receiver acts on: controllers outside Flux have their
 * users patch the CRD's list to add their own (Tofu Controller's Terraform, for one; home-ops
 * repositories alert on Flux Operator's FluxInstance), so a kind not in the bundled list is a
 * warning to check the cluster's CRD, not an error.
 */
function openEventKinds(
  findings: Finding[],
  apiVersion: string,
  kind: string,
  schema: KindSchema,
): Finding[] {
  if (
    !apiVersion.startsWith('notification.toolkit.fluxcd.io/') ||
    (kind !== 'Alert' && kind !== 'Receiver') ||
    schema.origin !== 'the bundled Flux and Argo CD CRDs'
  ) {
    return findings;
  }
  return findings.map((finding) =>
    finding.code === 'invalid-enum' &&
    /^spec\.(?:eventSources|resources)\[\d+\]\.kind$/.test(finding.fieldPath ?? '')
      ? {
          ...finding,
          severity: 'warning',
          message: `${finding.message} Controllers outside Flux have their ${kind} CRD patched to add their kinds (Tofu Controller's Terraform, for one): the cluster's CRD must list this one.`,
        }
      : finding,
  );
}

/** The largest replica count the scale subresource takes (Go's math.MaxInt32). */
const MAX_INT32 = 2_147_483_647;

/**
 * The replica count a CRD's scale subresource reads (`specReplicasPath`), which the API server
 * checks on every write of the resource: a non-negative 32-bit integer.
 */
function scaleReplicas(resource: ResourceNode, schema: KindSchema, lines: LineIndex): Finding[] {
  const replicasPath = schema.specReplicasPath;
  if (!replicasPath?.startsWith('.')) return [];
  const path = replicasPath.slice(1).split('.');
  let value: unknown = resourceData(resource);
  for (const key of path) {
    value =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) return [];
  const problem =
    value < 0
      ? 'should be a non-negative integer'
      : value > MAX_INT32
        ? `should be less than or equal to ${MAX_INT32}`
        : undefined;
  const range = problem ? locate(resource.root, path, lines, 'value') : undefined;
  if (!problem || !range) return [];
  const fieldPath = path.join('.');
  return [
    {
      fieldPath,
      range,
      severity: 'error',
      code: 'invalid-value',
      message: `${fieldPath}: Invalid value: ${value}: ${problem} (the CRD's scale subresource reads it as the replica count).`,
    },
  ];
}

/**
 * A version its CustomResourceDefinition marks deprecated: the API server answers every request
 * for it with a warning, the CRD's `deprecationWarning` or "<apiVersion> <kind> is deprecated".
 */
function crdDeprecation(
  schema: KindSchema,
  apiVersion: string,
  kind: string,
  field: ScalarField,
): Finding[] {
  if (schema.deprecationWarning === undefined) return [];
  const warning = schema.deprecationWarning.trim();
  return [
    {
      range: field.valueRange,
      severity: 'warning',
      code: 'deprecated-api-version',
      message: `${warning || `${apiVersion} ${kind} is deprecated`}${/[.!]$/.test(warning) ? '' : '.'} The API server warns about it on every apply (${schema.origin} marks the version deprecated): move to a version the CRD serves that is not deprecated.`,
    },
  ];
}

/**
 * The CRD's CEL rules, unless the resource has errors that stop the API server before it
 * evaluates them (wrong types, missing required fields, unknown fields, values too long).
 */
function celFindings(
  resource: ResourceNode,
  schema: KindSchema,
  lines: LineIndex,
  kindField: ScalarField,
  structural: readonly Finding[],
): Finding[] {
  if (!kindHasCelRules(schema) || blocksCelRules(structural)) {
    return [];
  }
  const data = resourceData(resource);
  if (data === undefined) {
    return [];
  }
  return celRuleFindings(resource.root, data, schema, lines, kindField.keyRange);
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
    fieldPath: 'apiVersion',
    severity: removed ? 'error' : 'warning',
    code: removed ? 'removed-api-version' : 'deprecated-api-version',
    message: message.replace(/\.\.$/, '.'),
    ...(fixes ? { fixes } : {}),
  };
}

/**
 * A kind with no schema. Only in Kubernetes' own groups are all kinds known, so only there is
 * an unknown kind an error; in a group several projects share (argoproj.io holds Argo CD,
 * Rollouts, Workflows and Events kinds) it is a custom resource whose CRD is not at hand.
 */
function unknownKindFinding(
  registry: SchemaRegistry,
  apiVersion: string,
  kind: string,
  kindField: ScalarField,
): Finding {
  if (registry.isBuiltinGroupVersion(apiVersion)) {
    const otherVersions = registry.builtinVersionsOf(apiVersion, kind);
    if (otherVersions.length > 0) {
      const group = apiVersion.slice(0, apiVersion.lastIndexOf('/'));
      return {
        range: kindField.valueRange,
        fieldPath: 'kind',
        severity: 'warning',
        code: 'kind-not-served',
        message: `Kubernetes ${registry.kubernetesVersion ?? ''} serves ${kind} as ${otherVersions.map((version) => `${group}/${version}`).join(' and ')}, not as ${apiVersion}, so a cluster of that version rejects it; a newer Kubernetes may serve it. It was not validated: use a version your cluster serves.`,
      };
    }
    const suggestion = closest(kind, registry.kindsOf(apiVersion));
    return {
      range: kindField.valueRange,
      fieldPath: 'kind',
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
    fieldPath: 'kind',
    severity: 'info',
    code: 'no-schema',
    message: `No schema is known for ${kind} (${apiVersion}), so it was not validated. Looked in: ${registry.describeSources()}. Add its CustomResourceDefinition to the workspace to validate it.`,
  };
}

function isToolConfig(apiVersion: string, kind: string): boolean {
  return (
    TOOL_CONFIG_GROUPS.some((group) => apiVersion.startsWith(group)) ||
    // kustomize's builtin transformers and generators, configured in files that `transformers:`
    // and `generators:` list (`apiVersion: builtin`, `kind: LabelTransformer`).
    apiVersion === 'builtin' ||
    (apiVersion === 'v1' && kind === 'Config')
  );
}

function minorOf(version: string | undefined): string | undefined {
  const match = version ? /^(\d+\.\d+)/.exec(version) : null;
  return match?.[1];
}
