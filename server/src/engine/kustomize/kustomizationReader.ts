/**
 * The one reader of kustomization files. kustomize 5.8 unmarshals them with sigs.k8s.io/yaml into
 * `types.Kustomization` (api/types/kustomization.go): keys match fields without regard to case
 * (`Resources`, `RESOURCES`, `reſources`), merge keys and aliases resolve, `!!binary` decodes, and
 * `FixKustomization` folds the deprecated `bases` into `resources` and `env` into `envs`. This
 * reader returns, for every field, every value kustomize could take from any key that decodes
 * into it, in any document: a safety check that walks these values sees all that kustomize can.
 */
import {
  GoYamlError,
  fieldsOf,
  goFold,
  listItems,
  listStrings,
  mapsOf,
  readGoYaml,
  scalarStrings,
} from './goYaml';
import type { GoMap, GoNode, GoYamlErrorReason } from './goYaml';

/** A patch of `patches` or `patchesJson6902`. */
export interface KustomizationPatch {
  /** `path`: files kustomize loads the patch from. */
  readonly paths: readonly string[];
  /** `patch`: inline patch texts. */
  readonly inline: readonly string[];
  /** The first kind and name of `target`, when set. */
  readonly target?: { kind?: string; name?: string };
}

/** A `configMapGenerator` or `secretGenerator` entry. */
export interface KustomizationGenerator {
  /** `files` entries as written: `path` or `key=path`. */
  readonly files: readonly string[];
  /** `envs` and the deprecated `env`. */
  readonly envs: readonly string[];
}

/** What kustomize could read from a kustomization file, field by field. */
export interface Kustomization {
  /** `kind` (`Kustomization` or `Component`). */
  readonly kinds: readonly string[];
  /** `resources`, then the deprecated `bases`: files, bases or remote bases. */
  readonly resources: readonly string[];
  /** `components`: folders or remote bases. */
  readonly components: readonly string[];
  readonly crds: readonly string[];
  readonly configurations: readonly string[];
  /** Inline plugin configs or files and folders holding them. */
  readonly generators: readonly string[];
  readonly transformers: readonly string[];
  readonly validators: readonly string[];
  /** `patches`, then the deprecated `patchesJson6902`. */
  readonly patches: readonly KustomizationPatch[];
  /** Deprecated `patchesStrategicMerge`: inline patches or files. */
  readonly patchesStrategicMerge: readonly string[];
  readonly configMapGenerator: readonly KustomizationGenerator[];
  readonly secretGenerator: readonly KustomizationGenerator[];
  /** `replacements[].path`. */
  readonly replacementPaths: readonly string[];
  /** `openapi.path`. */
  readonly openapiPaths: readonly string[];
  /** The helm fields that are set (`helmCharts`, `helmGlobals`, `helmChartInflationGenerator`). */
  readonly helmFields: readonly string[];
  readonly buildMetadata: readonly string[];
  /** `namespace`: set, it also renames the v1 Namespace objects the kustomization reaches. */
  readonly namespaces: readonly string[];
}

export type KustomizationReadErrorReason = GoYamlErrorReason;

/** A kustomization that cannot be read the way kustomize would read it. */
export class KustomizationReadError extends Error {
  constructor(
    readonly reason: KustomizationReadErrorReason,
    /** The end of a sentence whose subject is the file: "is not valid YAML (...)". */
    readonly detail: string,
  ) {
    super(`The kustomization ${detail}.`);
    this.name = 'KustomizationReadError';
  }
}

/** The fields of `types.Kustomization` (json names), `TypeMeta` inlined. */
export const KUSTOMIZATION_FIELDS = [
  'apiVersion',
  'kind',
  'metadata',
  'openapi',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'patches',
  'images',
  'imageTags',
  'replacements',
  'replicas',
  'vars',
  'sortOptions',
  'resources',
  'components',
  'crds',
  'bases',
  'configMapGenerator',
  'secretGenerator',
  'helmGlobals',
  'helmCharts',
  'helmChartInflationGenerator',
  'generatorOptions',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'buildMetadata',
] as const;

export type KustomizationField = (typeof KUSTOMIZATION_FIELDS)[number];

const FIELD_BY_FOLD = new Map<string, KustomizationField>(
  KUSTOMIZATION_FIELDS.map((field) => [goFold(field), field]),
);

/** The field a key of a kustomization decodes into (`RESOURCES` -> `resources`), if any. */
export function kustomizationFieldOf(key: string): KustomizationField | undefined {
  return FIELD_BY_FOLD.get(goFold(key));
}

/** True when `key` decodes into `field` of a nested kustomize struct (`Path` -> `path`). */
export function isFieldKey(key: string, field: string): boolean {
  return goFold(key) === goFold(field);
}

const HELM_FIELDS = ['helmCharts', 'helmGlobals', 'helmChartInflationGenerator'] as const;

/**
 * Reads a kustomization file. Throws a KustomizationReadError when the text is not YAML that
 * both this reader and kustomize read the same way (a syntax error, an undefined alias, an
 * alias bomb). A document that is not a map gives empty fields, as kustomize would refuse it.
 */
export function readKustomization(text: string): Kustomization {
  let found = readings.get(text);
  if (found === undefined) {
    try {
      found = deepFreeze(readFresh(text));
    } catch (error) {
      if (!(error instanceof KustomizationReadError)) throw error;
      found = error;
    }
    if (text.length <= MAX_KEPT_TEXT) {
      readings.set(text, found);
      keptLength += text.length;
      // The oldest go first once the texts kept pass the budget.
      for (const kept of readings.keys()) {
        if (keptLength <= MAX_KEPT_LENGTH) break;
        readings.delete(kept);
        keptLength -= kept.length;
      }
    }
  }
  if (found instanceof KustomizationReadError) throw found;
  return found;
}

/**
 * The last readings by text: discovery, the patch files, the included bases and every render's
 * planning read the same kustomization (a shared base once per unit), and a reading never
 * changes for a text. Results are read only; the texts kept have a budget.
 */
const readings = new Map<string, Kustomization | KustomizationReadError>();
const MAX_KEPT_TEXT = 16 * 1024;
/** Characters of text kept with their readings: about 10,000 typical kustomizations. */
const MAX_KEPT_LENGTH = 4 * 1024 * 1024;
let keptLength = 0;

/** `value` and everything in it made read only: a reading is shared by its callers. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function readFresh(text: string): Kustomization {
  let docs: GoNode[];
  try {
    docs = readGoYaml(text);
  } catch (error) {
    if (error instanceof GoYamlError) throw new KustomizationReadError(error.reason, error.message);
    throw error;
  }
  const roots = mapsOf(docs);
  const field = (name: KustomizationField): GoNode[] => fieldsOf(roots, name);
  const strings = (name: KustomizationField): string[] => listStrings(field(name));
  const itemMaps = (name: KustomizationField): GoMap[] => mapsOf(listItems(field(name)));
  return {
    kinds: scalarStrings(field('kind')),
    resources: [...strings('resources'), ...strings('bases')],
    components: strings('components'),
    crds: strings('crds'),
    configurations: strings('configurations'),
    generators: strings('generators'),
    transformers: strings('transformers'),
    validators: strings('validators'),
    patches: [...itemMaps('patches'), ...itemMaps('patchesJson6902')].map(patchOf),
    patchesStrategicMerge: strings('patchesStrategicMerge'),
    configMapGenerator: itemMaps('configMapGenerator').map(generatorOf),
    secretGenerator: itemMaps('secretGenerator').map(generatorOf),
    replacementPaths: scalarStrings(fieldsOf(itemMaps('replacements'), 'path')),
    openapiPaths: scalarStrings(fieldsOf(mapsOf(field('openapi')), 'path')),
    helmFields: HELM_FIELDS.filter((name) => field(name).length > 0),
    buildMetadata: strings('buildMetadata'),
    namespaces: scalarStrings(field('namespace')),
  };
}

function patchOf(patch: GoMap): KustomizationPatch {
  const targets = mapsOf(fieldsOf([patch], 'target'));
  const kind = scalarStrings(fieldsOf(targets, 'kind'))[0];
  const name = scalarStrings(fieldsOf(targets, 'name'))[0];
  return {
    paths: scalarStrings(fieldsOf([patch], 'path')),
    inline: scalarStrings(fieldsOf([patch], 'patch')),
    ...(targets.length > 0
      ? {
          target: {
            ...(kind !== undefined ? { kind } : {}),
            ...(name !== undefined ? { name } : {}),
          },
        }
      : {}),
  };
}

function generatorOf(generator: GoMap): KustomizationGenerator {
  return {
    files: listStrings(fieldsOf([generator], 'files')),
    envs: [
      ...listStrings(fieldsOf([generator], 'envs')),
      ...scalarStrings(fieldsOf([generator], 'env')),
    ],
  };
}
